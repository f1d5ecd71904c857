// Why: BuildKit resolves `COPY --from=<name>` against the stages defined before the current one
// (dockerfile2llb registers stages in order); a name it does not find is taken as an image to pull,
// so `--from=bulider` fails with "pull access denied ... bulider". An index must point at an
// earlier stage ("invalid stage index"), and a stage cannot copy from itself or a later stage.
// hadolint DL3022 covers the unknown-name half. Names that look like image references (with `/`,
// `:`, `.` or `@`), Docker Official Images and named build contexts declared by a workflow, bake
// file or script (`--build-context name=...`, hadolint #830) are left alone.
import type { Dockerfile, DockerInstruction, Stage } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import type { Repo } from '../../repo/repo.js';
import { quote } from '../lib/helpers.js';
import { closestName } from '../lib/variables.js';
import { defineRule } from '../rule.js';

// Docker Official Images that are commonly copied from with a bare name (`COPY --from=busybox`);
// a stable subset of https://github.com/docker-library/official-images/tree/master/library.
const OFFICIAL_IMAGES = new Set([
  'alpine', 'amazonlinux', 'bash', 'busybox', 'caddy', 'debian', 'docker', 'eclipse-temurin', 'fedora', 'gcc',
  'golang', 'haproxy', 'hello-world', 'httpd', 'julia', 'maven', 'nginx', 'node', 'openjdk', 'oraclelinux',
  'perl', 'php', 'postgres', 'pypy', 'python', 'redis', 'registry', 'rockylinux', 'ruby', 'rust', 'traefik', 'ubuntu',
]);

export const copyFromUnknownStage = defineRule({
  id: 'dockerfile/copy-from-unknown-stage',
  meta: {
    title: 'COPY --from names no earlier stage',
    severity: 'error',
    rationale:
      'Multi-stage base images copy compiled artefacts (FFmpeg builds, CUDA extensions, wheels) from builder stages with `COPY --from=<stage>`. BuildKit only sees stages defined above the COPY; a misspelt or later stage name is treated as an image on Docker Hub, and the build fails with a confusing "pull access denied" after the heavy stages have already run. A numeric --from pointing at the current or a later stage fails too.',
    remediation: 'Name a stage defined above the instruction (check the spelling, or move the stage up), or write an image reference with a tag (`--from=ghcr.io/org/tool:1.2`).',
    hadolint: ['DL3022'],
  },
  hooks: {
    instruction(instruction, ctx) {
      const stage = instruction.stage;
      if (!stage) {
        return;
      }
      for (const reference of fromReferences(instruction)) {
        const message = problem(ctx.dockerfile, ctx.repo, stage, reference.value, reference.keyword);
        if (message) {
          ctx.report({ at: reference.range, message });
        }
      }
    },
  },
});

function fromReferences(instruction: DockerInstruction): { value: string; range: Range; keyword: string }[] {
  const references: { value: string; range: Range; keyword: string }[] = [];
  if ((instruction.kind === 'copy' || instruction.kind === 'add') && instruction.from !== null) {
    const flag = instruction.flags.find((candidate) => candidate.name === 'from');
    references.push({ value: instruction.from, range: flag?.range ?? instruction.range, keyword: `${instruction.keyword} --from` });
  }
  if (instruction.kind === 'run') {
    for (const mount of instruction.mounts) {
      if (mount.from !== null) {
        references.push({ value: mount.from, range: mount.range, keyword: 'RUN --mount from' });
      }
    }
  }
  return references;
}

/** What is wrong with a --from value inside `stage`, or null when BuildKit resolves it. */
function problem(dockerfile: Dockerfile, repo: Repo, stage: Stage, value: string, keyword: string): string | null {
  if (value === '' || value.includes('$')) {
    return null;
  }
  const earlier = dockerfile.stages.slice(0, stage.index);
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    if (index < stage.index) {
      return null;
    }
    const range = stage.index === 0 ? 'no stage comes before it' : stage.index === 1 ? 'only stage 0 comes before it' : `only stages 0-${stage.index - 1} come before it`;
    return index === stage.index
      ? `${keyword}=${value} points at the stage it is in: a stage cannot copy from itself, so the build fails`
      : `${keyword}=${value} points at stage ${index}, but ${range}, so the build fails`;
  }
  const lower = value.toLowerCase();
  if (earlier.some((candidate) => candidate.name?.toLowerCase() === lower)) {
    return null;
  }
  const named = dockerfile.stages.find((candidate) => candidate.index >= stage.index && candidate.name?.toLowerCase() === lower);
  if (named) {
    return named === stage
      ? `${keyword}=${value} names the stage it is in: a stage cannot copy from itself, so the build fails`
      : `${keyword}=${value} names stage ${quote(named.name ?? value)}, defined later (line ${named.from.range.start.line}): BuildKit only resolves stages defined above, takes ${quote(value)} for an image and the pull fails; move the stage up`;
  }
  if (/[/:.@]/.test(value) || OFFICIAL_IMAGES.has(value) || namedContextDeclared(repo, value)) {
    return null;
  }
  const suggestion = closestName(value, earlier.map((candidate) => candidate.name).filter((name): name is string => name !== null));
  return `${keyword}=${value} names no stage defined above it${suggestion ? ` (did you mean ${quote(suggestion)}?)` : ''}: BuildKit will try to pull an image called ${quote(value)} and the build fails`;
}

/**
 * True when a workflow, bake file or build script declares a named build context of that name
 * (`--build-context name=...`, `build-contexts: name=...`, bake `contexts = { name = ... }`):
 * then `--from=name` reads that context. A text search, because these declarations come in
 * three file formats and review only needs to know that the name is declared somewhere.
 */
function namedContextDeclared(repo: Repo, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const declaration = new RegExp(`(^|[\\s,"'{])${escaped}\\s*[=:]`, 'm');
  for (const file of [...repo.workflows, ...repo.bakeFiles, ...repo.scripts]) {
    if (/build-contexts?|contexts\s*=/.test(file.text) && declaration.test(file.text)) {
      return true;
    }
  }
  return false;
}
