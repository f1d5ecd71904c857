/** Reviews and fixes one workflow with one rule, for the workflow rules' table tests. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planFixes } from '../../../src/fix/plan.js';
import type { Finding } from '../../../src/rules/finding.js';
import type { Rule } from '../../../src/rules/rule.js';
import { reviewFiles, tempRepo } from '../../helpers.js';

export const DOCKERFILE = 'FROM ubuntu:24.04\nRUN echo built\n';
export const WORKFLOW = '.github/workflows/build.yml';

/** The findings of `rule` for a repository with `workflow` (and a Dockerfile at the root). */
export async function findingsOf(rule: Rule, workflow: string, extra: Record<string, string> = {}): Promise<Finding[]> {
  const result = await reviewFiles({ Dockerfile: DOCKERFILE, [WORKFLOW]: workflow, ...extra }, { rules: [rule] });
  return result.findings.filter((finding) => finding.ruleId === rule.id);
}

/** The workflow after `fix` with `rule` alone (unsafe fixes included when asked), and whether a second run changes it. */
export async function fixedWith(rule: Rule, workflow: string, options: { unsafe?: boolean; extra?: Record<string, string> } = {}): Promise<{ text: string; stable: boolean }> {
  const repo = await tempRepo({ Dockerfile: DOCKERFILE, [WORKFLOW]: workflow, ...(options.extra ?? {}) });
  try {
    const plan = await planFixes({ path: repo.root, rules: [rule], unsafe: options.unsafe ?? false, today: '2026-11-29' });
    const text = plan.changes.find((change) => change.path === WORKFLOW)?.after ?? (await readFile(join(repo.root, WORKFLOW), 'utf8'));
    const again = await tempRepo({ Dockerfile: DOCKERFILE, [WORKFLOW]: text, ...(options.extra ?? {}) });
    try {
      const second = await planFixes({ path: again.root, rules: [rule], unsafe: options.unsafe ?? false, today: '2026-11-29' });
      return { text, stable: second.changes.length === 0 };
    } finally {
      await again.cleanup();
    }
  } finally {
    await repo.cleanup();
  }
}
