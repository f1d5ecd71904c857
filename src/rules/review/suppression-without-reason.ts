import { defineRule } from '../rule.js';

/** Reported for `# baseimg-ignore` comments that give no reason. */
export const suppressionWithoutReason = defineRule({
  id: 'review/suppression-without-reason',
  meta: {
    title: 'Suppression without a reason',
    severity: 'warning',
    rationale:
      'A suppression is a decision someone will have to revisit. Without the reason next to it, the next maintainer cannot tell a deliberate trade-off from a silenced bug, so baseimg does not honour a suppression until it says why.',
    remediation: 'Write the reason after two dashes: `# baseimg-ignore <rule-id> -- <why this is fine here>`.',
    engine: true,
  },
  hooks: {},
});
