/** Table-test helpers for the Dockerfile hygiene rules: run one rule over inline Dockerfiles. */
import { reviewFiles } from '../../helpers.js';
import type { Finding } from '../../../src/rules/finding.js';
import type { Rule } from '../../../src/rules/rule.js';

/** Findings of `rule` alone (enabled even when off by default) on `files`; a string is the Dockerfile. */
export async function lint(rule: Rule, files: string | Record<string, string>, options: Record<string, unknown> = {}): Promise<Finding[]> {
  const enabled = { ...rule, meta: { ...rule.meta, enabledByDefault: true } };
  const repo: Record<string, string> = typeof files === 'string' ? { Dockerfile: files } : { ...files };
  if (Object.keys(options).length > 0) {
    repo['baseimg.config.json'] = JSON.stringify({ rules: { [rule.id]: { options } } });
  }
  const result = await reviewFiles(repo, { rules: [enabled] });
  const failed = result.findings.find((finding) => finding.ruleId === 'review/rule-failed');
  if (failed) {
    throw new Error(failed.message);
  }
  return result.findings.filter((finding) => finding.ruleId === rule.id);
}

/** `line: message` for each finding, for compact expectations. */
export async function lintLines(rule: Rule, files: string | Record<string, string>, options: Record<string, unknown> = {}): Promise<string[]> {
  return (await lint(rule, files, options)).map((finding) => `${finding.range.start.line}: ${finding.message}`);
}

/** The Dockerfile after applying every fix `rule` offers (edits applied from the end backwards). */
export async function fixed(rule: Rule, dockerfile: string): Promise<string> {
  const edits = (await lint(rule, dockerfile)).flatMap((finding) => finding.fix?.edits ?? []);
  let text = dockerfile;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  }
  return text;
}
