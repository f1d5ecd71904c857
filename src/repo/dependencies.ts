/**
 * The dependency inventory: per image family, every dependency the image installs, with its name,
 * ecosystem (PyPI, apt, a source build, a downloaded binary), version specifier, pin class and the
 * place it is declared. It is read from the Repo model only (no I/O) and is shared by the deps/*
 * and compat/* rules and by `baseimg matrix`.
 *
 * Sources of dependencies:
 * - requirements files the family lists or its Dockerfile installs with `-r`/`-c`, with their own
 *   `-r`/`-c` includes followed relative to the including file (cycles and missing files become
 *   problems, reported by deps/requirements-include-problem);
 * - `pip install` / `uv pip install` words in RUN, with `--index-url`/`--extra-index-url` (the torch
 *   wheel channel, `.../whl/cu128`) and build ARGs expanded from the RUN's scope;
 * - `apt-get install` words, `name=version` being a pin;
 * - source tarballs and git tags of known projects (FFmpeg, codecs, CPython, Node.js) fetched in RUN
 *   or in a repository script a RUN executes (scripts/install_ffmpeg_deps.sh).
 *
 * When a version comes from an ARG/ENV (`ARG FFMPEG_VERSION=6.1.1`), `versionAt` points at that
 * declaration, where the fix belongs.
 */
import { posix } from 'node:path';
import type { Dockerfile, DockerInstruction, RunInstruction, Stage } from '../parse/dockerfile.js';
import { expand, type Scope } from '../parse/expand.js';
import type { Range } from '../parse/locations.js';
import type { Requirement, RequirementOption } from '../parse/requirements.js';
import type { ShellScript, ShellWord } from '../parse/shell.js';
import { aptPackages, flagValue, invocations, isAptInstall, isUrl, pipInstall, type Invocation } from '../parse/shell-query.js';
import { downloads, executesFile, resolveWord, type ShellBody } from '../rules/lib/downloads.js';
import { pinClass } from '../rules/lib/pin-policy.js';
import { pipPackages } from '../rules/lib/pip-packages.js';
import { stageChain } from '../rules/lib/variables.js';
import type { DockerfileEntry, ImageFamily, Repo, RequirementsFile } from './repo.js';

/** Where a dependency comes from. */
export type Ecosystem = 'pypi' | 'apt' | 'source' | 'binary';

/** How tightly a dependency is pinned (`reference`: a direct URL, judged by its URL). */
export type DependencyPin = 'exact' | 'range' | 'unpinned' | 'reference';

/** One dependency of one family. */
export interface Dependency {
  family: string;
  ecosystem: Ecosystem;
  /** PEP 503 name for PyPI, package name for apt, canonical project name for sources (`ffmpeg`). */
  name: string;
  /** The dependency as written (`torch==${TORCH_VERSION}`, `libnvinfer10`, a URL). */
  written: string;
  /** The exact version when pinned (PyPI `==`, apt `=`, a release tag), else null. */
  version: string | null;
  /** Version specifier as resolved (`>=1.6,<2`, `=10.14.1.48-1+cuda12.9`, '' when none). */
  specifier: string;
  pin: DependencyPin;
  file: string;
  range: Range;
  /** Where the version is set: the ARG/ENV declaration when it comes from one, else `file`/`range`. */
  versionAt: { file: string; range: Range };
  /** ARG/ENV names the version expands. */
  variables: string[];
  via: 'requirements' | 'constraints' | 'run' | 'script';
  /** For PyPI: index URLs in effect (requirements options, or the install's flags). */
  indexes: string[];
  /** For torch-family wheels: the download.pytorch.org channel (`cu128`, `cpu`) from an index or a `+local` tag. */
  channel: string | null;
  /** The PEP 508 requirement, for PyPI dependencies. */
  requirement: Requirement | null;
  hashes: number;
  /** A constraints file entry that pins this requirement exactly, when one does. */
  constrainedBy: { file: string; range: Range; version: string } | null;
  /** The stage that installs it (Dockerfile dependencies only). */
  stage: string | null;
}

/** A problem met while following requirements includes. */
export interface DependencyProblem {
  file: string;
  range: Range;
  message: string;
  /** Problems with the same key are one problem (a cycle is met from each of its files). */
  key?: string;
}

