/**
 * ShellCheck adapter: checks script files in place and RUN and workflow `run:` bodies through
 * temporary files, in as few processes as there are cores, and maps every comment back to the
 * Dockerfile, script or workflow line.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Position, Range } from '../parse/locations.js';
import type { PositionMap } from '../parse/shell.js';
import type { Severity } from '../rules/finding.js';
import { runProcess } from './process.js';
import { shellcheckOutput, type ShellcheckComment } from './shellcheck.schema.js';

/** A shell body to check. */
export interface ShellUnit {
  /** The file findings are reported in (repository-relative). */
  file: string;
  /** For script files: checked in place (relative to `cwd`). For RUN bodies: the text to check. */
  text: string | null;
  /**
   * For script files that read no other file (no `source` or `.`): their text, which makes their
   * result cacheable like a RUN body's. Left out for scripts that source others: the key could not
   * see the sourced files.
   */
  content?: string;
  dialect: 'sh' | 'bash';
  /** Maps a position in `text` to the file (RUN bodies only). */
  map?: PositionMap;
  /** Variables the Dockerfile or workflow declares (ARG/ENV in scope, `env:`), so SC2154 is not raised for them. */
  declared?: string[];
  /** Codes to disable for this body only, on top of those every text body gets. */
  exclude?: string[];
  /** The lines of `file` the unit covers, to pair parse errors with their unit. */
  lines: { from: number; to: number };
}

/** A ShellCheck comment mapped to our terms. */
export interface ShellcheckFinding {
  unit: ShellUnit;
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
}

/** Options that come from config. */
export interface ShellcheckOptions {
  cwd: string;
  exclude?: string[];
  minLevel?: 'error' | 'warning' | 'info' | 'style';
  program?: string;
  /** ShellCheck's version, part of every cache key. */
  version?: string;
  /**
   * A folder for ShellCheck results of RUN bodies, keyed by everything that decides them (body,
   * shell, declared names, options, ShellCheck version); null or absent turns caching off.
   * Script files are cached only when they read no other file (`ShellUnit.content`), with the
   * ShellCheck rc files that apply to them in the key.
   */
  cacheDir?: string | null;
}

/** The ShellCheck on PATH (or at `program`), with its version, or null when it cannot be run. */
export async function detect(program = 'shellcheck'): Promise<{ path: string; version: string } | null> {
  // One spawn: asking the shell where it is first would double the cost of a check that runs on every review.
  const result = await runProcess(program, ['--version']).catch(() => null);
  const version = /version:\s*(\S+)/.exec(result?.stdout ?? '')?.[1];
  return version ? { path: program, version } : null;
}

// SC1090/SC1091: a RUN body cannot `source` files of the repository; following them means nothing there.
const RUN_BODY_EXCLUDES = ['SC1090', 'SC1091'];

/** A ShellCheck run that has been started; `done` settles with the mapped findings. */
export interface ShellcheckJob {
  done: Promise<ShellcheckFinding[]>;
}

/**
 * Starts ShellCheck over every unit and returns once its processes are running, so the caller
 * can run the rules on this core while ShellCheck works on the others. Identical RUN bodies (same
 * text, shell and declared names; common across the Dockerfiles of one repository) are checked
 * once. `done` rejects only when ShellCheck cannot be run at all or prints something unexpected.
 */
