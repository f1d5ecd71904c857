/**
 * JSON output, schema version 1 (docs/output.md). Mapped field by field from internal types so
 * that refactors inside baseimg do not change what users parse.
 */
import type { ReviewResult } from '../review.js';
import { countBySeverity, ruleAnchor } from './review-model.js';

/** The JSON document's version; bump on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/** Renders a review as JSON (2-space indented, stable key order, trailing newline). */
export function renderJson(result: ReviewResult, options: { version: string }): string {
  const counts = countBySeverity(result.findings);
  const document = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'baseimg', version: options.version },
    summary: { findings: result.findings.length, errors: counts.error, warnings: counts.warning, info: counts.info },
    scope: result.counts,
    families: result.families.map((family) => ({
      name: family.name,
      dockerfile: family.dockerfile,
      context: family.context === '' ? '.' : family.context,
      requirements: family.requirements,
      workflows: family.workflows,
      scripts: family.scripts,
    })),
    tools: { shellcheck: result.tools.shellcheck?.version ?? null, actionlint: result.tools.actionlint?.version ?? null },
    findings: result.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      file: finding.file,
      line: finding.range.start.line,
      column: finding.range.start.column,
      endLine: finding.range.end.line,
      endColumn: finding.range.end.column,
      ...(finding.code ? { code: finding.code } : {}),
      docs: `docs/rules.md#${ruleAnchor(finding.ruleId)}`,
      ...(finding.fix ? { fix: { description: finding.fix.description, safety: finding.fix.safety } } : {}),
      ...(finding.related ? {
        related: finding.related.map((related) => ({ file: related.file, line: related.range.start.line, column: related.range.start.column, message: related.message })),
      } : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
