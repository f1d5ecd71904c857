/**
 * One CVE summary per image from any mix of scanner reports, and the before/after comparison.
 * Reports are merged on (vulnerability id, package, installed version): Trivy and Grype often
 * report the same CVE in the same package, and counting it twice would inflate every figure.
 */
import { normalizeName } from '../parse/requirements.js';
import { CVE_SEVERITIES, compareSeverity, type CveSeverity, type ScanReport, type ScannerInfo, type Scanner, type Vulnerability } from './vulnerability.js';

/** One vulnerability after merging what every scanner said about it. */
export interface MergedVulnerability extends Omit<Vulnerability, 'scanner'> {
  scanners: Scanner[];
}

/** Counts by severity, plus how many have a fixed version. */
export type SeverityCounts = Record<CveSeverity, number> & { total: number; fixable: number };

/** The summary of one image (or one requirements set). */
export interface CveSummary {
  scanners: ScannerInfo[];
  targets: string[];
  counts: SeverityCounts;
  vulnerabilities: MergedVulnerability[];
}

/** An introduced vulnerability and the package change that brought it. */
export interface IntroducedVulnerability {
  vulnerability: MergedVulnerability;
  /** The package's version before; null when the package was not there before. */
  previousVersion: string | null;
  /** True when the package is a direct dependency of the image (declared in the repository). */
  direct: boolean;
}

/** Before against after. */
export interface CveComparison {
  before: SeverityCounts;
  after: SeverityCounts;
  introduced: IntroducedVulnerability[];
  fixed: MergedVulnerability[];
  /** True when the two sides were scanned by different scanner versions or databases: deltas may come from the data, not the image. */
  scannerMismatch: string | null;
}

function key(vulnerability: Pick<Vulnerability, 'id' | 'package'>): string {
  return `${vulnerability.id}\u0000${packageKey(vulnerability.package.name)}\u0000${vulnerability.package.version}`;
}

function packageKey(name: string): string {
  return normalizeName(name);
}

/** Empty counts. */
export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0, total: 0, fixable: 0 };
}

/** Merges the reports of one image into its summary. */
export function summarize(reports: readonly ScanReport[]): CveSummary {
  const merged = new Map<string, MergedVulnerability>();
  // pip-audit gives no severity: an alias rated by another report lends its rating.
  const ratedAliases = new Map<string, CveSeverity>();
  for (const report of reports) {
    for (const vulnerability of report.vulnerabilities) {
      if (vulnerability.severity === 'unknown') {
        continue;
      }
      for (const alias of vulnerability.aliases) {
        const known = ratedAliases.get(alias.toUpperCase());
        if (!known || compareSeverity(vulnerability.severity, known) < 0) {
          ratedAliases.set(alias.toUpperCase(), vulnerability.severity);
        }
      }
    }
  }
  for (const report of reports) {
    for (const vulnerability of report.vulnerabilities) {
      const existing = merged.get(key(vulnerability));
      const severity = vulnerability.severity !== 'unknown'
        ? vulnerability.severity
        : vulnerability.aliases.map((alias) => ratedAliases.get(alias.toUpperCase())).find((found) => found !== undefined) ?? 'unknown';
      if (!existing) {
        const { scanner, ...rest } = vulnerability;
        merged.set(key(vulnerability), { ...rest, severity, aliases: [...vulnerability.aliases], fixedVersions: [...vulnerability.fixedVersions], scanners: [scanner] });
        continue;
      }
      // Scanners disagree on severity now and then (vendor vs NVD rating); the worse one is kept.
      if (compareSeverity(severity, existing.severity) < 0) {
        existing.severity = severity;
      }
      existing.aliases = [...new Set([...existing.aliases, ...vulnerability.aliases])];
      existing.fixedVersions = [...new Set([...existing.fixedVersions, ...vulnerability.fixedVersions])];
      existing.fixable ||= vulnerability.fixable;
      existing.package.purl ??= vulnerability.package.purl;
      existing.layer ??= vulnerability.layer;
      existing.title ??= vulnerability.title;
      if (!existing.scanners.includes(vulnerability.scanner)) {
        existing.scanners.push(vulnerability.scanner);
      }
    }
  }
  const vulnerabilities = [...merged.values()].sort((a, b) => compareSeverity(a.severity, b.severity) || a.id.localeCompare(b.id) || a.package.name.localeCompare(b.package.name));
  return {
    scanners: reports.map((report) => report.scanner),
    targets: [...new Set(reports.map((report) => report.target).filter((target): target is string => target !== null))],
    counts: count(vulnerabilities),
    vulnerabilities,
  };
}

function count(vulnerabilities: readonly MergedVulnerability[]): SeverityCounts {
  const counts = emptyCounts();
  for (const vulnerability of vulnerabilities) {
    counts[vulnerability.severity] += 1;
    counts.total += 1;
    if (vulnerability.fixable) {
      counts.fixable += 1;
    }
  }
  return counts;
}

/**
 * Compares two summaries. A vulnerability is introduced when the after side has it and the before
 * side does not have the same id in a package of the same name (a version bump that keeps a CVE
 * is not "introduced"); `directDependencies` (normalised names) marks the packages the repository
 * declares itself, so the report can name the requirement change responsible.
 */
export function compareSummaries(before: CveSummary, after: CveSummary, directDependencies: ReadonlySet<string> = new Set()): CveComparison {
  const beforeIds = new Set(before.vulnerabilities.map((vulnerability) => `${vulnerability.id}\u0000${packageKey(vulnerability.package.name)}`));
  const afterIds = new Set(after.vulnerabilities.map((vulnerability) => `${vulnerability.id}\u0000${packageKey(vulnerability.package.name)}`));
  const beforeVersions = new Map<string, string>();
  for (const vulnerability of before.vulnerabilities) {
    beforeVersions.set(packageKey(vulnerability.package.name), vulnerability.package.version);
  }
  const introduced = after.vulnerabilities
    .filter((vulnerability) => !beforeIds.has(`${vulnerability.id}\u0000${packageKey(vulnerability.package.name)}`))
    .map((vulnerability) => ({
      vulnerability,
      previousVersion: beforeVersions.get(packageKey(vulnerability.package.name)) ?? null,
      direct: directDependencies.has(packageKey(vulnerability.package.name)),
    }));
  const fixed = before.vulnerabilities.filter((vulnerability) => !afterIds.has(`${vulnerability.id}\u0000${packageKey(vulnerability.package.name)}`));
  return { before: before.counts, after: after.counts, introduced, fixed, scannerMismatch: scannerMismatch(before.scanners, after.scanners) };
}

function scannerMismatch(before: readonly ScannerInfo[], after: readonly ScannerInfo[]): string | null {
  const describe = (info: ScannerInfo): string => `${info.name} ${info.version ?? '(version unknown)'}${info.database ? ` db ${info.database}` : ''}`;
  const left = [...new Set(before.map(describe))].sort();
  const right = [...new Set(after.map(describe))].sort();
  if (left.join('|') === right.join('|')) {
    return null;
  }
  return `before was scanned with ${left.join(', ') || 'nothing'}, after with ${right.join(', ') || 'nothing'}: differences may come from the scanner data, not the image`;
}

export { CVE_SEVERITIES };
