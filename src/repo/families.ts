/**
 * Image families and build contexts. A Dockerfile's context comes, in order of trust, from the
 * config, from a workflow step or bake file or script that builds it, and otherwise from its COPY
 * sources: the Dockerfile's folder when they resolve there, the repository root when they only
 * resolve from there.
 */
import { posix } from 'node:path';
import { bakeBuildPaths, bakeCallArgs, bakeTargetsIn, DEFAULT_BAKE_FILES, type BakeModel } from '../parse/bake.js';
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
  // A bake-built Dockerfile takes its context from the bake file, also when a workflow or script
  // runs that bake build (those builds come later, so the bake file's entry is found first).
  const declared = [...workflowBuilds(repo), ...bakeBuilds(repo), ...workflowBakeBuilds(repo), ...scriptBuilds(repo)];
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
        workflows: [...new Set(declared.filter((build) => build.dockerfile === path && build.source === 'workflow').map((build) => build.evidence))],
        scripts: [...new Set(declared.filter((build) => build.dockerfile === path && build.source === 'script').map((build) => build.evidence))],
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
      if (words[0] === 'buildx' && words[1] === 'bake') {
        builds.push(...bakeCallBuilds(repo, call.args.slice(2), '', 'script', script.path));
        continue;
      }
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

/** The bake models of `paths` that discovery parsed, in the order given. */
function bakeModels(repo: Repo, paths: readonly string[]): BakeModel[] {
  return paths.flatMap((path) => repo.bakeFiles.filter((file) => file.path === path).map((file) => file.model));
}

/** The bake files `docker buildx bake` reads in `directory` without --file, in its lookup order. */
function defaultBakeFiles(repo: Repo, directory: string): string[] {
  return DEFAULT_BAKE_FILES.map((name) => join(directory, name)).filter((path) => repo.bakeFiles.some((file) => file.path === path));
}

/** Every target of every bake file, evaluated in the bake file's folder (where a plain `docker buildx bake` reads it). */
function bakeBuilds(repo: Repo): DeclaredBuild[] {
  const builds: DeclaredBuild[] = [];
  const directories = [...new Set(repo.bakeFiles.map((file) => normalize(posix.dirname(file.path))))];
  for (const directory of directories) {
    const paths = defaultBakeFiles(repo, directory);
    const models = bakeModels(repo, paths);
    const names = [...new Set(models.flatMap((model) => model.targets.map((target) => target.name)))];
    for (const target of bakeTargetsIn(models, names).targets) {
      const { context, dockerfile } = bakeBuildPaths(target, directory);
      // The evidence is the file that defines the target (the override file only when it alone does).
      const evidence = models.find((model) => model.definition.targets.has(target.name))?.path;
      if (context !== null && dockerfile !== null && evidence) {
        builds.push({ dockerfile, context, source: 'bake', evidence });
      }
    }
  }
  return builds;
}

/** Bake builds run by `docker buildx bake` (or docker/bake-action) with its files and targets resolved. */
function bakeCallBuilds(repo: Repo, args: Parameters<typeof bakeCallArgs>[0], workdir: string, source: ContextSource, evidence: string): DeclaredBuild[] {
  const call = bakeCallArgs(args);
  if (call.files.some((file) => file === null || file.includes('$')) || call.targets.some((target) => target === null || target.includes('$'))) {
    return [];
  }
  const files = call.files.length > 0 ? call.files.map((file) => join(workdir, file ?? '')) : defaultBakeFiles(repo, workdir);
  return bakeTargetBuilds(repo, files, call.targets.filter((target): target is string => target !== null), workdir, source, evidence);
}

function bakeTargetBuilds(repo: Repo, files: string[], targets: string[], workdir: string, source: ContextSource, evidence: string): DeclaredBuild[] {
  const builds: DeclaredBuild[] = [];
  for (const target of bakeTargetsIn(bakeModels(repo, files), targets).targets) {
    const { context, dockerfile } = bakeBuildPaths(target, workdir);
    if (context !== null && dockerfile !== null) {
      builds.push({ dockerfile, context, source, evidence });
    }
  }
  return builds;
}

/** Builds that workflows run through docker/bake-action or `docker buildx bake` in `run:` steps. */
function workflowBakeBuilds(repo: Repo): DeclaredBuild[] {
  const builds: DeclaredBuild[] = [];
  for (const workflow of repo.workflows) {
    for (const job of workflow.model.jobs) {
      for (const step of job.steps) {
        if (step.uses?.slug === 'docker/bake-action' && step.uses.path === null) {
          const source = step.with.get('source')?.value ?? step.with.get('workdir')?.value ?? '.';
          const workdir = /:\/\/|\$\{\{/.test(source) ? '' : normalize(source);
          const files = listInput(step.with.get('files')?.value);
          const targets = listInput(step.with.get('targets')?.value);
          if ([...files, ...targets].some((value) => value.includes('${{'))) {
            continue;
          }
          const paths = files.length > 0 ? files.map((file) => join(workdir, file)) : defaultBakeFiles(repo, workdir);
          builds.push(...bakeTargetBuilds(repo, paths, targets, workdir, 'workflow', workflow.path));
          continue;
        }
        const workdir = normalize(step.workingDirectory?.value ?? '.');
        for (const command of step.run?.shell?.commands ?? []) {
          const call = invocation(command);
          const words = call.args.map((word) => word.value ?? '');
          if (call.program === 'docker' && words[0] === 'buildx' && words[1] === 'bake' && !workdir.includes('$')) {
            builds.push(...bakeCallBuilds(repo, call.args.slice(2), workdir, 'workflow', workflow.path));
          }
        }
      }
    }
  }
  return builds;
}

/** A docker/*-action list input: one entry per line or comma. */
function listInput(value: string | undefined): string[] {
  return (value ?? '').split(/[\n,]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
}