/** Everything one family depends on. */
export interface FamilyDependencies {
  family: ImageFamily;
  entry: DockerfileEntry | null;
  dependencies: Dependency[];
  /** Requirements files the family installs, includes followed, in order. */
  requirementFiles: string[];
}

/** The whole inventory. */
export interface DependencyInventory {
  families: FamilyDependencies[];
  problems: DependencyProblem[];
}

// Memoised per Repo: rules of several areas and the matrix ask for the same inventory. The Repo
// model is immutable once discovered, so a WeakMap keyed by it is a cache, not state.
const cache = new WeakMap<Repo, DependencyInventory>();
// Shell bodies are parsed once; their calls and a RUN's index URLs are asked for per package.
const callCache = new WeakMap<ShellScript, Invocation[]>();
const indexCache = new WeakMap<RunInstruction, string[]>();

function callsOf(shell: ShellScript | null): Invocation[] {
  if (!shell) {
    return [];
  }
  let calls = callCache.get(shell);
  if (!calls) {
    calls = invocations(shell);
    callCache.set(shell, calls);
  }
  return calls;
}

/** The dependency inventory of `repo` (computed once per Repo object). */
export function dependencyInventory(repo: Repo): DependencyInventory {
  let inventory = cache.get(repo);
  if (!inventory) {
    inventory = buildInventory(repo);
    cache.set(repo, inventory);
  }
  return inventory;
}

/** The dependencies of one family by name, or null when the family is unknown. */
export function familyDependencies(repo: Repo, family: string): FamilyDependencies | null {
  return dependencyInventory(repo).families.find((candidate) => candidate.family.name === family) ?? null;
}

function buildInventory(repo: Repo): DependencyInventory {
  const problems = new Map<string, DependencyProblem>();
  const addProblem = (problem: DependencyProblem): void => {
    const key = problem.key ?? `${problem.file}:${problem.range.start.line}:${problem.message}`;
    if (!problems.has(key)) {
      problems.set(key, problem);
    }
  };
  // Include problems are properties of the files, found whether or not a family installs them.
  for (const file of repo.requirements) {
    requirementClosure(repo, file.path, addProblem);
  }
  const families = repo.families.map((family) => familyInventory(repo, family, addProblem));
  return { families, problems: [...problems.values()] };
}

interface ClosureEntry {
  file: RequirementsFile;
  kind: 'requirements' | 'constraints';
}

/**
 * The requirements files `path` installs: itself, then what its `-r`/`-c` lines include (relative
 * to the including file, as pip resolves them), depth first. A file that includes one of its
 * includers is a cycle: pip would recurse until it fails, so it is a problem at the include line.
 */
export function requirementClosure(repo: Repo, path: string, problem: (problem: DependencyProblem) => void, kind: 'requirements' | 'constraints' = 'requirements'): ClosureEntry[] {
  const result: ClosureEntry[] = [];
  const seen = new Set<string>();
  const visit = (current: string, currentKind: 'requirements' | 'constraints', stack: string[]): void => {
    const file = repo.requirements.find((candidate) => candidate.path === current);
    if (!file || seen.has(current)) {
      return;
    }
    seen.add(current);
    result.push({ file, kind: currentKind });
    for (const entry of file.model.entries) {
      if (entry.kind !== 'include') {
        continue;
      }
      if (entry.path.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.path) || entry.path.includes('$')) {
        problem({ file: file.path, range: entry.range, message: `cannot follow include ${JSON.stringify(entry.path)} (an absolute path, URL or variable); its requirements are not checked` });
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file.path), entry.path));
      if (stack.includes(target) || target === file.path) {
        const members = [...stack.slice(Math.max(stack.indexOf(target), 0)), file.path].sort();
        problem({ file: file.path, range: entry.range, key: `cycle:${members.join('|')}`, message: `include ${JSON.stringify(entry.path)} forms a cycle (${[...stack, file.path, target].join(' -> ')}); pip fails on recursive includes, remove one of them` });
        continue;
      }
      if (!repo.requirements.some((candidate) => candidate.path === target)) {
        const exists = repo.files.has(target);
        problem({ file: file.path, range: entry.range, message: exists
          ? `include ${JSON.stringify(entry.path)} (${target}) is not read as a requirements file; name it *.txt or list it under the family's "requirements" in the config`
          : `include ${JSON.stringify(entry.path)} names ${target}, which does not exist; pip install fails on it` });
        continue;
      }
      visit(target, entry.type === 'constraints' ? 'constraints' : currentKind, [...stack, file.path]);
    }
  };
  visit(path, kind, []);
  return result;
}

