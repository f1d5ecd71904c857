// Why: older majors of the docker/* and actions/* actions run on Node 20, which GitHub forces onto
// Node 24 from June 2026 and removes from runners on 2026-09-16, and they miss inputs and fixes the
// build relies on (setup-buildx v4, build-push v7). actionlint only flags node12/node16 majors
// (research/anchors-actions-buildx.md, section b and rule V1). The current majors are knowledge data
// (src/knowledge/actions.json) with the date they were checked.
import { findAction } from '../../knowledge/index.js';
import { defineRule } from '../rule.js';

export const outdatedActionMajor = defineRule({
  id: 'workflow/outdated-action-major',
  meta: {
    title: 'Action used at an older major version',
    severity: 'warning',
    rationale:
      'Each major of a GitHub Action can change its runtime and inputs. Older majors of checkout, login, setup-buildx and build-push-action run on Node 20, which GitHub runners no longer ship, lack features a modern image build uses (Build Cloud driver fixes, cache and attestation options), and stop getting fixes. An image workflow that stays on them breaks on a runner update, usually on the day a base image needs an urgent rebuild.',
    remediation:
      'Move the action to its current major (read its release notes for removed inputs first), ideally pinned by commit SHA with a `# vX.Y.Z` comment so Dependabot or Renovate can keep it current.',
  },
  hooks: {
    workflow(file, ctx) {
      for (const job of file.model.jobs) {
        for (const step of job.steps) {
          const uses = step.uses;
          if (!uses || uses.kind !== 'action' || uses.slug === null || uses.major === null) {
            continue;
          }
          const fact = findAction(ctx.knowledge, uses.slug);
          if (!fact || uses.major >= fact.currentMajor) {
            continue;
          }
          // `@<sha> # v4.1.2`: name the version the comment gives rather than 40 hex digits.
          const written = uses.refKind === 'sha' && uses.comment
            ? `${uses.raw.slice(0, uses.raw.lastIndexOf('@'))}@${uses.ref?.slice(0, 7) ?? ''} (${uses.comment})`
            : uses.raw;
          ctx.report({
            at: uses.range,
            message: `${written} is behind the current major v${fact.currentMajor} (checked ${fact.checked}); update to ${uses.raw.slice(0, uses.raw.lastIndexOf('@'))}@v${fact.currentMajor}`,
          });
        }
      }
    },
  },
});
