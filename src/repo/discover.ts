/**
 * Discovery: walks the repository once, classifies files, reads and parses the ones review needs,
 * and turns every unreadable or malformed input into a `DiscoveryProblem` instead of an exception.
 */
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, posix, relative as relativePath, resolve, sep } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import picomatch from 'picomatch';
import { UsageError } from '../errors.js';
import { parseBake } from '../parse/bake.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { LineIndex, lineRange } from '../parse/locations.js';
import { parseRequirements } from '../parse/requirements.js';
import { initShellParser, parseShell } from '../parse/shell.js';
import { parseWorkflow } from '../parse/workflow.js';
import { CONFIG_FILES, loadConfig } from './config.js';
import type { Config } from './config.schema.js';
import { resolveFamilies } from './families.js';
import type { BakeFile, DiscoveryProblem, DockerignoreFile, FileKind, Repo, RequirementsFile, ScriptFile, TextFile, WorkflowFile } from './repo.js';

/** Directories never walked: VCS data, dependencies and vendored trees. */
export const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', 'vendor', 'third_party', '.venv', 'venv', '__pycache__', '.baseimg', '.tox', '.mypy_cache']);

/** Dockerfiles above this size are reported, not parsed (a generated 10 MB file is not a Dockerfile anyone reviews). */
export const MAX_PARSED_BYTES = 2 * 1024 * 1024;

/** Suffixes that make `Dockerfile.<suffix>` something other than a Dockerfile variant. */
const NOT_DOCKERFILE_SUFFIX = /\.(md|markdown|rst|txt|adoc|html?|orig|rej|bak|swp|tmp)$/i;

/** Options for `discover`. */
export interface DiscoverOptions {
  /** An explicit config file (`--config`); otherwise the root is searched for `CONFIG_FILES`. */
  configPath?: string;
  /**
   * Texts that stand in for files on disk (relative path -> text), so that `planFixes` can review
   * its edits before anything is written. A path the walk did not find is a file a fix creates
   * (a generated .dockerignore): it joins the model as if it were on disk.
   */
  overlay?: ReadonlyMap<string, string>;
}

/** Classifies a path by its name (scripts are also found by shebang, see `discover`). */
export function classify(path: string): FileKind | null {
  const name = basename(path);
  if (CONFIG_FILES.includes(name as (typeof CONFIG_FILES)[number]) && !path.includes('/')) {
    return 'config';
  }
  if (name === '.dockerignore' || name.endsWith('.dockerignore')) {
    return 'dockerignore';
  }
  // `Dockerfile.gpu` is a Dockerfile; `Dockerfile.md` or `Dockerfile.orig` is documentation or an editor leftover.
  if (/^(Dockerfile|Containerfile)$/.test(name) || /\.(Dockerfile|Containerfile)$/.test(name)
    || (/^(Dockerfile|Containerfile)\.[^/]+$/.test(name) && !NOT_DOCKERFILE_SUFFIX.test(name))) {
    return 'dockerfile';
  }
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml(\.[A-Za-z0-9_-]+)?$/.test(path)) {
    return 'workflow';
  }
  if (/^docker-bake(\.override)?\.(hcl|json)$/.test(name)) {
    return 'bake';
  }
  if (/\.(sh|bash)$/.test(name)) {
    return 'script';
  }
  if (/^(requirements|constraints)([-_.][^/]*)?\.(txt|in)$/.test(name) || /\.requirements\.txt$/.test(name) || /(^|\/)requirements\/[^/]+\.(txt|in)$/.test(path)) {
    return 'requirements';
  }
  return null;
}

/** A workflow file GitHub does not run because of its name (`ci.yaml.paused`, `ci.yml.disabled`). */
export function isDisabledWorkflow(path: string): boolean {
  return !/\.ya?ml$/.test(path);
}

/** Decoded file text, or the reason it could not be decoded. */
type Decoded = { ok: true; text: string } | { ok: false; ruleId: string; message: string; line: number };

/** Decodes bytes as UTF-8 text: strips a BOM, rejects binary content and invalid UTF-8 with a reason. */
export function decodeText(bytes: Uint8Array): Decoded {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) {
    return { ok: false, ruleId: 'review/unreadable-file', message: 'file is binary (contains NUL bytes); not reviewed', line: 1 };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: text.replace(/^\uFEFF/, '') };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const bad = text.indexOf('\uFFFD');
    const line = bad >= 0 ? text.slice(0, bad).split('\n').length : 1;
    return { ok: false, ruleId: 'review/unreadable-file', message: 'file is not valid UTF-8; not reviewed', line };
  }
}

