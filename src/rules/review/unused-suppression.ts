import { defineRule } from '../rule.js';

/** Reported for suppressions that matched no finding. */
export const unusedSuppression = defineRule({
  id: 'review/unused-suppression',
  meta: {
    title: 'Suppression that suppresses nothing',
    severity: 'warning',
    rationale:
      'A `# baseimg-ignore`, `# hadolint ignore=` or config ignore that no longer matches a finding is dead weight: the problem was fixed or the code moved, and a stale suppression would silently hide the next real finding on that line.',
    remediation: 'Delete the suppression, or correct the rule id it names.',
    engine: true,
  },
  hooks: {},
});
