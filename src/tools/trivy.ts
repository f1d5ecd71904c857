/**
 * trivy adapter: runs `trivy image` on a saved archive or an image reference when trivy is
 * installed; the report is read by src/security/readers/trivy.ts (zod-validated) into the
 * scanner-neutral vulnerability model. The raw JSON is kept for the run record.
 */
import { ZodError } from 'zod';
import { InputError } from '../errors.js';
import { readTrivy } from '../security/readers/trivy.js';
import type { ScanReport } from '../security/vulnerability.js';
import { detectTool, runJson, type Availability } from './image-scanner.js';

export function detect(program = 'trivy'): Promise<Availability> {
  return detectTool('trivy', program, ['--version'], /^Version:\s*(\S+)/m);
}

export interface TrivyResult {
  report: ScanReport;
  raw: string;
}

/** Validates and translates trivy JSON. */
export function parse(text: string, file = 'trivy output'): TrivyResult {
  try {
    return { report: readTrivy(JSON.parse(text), file), raw: text };
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      throw new InputError(`not a trivy JSON report: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`, file);
    }
    throw new InputError(`invalid trivy output: ${(error as Error).message}`, file);
  }
}

/**
 * Scans `target`: a path to a `docker save` archive (read with --input) or an image reference.
 * Only vulnerabilities (secret scanning slows big images down, research b6).
 */
export async function run(target: { archive: string } | { reference: string }, options: { program?: string; timeoutMs?: number } = {}): Promise<TrivyResult> {
  const source = 'archive' in target ? ['--input', target.archive] : [target.reference];
  const { text } = await runJson('trivy', options.program ?? 'trivy', ['image', '--format', 'json', '--quiet', '--scanners', 'vuln', '--timeout', '30m', ...source], options.timeoutMs ?? 35 * 60_000);
  return parse(text);
}
