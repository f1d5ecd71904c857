/**
 * grype adapter: runs `grype <source> -o json` when grype is installed; the report is read by
 * src/security/readers/grype.ts (zod-validated) into the scanner-neutral vulnerability model.
 * The raw JSON is kept for the run record.
 */
import { ZodError } from 'zod';
import { InputError } from '../errors.js';
import { readGrype } from '../security/readers/grype.js';
import type { ScanReport } from '../security/vulnerability.js';
import { detectTool, runJson, type Availability } from './image-scanner.js';

export function detect(program = 'grype'): Promise<Availability> {
  return detectTool('grype', program, ['version'], /^Version:\s*(\S+)/m);
}

export interface GrypeResult {
  report: ScanReport;
  raw: string;
}

/** Validates and translates grype JSON. */
export function parse(text: string, file = 'grype output'): GrypeResult {
  try {
    return { report: readGrype(JSON.parse(text), file), raw: text };
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      throw new InputError(`not a grype JSON report: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`, file);
    }
    throw new InputError(`invalid grype output: ${(error as Error).message}`, file);
  }
}

/** Scans an image source (`docker-archive:/path.tar`, `oci-archive:/path.tar`, `docker:ref`). */
export async function run(source: string, options: { program?: string; timeoutMs?: number } = {}): Promise<GrypeResult> {
  const { text } = await runJson('grype', options.program ?? 'grype', [source, '-o', 'json', '-q'], options.timeoutMs ?? 30 * 60_000);
  return parse(text);
}