function familyInventory(repo: Repo, family: ImageFamily, problem: (problem: DependencyProblem) => void): FamilyDependencies {
  const entry = repo.dockerfiles.find((candidate) => candidate.dockerfile.path === family.dockerfile) ?? null;
  const dependencies: Dependency[] = [];
  const requirementRoots = new Map<string, 'requirements' | 'constraints'>();
  // A file some requirements file includes with `-c` is a constraints file wherever it is listed.
  const constraintFiles = new Set<string>();
  for (const file of repo.requirements) {
    for (const include of file.model.entries) {
      if (include.kind === 'include' && include.type === 'constraints') {
        constraintFiles.add(posix.normalize(posix.join(posix.dirname(file.path), include.path)));
      }
    }
  }
  for (const path of family.requirements) {
    requirementRoots.set(path, constraintFiles.has(path) ? 'constraints' : 'requirements');
  }
  if (entry) {
    const dockerfile = entry.dockerfile;
    for (const pkg of pipPackages(repo, entry)) {
      if (pkg.via !== 'run') {
        if (!requirementRoots.has(pkg.file)) {
          requirementRoots.set(pkg.file, pkg.via);
        }
        continue;
      }
      const indexes = runIndexes(pkg.run);
      dependencies.push(pypiDependency(family.name, pkg.requirement, {
        file: pkg.file,
        range: pkg.range,
        written: pkg.written,
        variables: pkg.variables,
        versionAt: variableDeclaration(dockerfile, pkg.run, pkg.variables) ?? { file: pkg.file, range: pkg.range },
        via: 'run',
        indexes,
        stage: stageLabel(pkg.stage),
      }));
    }
    for (const instruction of dockerfile.instructions) {
      if (instruction.kind !== 'run' || !instruction.shell || !instruction.stage) {
        continue;
      }
      const body: ShellBody = { calls: callsOf(instruction.shell), scope: instruction.scope };
      dependencies.push(...bodyDependencies(family.name, body, dockerfile.path, stageLabel(instruction.stage), 'run', (names) => variableDeclaration(dockerfile, instruction, names)));
      // A repository script this RUN executes (COPY scripts/x.sh /tmp/x.sh; RUN bash /tmp/x.sh).
      for (const script of repo.scripts) {
        if (body.calls.some((call) => executesFile(call, script.path, instruction.scope))) {
          dependencies.push(...bodyDependencies(family.name, { calls: callsOf(script.shell), scope: null }, script.path, stageLabel(instruction.stage), 'script', () => null));
        }
      }
    }
    const base = pythonBase(dockerfile);
    if (base) {
      dependencies.push({ ...emptyDependency(family.name, 'binary', 'cpython'), written: base.written, version: base.version, pin: 'exact', file: dockerfile.path, range: base.range, versionAt: { file: dockerfile.path, range: base.range }, via: 'run', stage: base.stage });
    }
  }

  // Requirements files, includes followed; constraints pin what the requirements leave open.
  const requirementFiles: string[] = [];
  const fromFiles: Dependency[] = [];
  const constraints = new Map<string, { file: string; range: Range; version: string }>();
  for (const [root, kind] of requirementRoots) {
    for (const { file, kind: entryKind } of requirementClosure(repo, root, problem, kind)) {
      if (requirementFiles.includes(file.path)) {
        continue;
      }
      requirementFiles.push(file.path);
      const indexes = file.model.entries
        .filter((option): option is RequirementOption => option.kind === 'option' && (option.name === '--index-url' || option.name === '--extra-index-url' || option.name === '--find-links'))
        .map((option) => option.value ?? '');
      for (const requirement of file.model.requirements) {
        if (entryKind === 'constraints') {
          const exact = requirement.clauses.find((clause) => clause.kind === 'exact');
          if (exact) {
            constraints.set(requirement.normalizedName, { file: file.path, range: requirement.range, version: exact.version });
          }
        }
        fromFiles.push(pypiDependency(family.name, requirement, {
          file: file.path,
          range: requirement.range,
          written: requirement.text,
          variables: [],
          versionAt: { file: file.path, range: requirement.range },
          via: entryKind,
          indexes,
          stage: null,
        }));
      }
    }
  }
  for (const dependency of [...dependencies, ...fromFiles]) {
    if (dependency.ecosystem === 'pypi' && dependency.via !== 'constraints') {
      dependency.constrainedBy = constraints.get(dependency.name) ?? null;
    }
  }
  return { family, entry, dependencies: [...dependencies, ...fromFiles], requirementFiles };
}

