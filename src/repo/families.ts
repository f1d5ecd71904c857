/**
 * Image families and build contexts. A Dockerfile's context comes, in order of trust, from the
 * config, from a workflow step or bake file or script that builds it, and otherwise from its COPY
 * sources: the Dockerfile's folder when they resolve there, the repository root when they only
 * resolve from there.
 */
import { posix } from 'node:path';
import { buildInputs, type Dockerfile } from '../parse/dockerfile.js';
import { argsWithoutFlags, flagValue, invocation } from '../parse/shell-query.js';
import type { ContextSource, DockerfileEntry, DockerignoreFile, ImageFamily, Repo } from './repo.js';

/** A build of a Dockerfile that some file of the repository declares. */
interface DeclaredBuild {
  dockerfile: string;
  context: string;
  source: ContextSource;
  evidence: string;
}

/** Fills `repo.dockerfiles` and `repo.families`. */
export function resolveFamilies(repo: Repo, dockerfiles: Dockerfile[]): void {
  const declared = [...workflowBuilds(repo), ...scriptBuilds(repo)];
  const configured = repo.config.families ?? {};
  for (const dockerfile of dockerfiles) {
    const family = Object.entries(configured).find(([, value]) => normalize(value.dockerfile) === dockerfile.path);
    let context: string;
    let source: ContextSource;
    let evidence: string | null = null;
    const build = declared.find((entry) => entry.dockerfile === dockerfile.path);
    if (family && family[1].context !== undefined) {
      context = normalize(family[1].context);
      source = 'config';
      evidence = 'baseimg.config';
    } else if (build) {
      context = build.context;
      source = build.source;
      evidence = build.evidence;
    } else {
      context = inferContext(repo, dockerfile);
      source = 'inferred';
    }
    repo.dockerfiles.push({
      dockerfile,
      context,
      contextSource: source,
      contextEvidence: evidence,
      dockerignore: dockerignoreFor(repo.dockerignores, dockerfile.path, context),
    } satisfies DockerfileEntry);
  }

  const byDockerfile = new Map(repo.dockerfiles.map((entry) => [entry.dockerfile.path, entry]));
  const families: ImageFamily[] = [];
  for (const [name, value] of Object.entries(configured)) {
    const path = normalize(value.dockerfile);
    const entry = byDockerfile.get(path);
    families.push({
      name,
      dockerfile: path,
      context: entry?.context ?? normalize(value.context ?? posix.dirname(path)),
      target: value.target ?? null,
      requirements: (value.requirements ?? []).map(normalize),
      workflows: (value.workflows ?? []).map(normalize),
      scripts: (value.scripts ?? []).map(normalize),
      test: value.test ?? null,
    });
  }
  if (families.length === 0) {
    // Without a config, each Dockerfile is a family named after its folder (or file).
    for (const entry of repo.dockerfiles) {
      const path = entry.dockerfile.path;
      const folder = posix.dirname(path);
      const name = folder === '.' ? posix.basename(path).toLowerCase() : posix.basename(folder);
      families.push({
        name: uniqueName(name, families),
        dockerfile: path,
        context: entry.context,
        target: null,
        requirements: repo.requirements.filter((file) => posix.dirname(file.path) === folder).map((file) => file.path),
        workflows: declared.filter((build) => build.dockerfile === path && build.source === 'workflow').map((build) => build.evidence),
        scripts: declared.filter((build) => build.dockerfile === path && build.source === 'script').map((build) => build.evidence),
        test: null,
      });
    }
  }
  repo.families = families;
}

function uniqueName(name: string, families: ImageFamily[]): string {
  let candidate = name;
  for (let n = 2; families.some((family) => family.name === candidate); n++) {
    candidate = `${name}-${n}`;
  }
  return candidate;
}

/** Normalises a user path to the repository-relative form ('' for the root). */
export function normalize(path: string): string {
  // Strip a leading `./`, never the dot of a hidden name (`.dockerignore`, `.github/...`).
  const cleaned = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
  return cleaned === '.' ? '' : cleaned;
}