export async function start(units: readonly ShellUnit[], options: ShellcheckOptions): Promise<ShellcheckJob> {
  if (units.length === 0) {
    return { done: Promise.resolve([]) };
  }
  const program = options.program ?? 'shellcheck';
  const temp = await mkdtemp(join(tmpdir(), 'baseimg-shellcheck-'));
  const args = ['--format=json1', `--severity=${options.minLevel ?? 'style'}`, '--external-sources', '--source-path=SCRIPTDIR'];
  if (options.exclude && options.exclude.length > 0) {
    args.push(`--exclude=${options.exclude.join(',')}`);
  }
  const owners = new Map<string, { units: ShellUnit[]; headerLines: number; cacheKey: string | null }>();
  const bodyPaths = new Map<string, string>();
  const files: string[] = [];
  // Comments by the file ShellCheck saw (a temp file, a script, or `cache:<key>` for a cache hit).
  const results = new Map<string, ShellcheckComment[]>();
  const rcTexts = new Map<string, Promise<string>>();
  for (const unit of units) {
    if (unit.text === null) {
      let cacheKey: string | null = null;
      if (options.cacheDir && unit.content !== undefined) {
        const rc = await shellcheckRcText(resolve(options.cwd, dirname(unit.file)), rcTexts);
        cacheKey = createHash('sha256').update(`${options.version ?? ''}\0${args.join(' ')}\0script\0${unit.file}\0${rc}\0${unit.content}`).digest('hex');
        const hit = await readCache(options.cacheDir, cacheKey);
        if (hit) {
          const id = `cache:${cacheKey}`;
          owners.set(id, { units: [unit], headerLines: 0, cacheKey: null });
          results.set(id, hit);
          continue;
        }
      }
      files.push(unit.file);
      owners.set(unit.file, { units: [unit], headerLines: 0, cacheKey });
      continue;
    }
    const declared = (unit.declared ?? []).filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)).sort();
    // The directives come before any command, so they hold for the whole file.
    const header = [
      `# shellcheck shell=${unit.dialect} disable=${[...RUN_BODY_EXCLUDES, ...(unit.exclude ?? [])].join(',')}`,
      declared.length > 0 ? `export ${declared.map((name) => `${name}=`).join(' ')}` : ':',
    ];
    const content = `${header.join('\n')}\n${unit.text}\n`;
    const existing = bodyPaths.get(content);
    if (existing) {
      owners.get(existing)?.units.push(unit);
      continue;
    }
    const cacheKey = options.cacheDir ? createHash('sha256').update(`${options.version ?? ''}\0${args.join(' ')}\0${content}`).digest('hex') : null;
    const hit = cacheKey && options.cacheDir ? await readCache(options.cacheDir, cacheKey) : null;
    if (hit) {
      const id = `cache:${cacheKey}`;
      bodyPaths.set(content, id);
      owners.set(id, { units: [unit], headerLines: header.length, cacheKey: null });
      results.set(id, hit);
      continue;
    }
    const path = join(temp, `run-${bodyPaths.size}.sh`);
    await writeFile(path, content);
    bodyPaths.set(content, path);
    files.push(path);
    owners.set(path, { units: [unit], headerLines: header.length, cacheKey });
  }
  // One process per core. Smaller batches (100 files a process) measured slower on 2600 bodies:
  // ShellCheck's per-process start-up outweighs its per-file growth.
  const batchCount = Math.min(availableParallelism(), files.length);
  const batches = Array.from({ length: batchCount }, (_, index) => files.filter((__, position) => position % batchCount === index));
  const runs = batches.map(async (batch) => {
    const result = await runProcess(program, [...args, '--', ...batch], { cwd: options.cwd, timeoutMs: 300_000 });
    if (result.code !== 0 && result.code !== 1) {
      throw new Error(`shellcheck exited with ${result.code ?? result.signal}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
    }
    return parse(result.stdout);
  });
  const done = Promise.all(runs)
    .then(async (outputs) => {
      for (const comment of outputs.flat()) {
        results.set(comment.file, [...(results.get(comment.file) ?? []), comment]);
      }
      const findings: ShellcheckFinding[] = [];
      for (const [path, owner] of owners) {
        for (const comment of results.get(path) ?? []) {
          for (const unit of owner.units) {
            const mapped = mapComment(comment, unit, owner.headerLines);
            if (mapped) {
              findings.push(mapped);
            }
          }
        }
        if (owner.cacheKey && options.cacheDir) {
          await writeCache(options.cacheDir, owner.cacheKey, results.get(path) ?? []);
        }
      }
      return findings;
    })
    .finally(() => rm(temp, { recursive: true, force: true }));
  // Let the spawns happen before the caller blocks this thread with rule work.
  await new Promise((resolve) => setImmediate(resolve));
  return { done };
}

/** Checks every unit and waits for the findings. */
export async function run(units: readonly ShellUnit[], options: ShellcheckOptions): Promise<ShellcheckFinding[]> {
  return (await start(units, options)).done;
}

/**
 * The text of every ShellCheck rc file that applies to scripts in `dir`: ShellCheck reads the
 * first `.shellcheckrc` or `shellcheckrc` in the script's folder or a parent, else the user's
 * (~/.shellcheckrc, $XDG_CONFIG_HOME/shellcheckrc). Any of them changes the result, so all go into
 * the cache key; reading a few more than ShellCheck would only costs a miss.
 */
async function shellcheckRcText(dir: string, memo: Map<string, Promise<string>>): Promise<string> {
  const known = memo.get(dir);
  if (known) {
    return known;
  }
  const read = (async () => {
    const here = await Promise.all(['.shellcheckrc', 'shellcheckrc'].map((name) => readFile(join(dir, name), 'utf8').catch(() => '')));
    const parent = dirname(dir);
    let rest: string;
    if (parent !== dir) {
      rest = await shellcheckRcText(parent, memo);
    } else {
      const home = homedir();
      const xdg = process.env.XDG_CONFIG_HOME ?? join(home, '.config');
      rest = (await Promise.all([join(home, '.shellcheckrc'), join(xdg, 'shellcheckrc')].map((path) => readFile(path, 'utf8').catch(() => '')))).join('\0');
    }
    return `${here.join('\0')}\0${rest}`;
  })();
  memo.set(dir, read);
  return read;
}

async function readCache(folder: string, key: string): Promise<ShellcheckComment[] | null> {
  try {
    return parse(await readFile(join(folder, 'shellcheck', `${key}.json`), 'utf8'));
  } catch {
    // A missing, unreadable or corrupt entry is a miss; the fresh result overwrites it.
    return null;
  }
}

async function writeCache(folder: string, key: string, comments: ShellcheckComment[]): Promise<void> {
  try {
    const dir = join(folder, 'shellcheck');
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `${key}.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify({ comments: comments.map((comment) => ({ ...comment, file: '-' })) }));
    await rename(temp, join(dir, `${key}.json`));
  } catch {
    // The cache is an optimisation: a read-only or full disk must not fail the review.
  }
}

/** Parses json1 output; a schema mismatch is an error naming ShellCheck. */
export function parse(stdout: string): ShellcheckComment[] {
  if (stdout.trim() === '') {
    return [];
  }
  const result = shellcheckOutput.safeParse(JSON.parse(stdout));
  if (!result.success) {
    throw new Error(`unexpected shellcheck output: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  return result.data.comments;
}

function mapComment(comment: ShellcheckComment, unit: ShellUnit, headerLines: number): ShellcheckFinding | null {
  const startLine = comment.line - headerLines;
  if (startLine < 1) {
    return null;
  }
  const endLine = Math.max(comment.endLine - headerLines, startLine);
  const toFile = (position: Position): Position => (unit.map ? unit.map(position) : position);
  return {
    unit,
    file: unit.file,
    range: {
      start: toFile({ line: startLine, column: comment.column }),
      end: toFile({ line: endLine, column: comment.endColumn }),
    },
    severity: comment.level === 'error' ? 'error' : comment.level === 'warning' ? 'warning' : 'info',
    code: `SC${comment.code}`,
    message: comment.message,
  };
}
