/**
 * Reads `pip-audit -f json` reports (pypa/pip-audit pip_audit/_format/json.py). pip-audit gives no
 * severity: vulnerabilities start as `unknown` and take the severity another scanner's report gives
 * the same alias (summary.ts), which is why reports are summarised together.
 */
import { z } from 'zod';
import { primaryId, type ScanReport, type Vulnerability } from '../vulnerability.js';

const audited = z.object({
    name: z.string(),
    version: z.string(),
    vulns: z.array(z.object({
      id: z.string().min(1),
      fix_versions: z.array(z.string()).optional(),
      aliases: z.array(z.string()).optional(),
      description: z.string().nullish(),
    }).passthrough()),
  }).passthrough();
// Dependencies pip-audit could not audit (not on PyPI, editable, ...).
const skipped = z.object({ name: z.string(), skip_reason: z.string() }).passthrough();
const dependency = z.union([audited, skipped]);

/** The shape of a pip-audit JSON report. */
export const pipAuditReport = z.object({
  dependencies: z.array(dependency),
  fixes: z.array(z.unknown()).optional(),
}).passthrough();

/** True when the parsed JSON looks like a pip-audit report. */
export function isPipAuditReport(json: unknown): boolean {
  return typeof json === 'object' && json !== null && Array.isArray((json as { dependencies?: unknown }).dependencies);
}

/** Translates a validated pip-audit report; skipped dependencies are left out of the vulnerabilities. */
export function readPipAudit(json: unknown, file: string): ScanReport {
  const report = pipAuditReport.parse(json);
  const vulnerabilities: Vulnerability[] = [];
  for (const candidate of report.dependencies) {
    const parsed = audited.safeParse(candidate);
    if (!parsed.success) {
      continue;
    }
    const entry = parsed.data;
    for (const found of entry.vulns) {
      const aliases = [found.id, ...(found.aliases ?? [])];
      const fixedVersions = found.fix_versions ?? [];
      vulnerabilities.push({
        id: primaryId(aliases),
        aliases,
        package: { name: entry.name, version: entry.version, ecosystem: 'pypi', purl: `pkg:pypi/${entry.name.toLowerCase()}@${entry.version}` },
        severity: 'unknown',
        fixedVersions,
        fixable: fixedVersions.length > 0,
        title: found.description?.split('\n')[0] ?? null,
        layer: null,
        scanner: 'pip-audit',
      });
    }
  }
  // pip-audit's JSON says nothing about its own version or the advisory database it queried.
  return { scanner: { name: 'pip-audit', version: null, database: null }, target: null, vulnerabilities, file };
}
