/** Markdown output, sized for a GitHub Actions job summary ($GITHUB_STEP_SUMMARY, 1 MiB limit). */
import type { ReviewResult } from '../review.js';
import { countBySeverity, groupByFile, ruleAnchor, summaryLine } from './review-model.js';

const MAX_ROWS = 300;
const ICON = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders a review as Markdown. */
export function renderMarkdown(result: ReviewResult): string {
  const counts = countBySeverity(result.findings);
  const out: string[] = ['## baseimg review', '', summaryLine(result), ''];
  out.push('| errors | warnings | info |', '| ---: | ---: | ---: |', `| ${counts.error} | ${counts.warning} | ${counts.info} |`, '');
  let rows = 0;
  for (const [file, findings] of groupByFile(result.findings)) {
    if (rows >= MAX_ROWS) {
      break;
    }
    out.push(`### \`${file}\``, '', '| line | severity | finding | rule |', '| ---: | --- | --- | --- |');
    for (const finding of findings) {
      if (rows >= MAX_ROWS) {
        break;
      }
      rows += 1;
      out.push(`| ${finding.range.start.line} | ${ICON[finding.severity]} | ${cell(finding.message)} | [\`${finding.ruleId}\`](docs/rules.md#${ruleAnchor(finding.ruleId)}) |`);
    }
    out.push('');
  }
  if (result.findings.length > rows) {
    out.push(`_${result.findings.length - rows} more findings not shown; use \`--format json\` for all of them._`, '');
  }
  return `${out.join('\n')}\n`;
}
