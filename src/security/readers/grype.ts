/**
 * Reads `grype -o json` reports (anchore/grype grype/presenter/models). Severity words are title
 * case and include `Negligible`; `relatedVulnerabilities` usually carries the CVE behind a GHSA or
 * distribution advisory id, so it feeds the aliases.
 */
import { z } from 'zod';
import { normalizeSeverity, primaryId, type ScanReport, type Vulnerability } from '../vulnerability.js';

const match = z.object({
  vulnerability: z.object({
    id: z.string().min(1),
    severity: z.string().optional(),
    description: z.string().optional(),
    fix: z.object({ versions: z.array(z.string()).optional(), state: z.string().optional() }).passthrough().optional(),
  }).passthrough(),
  relatedVulnerabilities: z.array(z.object({ id: z.string() }).passthrough()).nullish(),
  artifact: z.object({
    name: z.string(),
    version: z.string(),
    type: z.string().optional(),
    purl: z.string().optional(),
    locations: z.array(z.object({ path: z.string().optional(), layerID: z.string().optional() }).passthrough()).nullish(),
  }).passthrough(),
}).passthrough();

/** The shape of a grype JSON report, as far as baseimg relies on it. */
export const grypeReport = z.object({
  matches: z.array(match),
  source: z.object({ type: z.string().optional(), target: z.unknown().optional() }).passthrough().optional(),
  descriptor: z.object({
    name: z.string().optional(),
    version: z.string().optional(),
    // grype <= 0.7x: db.status.schemaVersion/built; newer: db.status.{schemaVersion, from, built}.
    db: z.object({ status: z.object({ built: z.string().optional(), schemaVersion: z.union([z.string(), z.number()]).optional() }).passthrough().optional() }).passthrough().optional(),
  }).passthrough().optional(),
}).passthrough();

/** True when the parsed JSON looks like a grype report. */
export function isGrypeReport(json: unknown): boolean {
  return typeof json === 'object' && json !== null && Array.isArray((json as { matches?: unknown }).matches);
}

const ECOSYSTEM: Record<string, string> = { deb: 'deb', python: 'pypi', npm: 'npm', 'java-archive': 'maven', 'go-module': 'golang', 'rust-crate': 'cargo' };

function targetName(target: unknown): string | null {
  if (typeof target === 'string') {
    return target;
  }
  if (typeof target === 'object' && target !== null && typeof (target as { userInput?: unknown }).userInput === 'string') {
    return (target as { userInput: string }).userInput;
  }
  return null;
}

/** Translates a validated grype report. */
export function readGrype(json: unknown, file: string): ScanReport {
  const report = grypeReport.parse(json);
  const vulnerabilities: Vulnerability[] = report.matches.map((found) => {
    const aliases = [found.vulnerability.id, ...(found.relatedVulnerabilities ?? []).map((related) => related.id)];
    const fixedVersions = found.vulnerability.fix?.versions ?? [];
    return {
      id: primaryId(aliases),
      aliases: [...new Set(aliases)],
      package: { name: found.artifact.name, version: found.artifact.version, ecosystem: ECOSYSTEM[found.artifact.type ?? ''] ?? found.artifact.type ?? null, purl: found.artifact.purl ?? null },
      severity: normalizeSeverity(found.vulnerability.severity),
      fixedVersions,
      fixable: found.vulnerability.fix?.state === 'fixed' || fixedVersions.length > 0,
      title: found.vulnerability.description?.split('\n')[0] ?? null,
      layer: found.artifact.locations?.find((location) => location.layerID)?.layerID ?? null,
      scanner: 'grype',
    };
  });
  const status = report.descriptor?.db?.status;
  const database = status ? [status.schemaVersion === undefined ? null : `schema ${status.schemaVersion}`, status.built ? `built ${status.built}` : null].filter(Boolean).join(', ') || null : null;
  return {
    scanner: { name: 'grype', version: report.descriptor?.version ?? null, database },
    target: targetName(report.source?.target),
    vulnerabilities,
    file,
  };
}
