/**
 * Image families and build contexts. A Dockerfile's context comes, in order of trust, from the
 * config, from a workflow step or bake file or script that builds it, and otherwise from its COPY
 * sources: the Dockerfile's folder when they resolve there, the repository root when they only
 * resolve from there.
 */
import { posix } from 'node:path';
import { bakeBuildPaths, bakeTargetsIn, DEFAULT_BAKE_FILES, type BakeModel } from '../parse/bake.js';
import { buildInputs, type Dockerfile } from '../parse/dockerfile.js';
import { invocations } from '../parse/shell-query.js';
import { normalize } from './paths.js';
import type { ContextSource, DockerfileEntry, DockerignoreFile, ImageFamily, Repo } from './repo.js';
import { commandBuilds, workflowImageBuilds } from './workflow-builds.js';

export { normalize };

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
  // Workflow and script builds come from the same extraction the workflow rules use.
  const declared = [...bakeBuilds(repo), ...workflowBuilds(repo), ...scriptBuilds(repo)];
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





/** Builds the workflows run (build-push-action, bake-action, `docker build`/`buildx bake` in `run:`). */
function workflowBuilds(repo: Repo): DeclaredBuild[] {
  return repo.workflows.flatMap((workflow) => declared(workflowImageBuilds(workflow.model, repo), 'workflow', workflow.path));
}

/** Builds the repository's scripts run directly (`docker build -f x .`, `docker buildx bake target`). */
function scriptBuilds(repo: Repo): DeclaredBuild[] {
  return repo.scripts.flatMap((script) =>
    declared(invocations(script.shell).flatMap((call) => commandBuilds(call, null, repo)), 'script', script.path));
}

function declared(builds: readonly { dockerfile: string | null; context: string | null }[], source: ContextSource, evidence: string): DeclaredBuild[] {
  return builds.flatMap((build) => (build.dockerfile !== null && build.context !== null
    ? [{ dockerfile: build.dockerfile, context: build.context, source, evidence }]
    : []));
}