function emptyDependency(family: string, ecosystem: Ecosystem, name: string): Dependency {
  const nowhere: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return {
    family, ecosystem, name, written: name, version: null, specifier: '', pin: 'unpinned', file: '', range: nowhere,
    versionAt: { file: '', range: nowhere }, variables: [], via: 'run', indexes: [], channel: null, requirement: null,
    hashes: 0, constrainedBy: null, stage: null,
  };
}

function pypiDependency(
  family: string,
  requirement: Requirement,
  at: { file: string; range: Range; written: string; variables: string[]; versionAt: { file: string; range: Range }; via: Dependency['via']; indexes: string[]; stage: string | null },
): Dependency {
  const exact = requirement.clauses.find((clause) => clause.kind === 'exact');
  // `torch==2.9.1+cu128`: the local tag names the channel, and the public version is what compares.
  const local = exact ? /\+([a-z0-9.]+)$/i.exec(exact.version) : null;
  const version = exact ? exact.version.replace(/\+[a-z0-9.]+$/i, '') : null;
  return {
    ...emptyDependency(family, 'pypi', requirement.normalizedName),
    written: at.written,
    version,
    specifier: requirement.specifier,
    pin: pinClass(requirement),
    file: at.file,
    range: at.range,
    versionAt: at.versionAt,
    variables: at.variables,
    via: at.via,
    indexes: at.indexes,
    channel: local?.[1]?.toLowerCase() ?? channelOf(at.indexes),
    requirement,
    hashes: requirement.hashes.length,
    stage: at.stage,
  };
}

/** The download.pytorch.org channel among index URLs (`https://download.pytorch.org/whl/cu128` -> `cu128`). */
export function channelOf(indexes: readonly string[]): string | null {
  for (const index of indexes) {
    const match = /download\.pytorch\.org\/whl\/(?:nightly\/)?([a-z]+[0-9.]*)\/?$/i.exec(index);
    if (match?.[1]) {
      return match[1].toLowerCase();
    }
  }
  return null;
}

