/** Reviews one script with one rule; the findings' line and message, and the fixes. */
import type { Finding } from '../../../src/rules/finding.js';
import type { Rule } from '../../../src/rules/rule.js';
import { reviewFiles } from '../../helpers.js';

/** `line: message` of each finding of `rule` on `text` saved as build.sh (plus `extra` files). */
export async function scriptFindings(rule: Rule, text: string, extra: Record<string, string> = {}): Promise<Finding[]> {
  const result = await reviewFiles({ 'build.sh': text, ...extra }, { rules: [rule] });
  return result.findings.filter((finding) => finding.ruleId === rule.id);
}

/** The lines of a script (joined with newlines, final newline added). */
export function sh(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
