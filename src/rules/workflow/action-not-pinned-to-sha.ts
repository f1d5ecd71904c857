// Why: a tag or branch ref is whatever its owner (or whoever takes over the owner's account) points
// it at when the job starts. On 2026-03-19 the tags of aquasecurity/trivy-action were re-pointed to
// a credential stealer for about twelve hours (aquasecurity/trivy-action#541, GHSA-69fq-xp46-6x23);
// every workflow on a tag ran it with its registry secrets. A full commit SHA cannot move, and a
// `# vX.Y.Z` comment keeps it reviewable and updatable by Dependabot/Renovate
// (research/anchors-actions-buildx.md, rule V2; OpenSSF Scorecard Pinned-Dependencies; zizmor
// unpinned-uses). Owners the project already trusts with its code (GitHub's and Docker's own
// actions) may stay on majors by policy: `allowOwners`.
import type { ActionRef } from '../../parse/workflow.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

/** Owners whose actions may be referenced by tag, unless the config says otherwise. */
export const DEFAULT_ALLOW_OWNERS = ['actions', 'github', 'docker'];

// Branch names that are always branches, whoever owns the action.
const BRANCH_REFS = /^(main|master|trunk|develop|dev|latest|head|stable|release)$/i;

export const actionNotPinnedToSha = defineRule({
  id: 'workflow/action-not-pinned-to-sha',
  meta: {
    title: 'Third-party action not pinned to a commit SHA',
    severity: 'warning',
    rationale:
      'A workflow that builds and pushes base images holds registry credentials. An action referenced by tag or branch runs whatever commit that name points to when the job starts; tags of popular actions have been re-pointed to credential stealers (aquasecurity/trivy-action, March 2026). A full 40-character commit SHA cannot be moved, so a compromised upstream cannot change what the build runs. Branch refs (`@main`) change with every push and are never reproducible, whoever owns them.',
    remediation:
      'Pin the action to the full commit SHA of the release you reviewed and keep the version in a comment: `uses: owner/repo@<40-hex sha> # v1.2.3`; Dependabot and Renovate update both together. Actions of owners you trust like your own code can stay on a major by listing the owner in `rules["workflow/action-not-pinned-to-sha"].options.allowOwners` (default `["actions", "github", "docker"]`).',
  },
  hooks: {
    workflow(file, ctx) {
      const allowOwners = new Set(allowOwnersOption(ctx.options).map((owner) => owner.toLowerCase()));
      const refs: ActionRef[] = [];
      for (const job of file.model.jobs) {
        if (job.uses) {
          refs.push(job.uses);
        }
        for (const step of job.steps) {
          if (step.uses) {
            refs.push(step.uses);
          }
        }
      }
      for (const uses of refs) {
        if ((uses.kind !== 'action' && uses.kind !== 'reusable-workflow') || uses.ref === null || uses.refKind === null || uses.owner === null) {
          continue;
        }
        const target = uses.raw.slice(0, uses.raw.lastIndexOf('@'));
        const owner = uses.owner.toLowerCase();
        if (uses.refKind === 'sha') {
          if (uses.comment === null || !/\bv?\d+(\.\d+)*\b/.test(uses.comment)) {
            ctx.report({
              at: uses.range,
              severity: 'info',
              message: `${target}@${uses.ref.slice(0, 7)} is pinned by sha without a "# vX.Y.Z" comment, so nobody can tell which release it is or update it; add the version as a comment after the sha`,
            });
          }
          continue;
        }
        if (uses.refKind === 'branch' || BRANCH_REFS.test(uses.ref)) {
          ctx.report({
            at: uses.range,
            message: `${uses.raw} follows branch ${quote(uses.ref)}, which changes with every push; pin ${target} to a full commit sha with a "# vX.Y.Z" comment`,
          });
          continue;
        }
        if (allowOwners.has(owner)) {
          continue;
        }
        ctx.report({
          at: uses.range,
          message: `${uses.raw} is a third-party action pinned to tag ${quote(uses.ref)}, which its owner can move; pin it to the full commit sha of that release with a "# ${uses.ref}" comment, or allow owner ${quote(uses.owner)} in the rule's allowOwners option`,
        });
      }
    },
  },
});

/** `options.allowOwners` when it is a list of strings, else the default list. */
function allowOwnersOption(options: Readonly<Record<string, unknown>>): string[] {
  const value = options['allowOwners'];
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
    return value;
  }
  return DEFAULT_ALLOW_OWNERS;
}
