/**
 * Reads `trivy image --format json` reports (SchemaVersion 2; aquasecurity/trivy pkg/types/report.go).
 * Only the fields the summary needs are validated; trivy adds fields between releases, so unknown
 * ones pass through.
 */
import { z } from 'zod';
import { normalizeSeverity, primaryId, type ScanReport, type Vulnerability } from '../vulnerability.js';

const vulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  VendorIDs: z.array(z.string()).optional(),
  PkgName: z.string(),
  PkgIdentifier: z.object({ PURL: z.string().optional() }).passthrough().optional(),
  InstalledVersion: z.string(),
  // May list several versions separated by commas ("1.2.3, 1.3.1").
  FixedVersion: z.string().optional(),
  Status: z.string().optional(),
  Severity: z.string().optional(),
  Title: z.string().optional(),
  Layer: z.object({ DiffID: z.string().optional(), Digest: z.string().optional() }).passthrough().optional(),
}).passthrough();

const result = z.object({
  Target: z.string(),
  Class: z.string().optional(),
  Type: z.string().optional(),
  Vulnerabilities: z.array(vulnerability).nullish(),
}).passthrough();

/** The shape of a trivy JSON report, as far as baseimg relies on it. */
export const trivyReport = z.object({
  SchemaVersion: z.literal(2),
  Trivy: z.object({ Version: z.string() }).passthrough().optional(),
  ArtifactName: z.string().optional(),
  Results: z.array(result).nullish(),
}).passthrough();

/** True when the parsed JSON looks like a trivy report (used to detect a report's scanner). */
export function isTrivyReport(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'SchemaVersion' in json && ('Results' in json || 'ArtifactName' in json);
}

// trivy result types that are not operating-system packages, mapped to purl types.
const LANGUAGE_TYPES: Record<string, string> = { 'python-pkg': 'pypi', pip: 'pypi', pipenv: 'pypi', poetry: 'pypi', 'node-pkg': 'npm', npm: 'npm', yarn: 'npm', jar: 'maven', gobinary: 'golang', 'rust-binary': 'cargo' };

/** Translates a validated trivy report. */
export function readTrivy(json: unknown, file: string): ScanReport {
  const report = trivyReport.parse(json);
  const vulnerabilities: Vulnerability[] = [];
  for (const entry of report.Results ?? []) {
    const ecosystem = entry.Class === 'os-pkgs' ? (entry.Type === 'ubuntu' || entry.Type === 'debian' ? 'deb' : (entry.Type ?? null)) : (LANGUAGE_TYPES[entry.Type ?? ''] ?? entry.Type ?? null);
    for (const found of entry.Vulnerabilities ?? []) {
      const aliases = [found.VulnerabilityID, ...(found.VendorIDs ?? [])];
      const fixedVersions = (found.FixedVersion ?? '').split(',').map((version) => version.trim()).filter(Boolean);
      vulnerabilities.push({
        id: primaryId(aliases),
        aliases,
        package: { name: found.PkgName, version: found.InstalledVersion, ecosystem, purl: found.PkgIdentifier?.PURL ?? null },
        severity: normalizeSeverity(found.Severity),
        fixedVersions,
        fixable: fixedVersions.length > 0 || found.Status === 'fixed',
        title: found.Title ?? null,
        layer: found.Layer?.DiffID ?? found.Layer?.Digest ?? null,
        scanner: 'trivy',
      });
    }
  }
  return {
    // trivy's JSON report does not carry its database version; `trivy version --format json` does,
    // and the bench adapter records it beside the report when it runs trivy itself.
    scanner: { name: 'trivy', version: report.Trivy?.Version ?? null, database: null },
    target: report.ArtifactName ?? null,
    vulnerabilities,
    file,
  };
}
