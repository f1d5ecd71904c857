/**
 * ShellCheck adapter: checks script files in place and RUN bodies through temporary files, in as
 * few processes as there are cores, and maps every comment back to the Dockerfile or script line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Position, Range } from '../parse/locations.js';
import type { PositionMap } from '../parse/shell.js';
import type { Severity } from '../rules/finding.js';
import { runProcess, which } from './process.js';
import { shellcheckOutput, type ShellcheckComment } from './shellcheck.schema.js';

/** A shell body to check. */
export interface ShellUnit {
  /** The file findings are reported in (repository-relative). */
  file: string;
  /** For script files: checked in place (relative to `cwd`). For RUN bodies: the text to check. */
  text: string | null;
  dialect: 'sh' | 'bash';
  /** Maps a position in `text` to the file (RUN bodies only). */
  map?: PositionMap;
  /** Variables the Dockerfile declares (ARG/ENV in scope), so SC2154 is not raised for them. */
  declared?: string[];
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
}

/** The ShellCheck on PATH, with its version, or null. */
export async function detect(program = 'shellcheck'): Promise<{ path: string; version: string } | null> {
  const path = await which(program);
  if (!path) {
    return null;
  }
  const result = await runProcess(path, ['--version']).catch(() => null);
  const version = /version:\s*(\S+)/.exec(result?.stdout ?? '')?.[1];
  return version ? { path, version } : null;
}

// SC1090/SC1091: a RUN body cannot `source` files of the repository; following them means nothing there.
const RUN_BODY_EXCLUDES = ['SC1090', 'SC1091'];

/** Checks every unit; returns the mapped findings. Throws only when ShellCheck cannot be run at all. */
export async function run(units: readonly ShellUnit[], options: ShellcheckOptions): Promise<ShellcheckFinding[]> {
  if (units.length === 0) {
    return [];
  }
  const program = options.program ?? 'shellcheck';
  const temp = await mkdtemp(join(tmpdir(), 'baseimg-shellcheck-'));
  try {
    const byPath = new Map<string, { unit: ShellUnit; headerLines: number }>();
    const inPlace: string[] = [];
    const bodies: string[] = [];
    let n = 0;
    for (const unit of units) {
      if (unit.text === null) {
        inPlace.push(unit.file);
        byPath.set(unit.file, { unit, headerLines: 0 });
        continue;
      }
      const header = [`# shellcheck shell=${unit.dialect}`];
      const declared = (unit.declared ?? []).filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
      header.push(declared.length > 0 ? `export ${declared.map((name) => `${name}=`).join(' ')}` : ':');
      const path = join(temp, `run-${n++}.sh`);
      await writeFile(path, `${header.join('\n')}\n${unit.text}\n`);
      bodies.push(path);
      byPath.set(path, { unit, headerLines: header.length });
    }
    const common = ['--format=json1', `--severity=${options.minLevel ?? 'style'}`];
    const batches: { files: string[]; exclude: string[] }[] = [];
    const chunk = (files: string[], exclude: string[]): void => {
      // Two batches per kind keep both cores busy without a process per file.
      const size = Math.max(1, Math.ceil(files.length / 2));
      for (let i = 0; i < files.length; i += size) {
        batches.push({ files: files.slice(i, i + size), exclude });
      }
    };
    chunk(inPlace, options.exclude ?? []);
    chunk(bodies, [...(options.exclude ?? []), ...RUN_BODY_EXCLUDES]);
    const outputs = await Promise.all(batches.map(async (batch) => {
      const args = [...common, '--external-sources', '--source-path=SCRIPTDIR'];
      if (batch.exclude.length > 0) {
        args.push(`--exclude=${batch.exclude.join(',')}`);
      }
      const result = await runProcess(program, [...args, '--', ...batch.files], { cwd: options.cwd, timeoutMs: 120_000 });
      if (result.code !== 0 && result.code !== 1) {
        throw new Error(`shellcheck exited with ${result.code ?? result.signal}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
      }
      return parse(result.stdout);
    }));
    const findings: ShellcheckFinding[] = [];
    for (const comment of outputs.flat()) {
      const owner = byPath.get(comment.file);
      if (!owner) {
        continue;
      }
      const mapped = mapComment(comment, owner.unit, owner.headerLines);
      if (mapped) {
        findings.push(mapped);
      }
    }
    return findings;
  } finally {
    await rm(temp, { recursive: true, force: true });
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
