/** Helpers shared by the review renderers. */
import type { ReviewResult } from '../review.js';
import type { Finding, Severity } from '../rules/finding.js';

/** Counts by severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    counts[finding.severity] += 1;
  }
  return counts;
}

/** Findings grouped by file, files in sorted order (findings are already sorted). */
export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.file) ?? [];
    group.push(finding);
    groups.set(finding.file, group);
  }
  return groups;
}

/** The anchor of a rule's section in docs/rules.md (GitHub's heading slugs). */
export function ruleAnchor(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}

/** "3 errors, 1 warning, 0 info" */
export function summaryLine(result: ReviewResult): string {
  const counts = countBySeverity(result.findings);
  const files = groupByFile(result.findings).size;
  const total = result.findings.length;
  if (total === 0) {
    return `no findings (${describeScope(result)})`;
  }
  return `${total} ${plural(total, 'finding')} in ${files} ${plural(files, 'file')}: ${counts.error} ${plural(counts.error, 'error')}, ${counts.warning} ${plural(counts.warning, 'warning')}, ${counts.info} info (${describeScope(result)})`;
}

function describeScope(result: ReviewResult): string {
  const { dockerfiles, scripts, workflows, requirements } = result.counts;
  return `reviewed ${dockerfiles} ${plural(dockerfiles, 'Dockerfile')}, ${scripts} ${plural(scripts, 'script')}, ${workflows} ${plural(workflows, 'workflow')}, ${requirements} requirements ${plural(requirements, 'file')}`;
}

/** English plural for counts. */
export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