/** Index URLs the pip installs of a RUN name (`--index-url`, `--extra-index-url`, `--find-links`), expanded. */
function runIndexes(run: RunInstruction): string[] {
  const cached = indexCache.get(run);
  if (cached) {
    return cached;
  }
  const indexes: string[] = [];
  indexCache.set(run, indexes);
  for (const call of callsOf(run.shell)) {
    const install = pipInstall(call);
    if (!install) {
      continue;
    }
    for (let i = 0; i < install.args.length; i++) {
      const value = install.args[i]?.value ?? install.args[i]?.text ?? '';
      const [flag = '', inline] = value.split(/=(.*)/s);
      if (['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--index', '--default-index'].includes(flag)) {
        const raw = inline ?? install.args[i + 1]?.value ?? install.args[i + 1]?.text ?? '';
        indexes.push(expand(raw.replace(/^["']|["']$/g, ''), run.scope).value);
      }
    }
  }
  return indexes;
}

/** `name (stage)` label: the stage's name or its index. */
function stageLabel(stage: Stage): string {
  return stage.name ?? `#${stage.index + 1}`;
}

/**
 * The ARG or ENV that sets the first of `names` for `run`: the last declaration with a value in the
 * global ARGs or the stage lineage before the RUN.
 */
function variableDeclaration(dockerfile: Dockerfile, run: DockerInstruction, names: readonly string[]): { file: string; range: Range } | null {
  if (!run.stage) {
    return null;
  }
  const visible = [...dockerfile.globalArgs, ...[...stageChain(run.stage)].reverse().flatMap((stage) => stage.instructions)];
  for (const name of names) {
    let last: Range | null = null;
    for (const instruction of visible) {
      if (instruction.range.start.line > run.range.start.line) {
        continue;
      }
      if (instruction.kind === 'arg') {
        const declaration = instruction.declarations.find((candidate) => candidate.name === name && candidate.value !== undefined);
        if (declaration) {
          last = declaration.range;
        }
      } else if (instruction.kind === 'env') {
        const pair = instruction.pairs.find((candidate) => candidate.name === name);
        if (pair) {
          last = pair.range;
        }
      }
    }
    if (last) {
      return { file: dockerfile.path, range: last };
    }
  }
  return null;
}

/** Projects built from source or downloaded as binaries, recognised by their release URLs. */
const SOURCE_URLS: { name: string; ecosystem: Ecosystem; pattern: RegExp }[] = [
  { name: 'ffmpeg', ecosystem: 'source', pattern: /ffmpeg\.org\/releases\/ffmpeg-(\d+(?:\.\d+)+)\.tar/ },
  { name: 'openh264', ecosystem: 'source', pattern: /github\.com\/cisco\/openh264\/(?:archive\/(?:refs\/tags\/)?v|releases\/download\/v)(\d+(?:\.\d+)+)/ },
  { name: 'libvpx', ecosystem: 'source', pattern: /github\.com\/webmproject\/libvpx\/archive\/(?:refs\/tags\/)?v(\d+(?:\.\d+)+)\.tar/ },
  { name: 'dav1d', ecosystem: 'source', pattern: /dav1d(?:\/-\/archive\/|-)(\d+(?:\.\d+)+)[/.]/ },
  { name: 'svt-av1', ecosystem: 'source', pattern: /SVT-AV1\/-\/archive\/v(\d+(?:\.\d+)+)\//i },
  { name: 'x264', ecosystem: 'source', pattern: /x264-snapshot-(\d+)/ },
  { name: 'cpython', ecosystem: 'source', pattern: /python\.org\/ftp\/python\/(\d+\.\d+\.\d+)\// },
  { name: 'nodejs', ecosystem: 'binary', pattern: /nodejs\.org\/(?:dist|download\/release)\/v(\d+\.\d+\.\d+)\// },
];

/** Git repositories of the same projects, for `git clone --branch <tag>`. */
const SOURCE_GITS: { name: string; pattern: RegExp }[] = [
  { name: 'ffmpeg', pattern: /(?:git\.ffmpeg\.org\/ffmpeg|github\.com\/FFmpeg\/FFmpeg)(?:\.git)?\/?$/i },
  { name: 'nv-codec-headers', pattern: /nv-codec-headers(?:\.git)?\/?$/ },
  { name: 'openh264', pattern: /cisco\/openh264(?:\.git)?\/?$/ },
  { name: 'x264', pattern: /videolan\/x264(?:\.git)?\/?$/ },
  { name: 'x265', pattern: /x265(?:_git)?(?:\.git)?\/?$/ },
  { name: 'libvpx', pattern: /(?:webm|webmproject)\/libvpx(?:\.git)?\/?$/ },
  { name: 'dav1d', pattern: /videolan\/dav1d(?:\.git)?\/?$/ },
  { name: 'svt-av1', pattern: /SVT-AV1(?:\.git)?\/?$/i },
  { name: 'aom', pattern: /aomedia\.googlesource\.com\/aom(?:\.git)?\/?$/ },
];

/** apt packages, sources and binaries one shell body installs. */
function bodyDependencies(
  family: string,
  body: ShellBody,
  file: string,
  stage: string,
  via: 'run' | 'script',
  declarationOf: (names: string[]) => { file: string; range: Range } | null,
): Dependency[] {
  const found: Dependency[] = [];
  const variablesOf = (word: ShellWord): string[] => (body.scope ? expand(word.text, body.scope).references.map((reference) => reference.name) : []);
  const at = (word: ShellWord): Pick<Dependency, 'file' | 'range' | 'versionAt' | 'variables' | 'via' | 'stage'> => {
    const variables = variablesOf(word);
    return { file, range: word.range, versionAt: declarationOf(variables) ?? { file, range: word.range }, variables, via, stage };
  };
  const fetched = downloads(body);
  for (const call of body.calls) {
    if (isAptInstall(call)) {
      for (const word of aptPackages(call)) {
        const text = resolveWord(word, body.scope);
        const [name = text, version] = text.split(/=(.*)/s);
        if (!/^[a-z0-9][a-z0-9+.:*-]*$/.test(name)) {
          continue;
        }
        const pin: DependencyPin = version === undefined || version === '' ? 'unpinned' : version.includes('*') ? 'range' : 'exact';
        found.push({ ...emptyDependency(family, 'apt', name), ...at(word), written: word.value ?? word.text, version: pin === 'exact' ? (version ?? null) : null, specifier: version ? `=${version}` : '', pin });
      }
    }
    for (const download of fetched) {
      if (download.call !== call || !download.url || !download.urlWord) {
        continue;
      }
      for (const source of SOURCE_URLS) {
        const match = source.pattern.exec(download.url);
        if (match?.[1]) {
          found.push({ ...emptyDependency(family, source.ecosystem, source.name), ...at(download.urlWord), written: download.url, version: match[1], specifier: `==${match[1]}`, pin: 'exact' });
          break;
        }
      }
      // NodeSource setup scripts pin a major line only (`setup_20.x`).
      const nodesource = /deb\.nodesource\.com\/setup_(\d+)\.x/.exec(download.url);
      if (nodesource?.[1]) {
        found.push({ ...emptyDependency(family, 'binary', 'nodejs'), ...at(download.urlWord), written: download.url, version: null, specifier: `==${nodesource[1]}.*`, pin: 'range' });
      }
    }
    if (call.program === 'git' && (call.args[0]?.value ?? '') === 'clone') {
      const urlWord = call.args.find((word) => isUrl(resolveWord(word, body.scope)));
      if (!urlWord) {
        continue;
      }
      const url = resolveWord(urlWord, body.scope);
      const project = SOURCE_GITS.find((candidate) => candidate.pattern.test(url));
      if (!project) {
        continue;
      }
      const { branch, word: branchWord } = gitBranch(call, body.scope);
      const version = branch ? /^(?:n|v|release-)?(\d+(?:\.\d+)+)$/.exec(branch)?.[1] ?? null : null;
      found.push({
        ...emptyDependency(family, 'source', project.name),
        ...at(version && branchWord ? branchWord : urlWord),
        written: branch ? `${url} @ ${branch}` : url,
        version,
        specifier: version ? `==${version}` : branch ? `@${branch}` : '',
        pin: version ? 'exact' : 'unpinned',
      });
    }
  }
  return found;
}

/** The `--branch`/`-b` of a git clone, expanded, and the word that holds it. */
function gitBranch(call: Invocation, scope: Scope | null): { branch: string | null; word: ShellWord | null } {
  const value = flagValue(call.args, '--branch', '-b');
  if (value === null) {
    return { branch: null, word: null };
  }
  const stripped = value.replace(/^["']|["']$/g, '');
  const index = call.args.findIndex((word) => /^(--branch|-b)(=|$)/.test(word.value ?? word.text));
  const flag = call.args[index];
  const word = flag && /^(--branch|-b)$/.test(flag.value ?? flag.text) ? (call.args[index + 1] ?? null) : (flag ?? null);
  return { branch: scope ? expand(stripped, scope).value : stripped, word };
}

/** A CPython version from an official `python:X.Y[.Z]` base image of any stage. */
function pythonBase(dockerfile: Dockerfile): { version: string; written: string; range: Range; stage: string } | null {
  for (const stage of dockerfile.stages) {
    const base = stage.base;
    if (base.stage || base.scratch || !base.tag) {
      continue;
    }
    const official = /^(?:docker\.io\/)?(?:library\/)?python$/.exec(base.name ?? '');
    const version = /^(\d+\.\d+(?:\.\d+)?)/.exec(base.tag)?.[1];
    if (official && version) {
      return { version, written: base.expanded, range: base.range, stage: stageLabel(stage) };
    }
  }
  return null;
}