/** Walks `root` and builds the Repo model. Throws `UsageError` when `root` does not exist. */
export async function discover(root: string, options: DiscoverOptions = {}): Promise<Repo> {
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch {
    throw new UsageError(`path does not exist: ${root}`);
  }
  if (!rootStat.isDirectory()) {
    throw new UsageError(`not a directory: ${root}`);
  }
  const { config, file: configFile } = await findConfig(root, options.configPath);
  await initShellParser();

  const problems: DiscoveryProblem[] = [];
  const ignoredPaths = config.ignore?.paths ?? [];
  const isIgnored = ignoredPaths.length > 0 ? picomatch(ignoredPaths, { dot: true }) : () => false;
  const files = new Set<string>();
  const directories = new Set<string>(['']);
  const skipped: string[] = [];
  const kinds = new Map<string, FileKind>();
  const candidates: string[] = [];
  const rootReal = await realpath(root);
  const visited = new Set<string>([rootReal]);

  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, relative), { withFileTypes: true });
    } catch (error) {
      problems.push(problem('review/unreadable-file', relative || '.', `cannot list directory: ${errorCode(error)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(join(root, path));
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          if (isDirectory) {
            const real = await realpath(join(root, path));
            if (visited.has(real) || isWithin(real, rootReal)) {
              // A link to a folder of the repository is an alias: its files are reviewed at their
              // own path, not twice. A link to a folder that contains it is a loop: say so.
              skipped.push(path);
              const holder = await realpath(join(root, relative || '.'));
              if (isWithin(holder, real)) {
                problems.push(problem('review/unreadable-file', path, 'symbolic link points to a folder that contains it (a loop); not followed'));
              }
              continue;
            }
            visited.add(real);
          }
        } catch (error) {
          // A broken link named like a file review never reads (README.md, model.onnx) is no gap in
          // the review; one that could be a Dockerfile, a script or a folder is.
          if (classify(path) === null && basename(path).includes('.')) {
            continue;
          }
          const code = errorCode(error);
          const reason = code === 'ENOENT' ? 'broken symbolic link: its target does not exist'
            : code === 'ELOOP' ? 'symbolic link loops (ELOOP)'
              : `cannot follow symbolic link: ${code}`;
          problems.push(problem('review/unreadable-file', path, `${reason}; not reviewed`));
          continue;
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(path) || isIgnored(`${path}/`)) {
          skipped.push(path);
          continue;
        }
        directories.add(path);
        await walk(path);
      } else if (isFile) {
        if (isIgnored(path)) {
          continue;
        }
        files.add(path);
        const kind = classify(path);
        if (kind) {
          kinds.set(path, kind);
        } else if (!basename(path).includes('.')) {
          candidates.push(path);
        }
      }
    }
  };
  await walk('');
  for (const path of [...(options.overlay?.keys() ?? [])].sort()) {
    if (files.has(path) || isIgnored(path)) {
      continue;
    }
    files.add(path);
    const kind = classify(path);
    if (kind) {
      kinds.set(path, kind);
    }
  }

  // Extensionless files are scripts when their shebang names a POSIX shell.
  for (const path of candidates) {
    const overlaid = options.overlay?.get(path);
    if (overlaid !== undefined ? shebangInterpreter(overlaid.split('\n')[0] ?? '') !== null : await hasShellShebang(join(root, path))) {
      kinds.set(path, 'script');
    }
  }

  const repo: Repo = {
    root,
    config,
    configFile,
    files,
    directories,
    skippedDirectories: skipped,
    dockerfiles: [],
    dockerignores: [],
    scripts: [],
    requirements: [],
    workflows: [],
    bakeFiles: [],
    families: [],
    problems,
  };

  const dockerfiles = [];
  for (const [path, kind] of [...kinds].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (kind === 'config') {
      continue;
    }
    const text = options.overlay?.get(path) ?? await readTextFile(root, path, problems, kind === 'dockerfile' ? MAX_PARSED_BYTES : 8 * MAX_PARSED_BYTES);
    if (text === null) {
      continue;
    }
    switch (kind) {
      case 'dockerfile':
        // A file without FROM (prose, a fragment, an empty file) stays in the model:
        // dockerfile/no-from and dockerfile/unknown-instruction say what is wrong with it.
        dockerfiles.push(parseDockerfile(path, text));
        break;
      case 'dockerignore':
        repo.dockerignores.push(parseDockerignore(path, text));
        break;
      case 'script':
        repo.scripts.push(parseScript(path, text));
        break;
      case 'requirements':
        repo.requirements.push({ path, text, model: parseRequirements(path, text) } satisfies RequirementsFile);
        break;
      case 'workflow':
        repo.workflows.push({ path, text, disabled: isDisabledWorkflow(path), model: parseWorkflow(path, text) } satisfies WorkflowFile);
        break;
      case 'bake': {
        const model = await parseBake(path, text);
        repo.bakeFiles.push({ path, text, model } satisfies BakeFile);
        // A bake file that does not parse links no Dockerfile to its targets: say so (principle 6).
        for (const bakeProblem of model.problems) {
          problems.push({ ruleId: 'review/unreadable-file', file: path, range: bakeProblem.range, message: `${bakeProblem.message}; its targets are not linked to their Dockerfiles` });
        }
        break;
      }
    }
  }
  resolveFamilies(repo, dockerfiles);
  return repo;
}

async function findConfig(root: string, configPath: string | undefined): Promise<{ config: Config; file: TextFile | null }> {
  if (configPath) {
    const loaded = await loadConfig(configPath, configPath);
    // Findings about the config (unused ignores) name it relative to the repository when it lies inside.
    const absolute = resolve(configPath);
    const shown = isWithin(absolute, root) && absolute !== root ? relativePath(root, absolute).split(sep).join('/') : configPath;
    return { config: loaded.config, file: { path: shown, text: loaded.text } };
  }
  for (const name of CONFIG_FILES) {
    const path = join(root, name);
    try {
      await stat(path);
    } catch {
      continue;
    }
    const loaded = await loadConfig(path, name);
    return { config: loaded.config, file: { path: name, text: loaded.text } };
  }
  return { config: {}, file: null };
}

async function readTextFile(root: string, path: string, problems: DiscoveryProblem[], limit: number): Promise<string | null> {
  let bytes: Buffer;
  try {
    const info = await lstat(join(root, path));
    const size = info.isSymbolicLink() ? (await stat(join(root, path))).size : info.size;
    if (size > limit) {
      problems.push(problem('review/unreadable-file', path, `file is ${(size / 1024 / 1024).toFixed(1)} MiB, over the ${limit / 1024 / 1024} MiB review limit; not reviewed`));
      return null;
    }
    bytes = await readFile(join(root, path));
  } catch (error) {
    problems.push(problem('review/unreadable-file', path, `cannot read file: ${errorCode(error)}`));
    return null;
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    problems.push({ ruleId: decoded.ruleId, file: path, range: lineRange(decoded.line), message: decoded.message });
    return null;
  }
  return decoded.text;
}

async function hasShellShebang(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(128);
    const { bytesRead } = await handle.read(buffer, 0, 128, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    return shebangInterpreter(firstLine) !== null;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** The POSIX shell a shebang line names (`bash`, `sh`, `dash`, `ksh`), or null. */
export function shebangInterpreter(firstLine: string): string | null {
  const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (!match) {
    return null;
  }
  const program = posix.basename(match[1] ?? '');
  const interpreter = program === 'env' ? (match[2] ?? '') : program;
  return /^(ba|da|k|)sh$/.test(interpreter) ? interpreter : null;
}

/** Parses a shell script file. */
export function parseScript(path: string, text: string): ScriptFile {
  const interpreter = shebangInterpreter(text.split('\n')[0] ?? '');
  const dialect = interpreter === 'bash' || (interpreter === null && /\.bash$/.test(path)) || interpreter === null ? 'bash' : 'sh';
  return { path, text, lines: new LineIndex(text), shell: parseShell(text, { dialect }), interpreter };
}

/** Parses a .dockerignore with Docker's matching rules (moby/patternmatcher, via @balena/dockerignore). */
export function parseDockerignore(path: string, text: string): DockerignoreFile {
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  return {
    path,
    patterns,
    ignores: (relative) => relative !== '' && relative !== '.' && matcher.ignores(relative.replace(/^\.\//, '')),
  };
}

// The package is CommonJS (`module.exports = factory`) while its types declare `export default`;
// under NodeNext resolution the default import is the factory itself.
type IgnoreFactory = (options?: { ignorecase?: boolean }) => { add(patterns: string[]): { ignores(path: string): boolean } };
const dockerignore = ((dockerignoreModule as unknown as { default?: IgnoreFactory }).default ?? dockerignoreModule) as unknown as IgnoreFactory;

function problem(ruleId: string, file: string, message: string): DiscoveryProblem {
  return { ruleId, file, range: lineRange(1), message };
}

/** True when `path` is `folder` or lies below it (absolute paths). */
function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