function join(context: string, path: string): string {
  return normalize(posix.join(context || '.', path));
}

/** BuildKit looks for `<Dockerfile>.dockerignore` beside the Dockerfile first, then the context root's. */
export function dockerignoreFor(files: DockerignoreFile[], dockerfilePath: string, context: string): DockerignoreFile | null {
  const own = files.find((file) => file.path === `${dockerfilePath}.dockerignore`);
  if (own) {
    return own;
  }
  return files.find((file) => file.path === join(context, '.dockerignore')) ?? null;
}

function inferContext(repo: Repo, dockerfile: Dockerfile): string {
  const folder = normalize(posix.dirname(dockerfile.path));
  let fromFolder = 0;
  let fromRoot = 0;
  for (const input of buildInputs(dockerfile)) {
    const path = staticPrefix(input.path);
    if (path === null || path === '') {
      continue;
    }
    if (exists(repo, join(folder, path))) {
      fromFolder += 1;
    } else if (exists(repo, join('', path))) {
      fromRoot += 1;
    }
  }
  return fromRoot > 0 && fromFolder === 0 ? '' : folder;
}

/** The part of a COPY source before the first glob or variable, or null when it starts dynamic. */
export function staticPrefix(source: string): string | null {
  const cut = source.search(/[*?[$]/);
  const prefix = cut < 0 ? source : source.slice(0, cut);
  if (cut === 0) {
    return null;
  }
  return cut < 0 ? normalize(prefix) : normalize(posix.dirname(`${prefix}x`));
}

/** True when a path is a file or folder of the repository. */
export function exists(repo: Repo, path: string): boolean {
  return repo.files.has(path) || repo.directories.has(path);
}

function workflowBuilds(repo: Repo): DeclaredBuild[] {
  const builds: DeclaredBuild[] = [];
  for (const workflow of repo.workflows) {
    for (const job of workflow.model.jobs) {
      for (const step of job.steps) {
        if (step.uses?.slug !== 'docker/build-push-action') {
          continue;
        }
        const context = step.with.get('context')?.value ?? '.';
        const file = step.with.get('file')?.value ?? posix.join(context, 'Dockerfile');
        if (context.includes('${{') || file.includes('${{')) {
          continue;
        }
        builds.push({ dockerfile: normalize(file), context: normalize(context), source: 'workflow', evidence: workflow.path });
      }
    }
  }
  return builds;
}

function scriptBuilds(repo: Repo): DeclaredBuild[] {
  const builds: DeclaredBuild[] = [];
  for (const script of repo.scripts) {
    for (const command of script.shell.commands) {
      const call = invocation(command);
      if (call.program !== 'docker' && call.program !== 'podman') {
        continue;
      }
      const words = call.args.map((word) => word.value ?? '');
      const buildAt = words[0] === 'build' ? 1 : words[0] === 'buildx' && words[1] === 'build' ? 2 : words[0] === 'image' && words[1] === 'build' ? 2 : -1;
      if (buildAt < 0) {
        continue;
      }
      const args = call.args.slice(buildAt);
      const file = flagValue(args, '-f', '--file');
      const positional = argsWithoutFlags(args, ['-f', '--file', '-t', '--tag', '--build-arg', '--target', '--platform', '--cache-from', '--cache-to', '--label', '--network', '--secret', '--ssh', '--output', '-o', '--progress', '--builder', '--iidfile', '--metadata-file', '--build-context', '--add-host', '--shm-size', '--ulimit', '--attest', '--sbom', '--provenance', '--annotation', '--call', '--allow']);
      const context = positional[positional.length - 1]?.value ?? null;
      if (context === null || context === '-' || /^(https?|git):/.test(context)) {
        continue;
      }
      const dockerfile = file ?? posix.join(context, 'Dockerfile');
      if (/\$/.test(dockerfile)) {
        continue;
      }
      builds.push({ dockerfile: normalize(dockerfile), context: normalize(context), source: 'script', evidence: script.path });
    }
  }
  return builds;
}
