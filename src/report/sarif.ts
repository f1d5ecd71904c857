/**
 * SARIF 2.1.0 output for GitHub code scanning
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html, and GitHub's
 * "SARIF support for code scanning" for the properties it reads: rule help, security-severity,
 * partialFingerprints).
 */
import { createHash } from 'node:crypto';
import type { ReviewResult } from '../review.js';
import type { Severity } from '../rules/finding.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** Renders a review as a SARIF 2.1.0 log. */
export function renderSarif(result: ReviewResult, options: { version: string }): string {
  const rules = [...result.rules];
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const occurrences = new Map<string, number>();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'baseimg',
            version: options.version,
            semanticVersion: options.version,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.split('/')[1]?.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()) ?? rule.id,
              shortDescription: { text: rule.meta.title },
              fullDescription: { text: rule.meta.rationale },
              help: {
                text: `${rule.meta.rationale}\n\nRemediation: ${rule.meta.remediation}`,
                markdown: `${rule.meta.rationale}\n\n**Remediation:** ${rule.meta.remediation}`,
              },
              defaultConfiguration: { level: LEVEL[rule.meta.severity], enabled: rule.meta.enabledByDefault !== false },
              properties: {
                tags: [rule.id.split('/')[0] ?? 'review', ...(rule.id.startsWith('supply-chain/') ? ['security'] : [])],
                ...(rule.meta.hadolint ? { hadolint: rule.meta.hadolint } : {}),
              },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The reviewed repository root' } } },
        results: result.findings.map((finding) => {
          // Stable across line shifts: rule, file, message and how many times that triple occurred before.
          const key = `${finding.ruleId}\0${finding.file}\0${finding.message}`;
          const seen = occurrences.get(key) ?? 0;
          occurrences.set(key, seen + 1);
          const fingerprint = createHash('sha256').update(`${key}\0${seen}`).digest('hex').slice(0, 32);
          const end = finding.range.end;
          const start = finding.range.start;
          const validEnd = end.line > start.line || (end.line === start.line && end.column > start.column);
          return {
            ruleId: finding.ruleId,
            ...(index.has(finding.ruleId) ? { ruleIndex: index.get(finding.ruleId) } : {}),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: start.line,
                    startColumn: start.column,
                    ...(validEnd ? { endLine: end.line, endColumn: end.column } : {}),
                  },
                },
              },
            ],
            ...(finding.related ? {
              relatedLocations: finding.related.map((related, id) => ({
                id,
                message: { text: related.message },
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(related.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: related.range.start.line, startColumn: related.range.start.column },
                },
              })),
            } : {}),
            partialFingerprints: { 'baseimg/v1': fingerprint },
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
