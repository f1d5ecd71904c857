/** Table-test helpers for the supply-chain and compat rules: one rule over inline files, on a fixed day. */
import { reviewFiles } from '../../helpers.js';
import type { Finding } from '../../../src/rules/finding.js';
import type { Rule } from '../../../src/rules/rule.js';

/** The day the knowledge dates are compared with, as in the goldens. */
export const TODAY = '2026-11-29';

/** Findings of `rule` alone on `files`; a string is the Dockerfile. Throws when the rule crashed. */
export async function lint(rule: Rule, files: string | Record<string, string>, options: Record<string, unknown> = {}): Promise<Finding[]> {
  const repo: Record<string, string> = typeof files === 'string' ? { Dockerfile: files } : { ...files };
  if (Object.keys(options).length > 0) {
    repo['baseimg.config.json'] = JSON.stringify({ rules: { [rule.id]: { options } } });
  }
  const result = await reviewFiles(repo, { rules: [rule], today: TODAY });
  const failed = result.findings.find((finding) => finding.ruleId === 'review/rule-failed');
  if (failed) {
    throw new Error(failed.message);
  }
  return result.findings.filter((finding) => finding.ruleId === rule.id);
}

/** `line severity: message` per finding. */
export async function lintLines(rule: Rule, files: string | Record<string, string>, options: Record<string, unknown> = {}): Promise<string[]> {
  return (await lint(rule, files, options)).map((finding) => `${finding.range.start.line} ${finding.severity}: ${finding.message}`);
}

/** A Dockerfile with one RUN holding `body`. */
export function run(body: string): string {
  return `FROM ubuntu:24.04\nRUN ${body}\n`;
}
