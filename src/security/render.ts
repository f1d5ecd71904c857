/** Text, Markdown and JSON renderings of a CVE summary and of a before/after comparison. */
import type { CveComparison, CveSummary, MergedVulnerability, SeverityCounts } from './summary.js';

/** Everything `baseimg cve` prints. */
export interface CveResult {
  summary: CveSummary;
  comparison: CveComparison | null;
}

function countsLine(counts: SeverityCounts): string {
  return `${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low, ${counts.negligible + counts.unknown} other (${counts.fixable} of ${counts.total} fixable)`;
}

function delta(before: number, after: number): string {
  const change = after - before;
  return change === 0 ? '±0' : change > 0 ? `+${change}` : String(change);
}

function describe(vulnerability: MergedVulnerability): string {
  const fix = vulnerability.fixedVersions.length > 0 ? `fixed in ${vulnerability.fixedVersions.join(', ')}` : 'no fix known';
  return `${vulnerability.id} ${vulnerability.severity} in ${vulnerability.package.name} ${vulnerability.package.version}, ${fix}`;
}

function scannersLine(summary: CveSummary): string {
  return summary.scanners.map((scanner) => `${scanner.name} ${scanner.version ?? '(version not in report)'}${scanner.database ? `, db ${scanner.database}` : ''}`).join('; ');
}

/** Plain text for terminals and CI logs. */
export function renderCveText(result: CveResult): string {
  const { summary, comparison } = result;
  const lines = [`vulnerabilities: ${countsLine(summary.counts)}`, `scanners: ${scannersLine(summary)}`];
  if (summary.targets.length > 0) {
    lines.push(`scanned: ${summary.targets.join(', ')}`);
  }
  for (const vulnerability of summary.vulnerabilities.filter((found) => found.severity === 'critical' || found.severity === 'high')) {
    lines.push(`  ${describe(vulnerability)}`);
  }
  if (comparison) {
    lines.push('', `before: ${countsLine(comparison.before)}`, `after:  ${countsLine(comparison.after)}`);
    lines.push(`change: critical ${delta(comparison.before.critical, comparison.after.critical)}, high ${delta(comparison.before.high, comparison.after.high)}, total ${delta(comparison.before.total, comparison.after.total)}`);
    if (comparison.scannerMismatch) {
      lines.push(`warning: ${comparison.scannerMismatch}`);
    }
    lines.push(`introduced (${comparison.introduced.length}):`);
    for (const entry of comparison.introduced) {
      const cause = entry.previousVersion === null
        ? `${entry.vulnerability.package.name} was added`
        : entry.previousVersion === entry.vulnerability.package.version
          ? `${entry.vulnerability.package.name} did not change (new advisory data)`
          : `${entry.vulnerability.package.name} changed ${entry.previousVersion} -> ${entry.vulnerability.package.version}`;
      lines.push(`  ${describe(entry.vulnerability)}; ${cause}${entry.direct ? ' (direct dependency)' : ''}`);
    }
    lines.push(`fixed (${comparison.fixed.length}):`);
    for (const vulnerability of comparison.fixed) {
      lines.push(`  ${describe(vulnerability)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A Markdown section for PR comments and reports. */
export function renderCveMarkdown(result: CveResult): string {
  const { summary, comparison } = result;
  const row = (label: string, counts: SeverityCounts): string => `| ${label} | ${counts.critical} | ${counts.high} | ${counts.medium} | ${counts.low} | ${counts.negligible + counts.unknown} | ${counts.fixable} |`;
  const lines = ['## Vulnerabilities', '', `Scanners: ${scannersLine(summary)}`, '', '| | critical | high | medium | low | other | fixable |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  if (comparison) {
    lines.push(row('before', comparison.before), row('after', comparison.after));
  } else {
    lines.push(row('image', summary.counts));
  }
  if (comparison) {
    if (comparison.scannerMismatch) {
      lines.push('', `> ${comparison.scannerMismatch}`);
    }
    lines.push('', '### Introduced', '');
    lines.push(...(comparison.introduced.length === 0 ? ['None.'] : comparison.introduced.map((entry) => `- \`${entry.vulnerability.id}\` (${entry.vulnerability.severity}) in \`${entry.vulnerability.package.name}\` ${entry.previousVersion ? `${entry.previousVersion} → ` : 'added at '}${entry.vulnerability.package.version}${entry.direct ? ', direct dependency' : ''}`)));
    lines.push('', '### Fixed', '');
    lines.push(...(comparison.fixed.length === 0 ? ['None.'] : comparison.fixed.map((vulnerability) => `- \`${vulnerability.id}\` (${vulnerability.severity}) in \`${vulnerability.package.name}\` ${vulnerability.package.version}`)));
  }
  return `${lines.join('\n')}\n`;
}

/** JSON with a schema version (documented in docs/security.md). */
export function renderCveJson(result: CveResult): string {
  return `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n`;
}
