import { defineRule } from '../rule.js';

/** Reported by the runner when a rule throws; the rest of the review still completes. */
export const ruleFailed = defineRule({
  id: 'review/rule-failed',
  meta: {
    title: 'A rule failed on this input',
    severity: 'error',
    rationale:
      'A rule that throws on some input would otherwise hide every finding it should have made. The runner catches it, reports where it happened, and goes on with the other rules, so one bug never turns a review into a crash.',
    remediation: 'Report the finding (file and message) to the baseimg maintainers; meanwhile turn the rule off in baseimg.config if it blocks CI.',
    engine: true,
  },
  hooks: {},
});
