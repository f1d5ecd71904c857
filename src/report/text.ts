/**
 * Text output: one line per finding, `file:line:col severity message [rule-id]` (the same line the
 * rule goldens hold), grouped by file, with colour on a TTY and a summary line.
 */
import type { ReviewResult } from '../review.js';
import type { Finding } from '../rules/finding.js';
import { groupByFile, summaryLine } from './review-model.js';

/** Options for the text renderer. */
export interface TextOptions {
  color?: boolean;
}

const COLORS = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** One finding as a line, without colour. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.range.start.line}:${finding.range.start.column} ${finding.severity} ${finding.message} [${finding.ruleId}]`;
}

/** Renders a review as text. */
export function renderText(result: ReviewResult, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const paint = (code: string, text: string): string => (color ? `${code}${text}${COLORS.reset}` : text);
  const blocks: string[] = [];
  for (const [file, findings] of groupByFile(result.findings)) {
    const lines = findings.map((finding) => {
      if (!color) {
        return formatFinding(finding);
      }
      const where = paint(COLORS.bold, `${file}:${finding.range.start.line}:${finding.range.start.column}`);
      return `${where} ${paint(COLORS[finding.severity], finding.severity)} ${finding.message} ${paint(COLORS.dim, `[${finding.ruleId}]`)}`;
    });
    blocks.push(lines.join('\n'));
  }
  blocks.push(summaryLine(result));
  return `${blocks.join('\n\n')}\n`;
}
