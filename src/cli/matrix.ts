/** `baseimg matrix [PATH] [--format md|json]`: flags -> Repo + knowledge + run records -> matrix renderer. */
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { readRunRecordFiles, runsFolder } from '../engine/records.js';
import { UsageError } from '../errors.js';
import { loadKnowledge } from '../knowledge/index.js';
import { discover } from '../repo/discover.js';
import { buildMatrix, renderMatrixJson, renderMatrixMarkdown, type MatrixRun } from '../report/matrix.js';
import { parseCommand } from './args.js';
import type { Io } from './main.js';

const FORMATS = ['md', 'json'] as const;

// The few run-record fields the matrix reads (the full record is src/engine/record.schema.ts);
// permissive about everything else, so records of other schema versions still count when these fit.
const runFields = z.object({
  family: z.string(),
  label: z.string().optional(),
  status: z.string(),
  tests: z.array(z.object({ ok: z.boolean() }).passthrough()),
  finishedAt: z.string().nullable().optional(),
  combination: z.string().nullable().optional(),
}).passthrough();

/** Parses `matrix` flags, builds the matrix and prints it; exit 0 unless usage or input is bad. */
export async function matrixCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, path } = parseCommand('matrix', argv, {
    format: { type: 'string', short: 'f', default: 'md' },
    config: { type: 'string', short: 'c' },
    today: { type: 'string' },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  }
  const root = resolve(path);
  const repo = await discover(root, values.config ? { configPath: values.config } : {});
  const { runs, notes } = await readRuns(runsFolder(root));
  const matrix = buildMatrix(repo, loadKnowledge(values.today), runs, notes);
  io.stdout(format === 'json' ? renderMatrixJson(matrix) : renderMatrixMarkdown(matrix));
  return 0;
}

/** Run records under `folder`; unreadable or invalid ones are skipped with a note. */
export async function readRuns(folder: string): Promise<{ runs: MatrixRun[]; notes: string[] }> {
  const { records, skipped } = await readRunRecordFiles(folder);
  const runs: MatrixRun[] = [];
  const notes = [...skipped];
  for (const { name, data } of records) {
    const parsed = runFields.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      notes.push(`run record ${name} skipped: field "${issue?.path.join('.') ?? '?'}" ${issue?.message ?? 'is invalid'}`);
      continue;
    }
    runs.push({
      id: basename(name, '.json'),
      family: parsed.data.family,
      status: parsed.data.status,
      tests: parsed.data.tests,
      combination: parsed.data.combination ?? null,
      finishedAt: parsed.data.finishedAt ?? null,
    });
  }
  return { runs, notes };
}
