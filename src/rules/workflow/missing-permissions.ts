// Why: without a top-level `permissions:` block every job gets the repository's default
// GITHUB_TOKEN permissions, which are read-write for many repositories and all organisations
// created before February 2023. A compromised action or build step then holds write access to
// code, packages and releases (research/anchors-actions-buildx.md, rule P1; OpenSSF Scorecard
// Token-Permissions; zizmor excessive-permissions; GitHub docs, "Controlling permissions for
// GITHUB_TOKEN").
import { lineRange } from '../../parse/locations.js';
import type { Fix, TextEdit } from '../finding.js';
import { addJobPermissionsEdit, addTopLevelPermissionsEdit } from '../lib/workflow-edits.js';
import { jobTokenUse } from '../lib/workflow-permissions.js';
import { defineRule } from '../rule.js';

export const missingPermissions = defineRule({
  id: 'workflow/missing-permissions',
  meta: {
    title: 'Workflow without a top-level permissions block',
    severity: 'warning',
    fixable: 'safe',
    rationale:
      'A workflow that does not say what its GITHUB_TOKEN may do gets the repository default, which is write access to contents, packages and more in many repositories. Image builds run third-party actions and download code from package indexes; with a write token, any of them can push to branches, overwrite release assets or publish packages. Declaring `contents: read` at the top and granting writes only on the job that needs them (`packages: write` for a GHCR push) limits that to what the build really does.',
    remediation:
      'Add `permissions:` with `contents: read` at the top of the workflow, and a job-level `permissions:` with the writes a job needs (`packages: write` on the job that pushes to ghcr.io, `id-token: write` and `attestations: write` on the job that attests). `baseimg fix` adds both; it marks the fix unsafe when a step it does not know (a third-party action, `gh`, `git push`) may need more.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      if (workflow.permissions || workflow.jobs.length === 0 || workflow.jobsKeyRange === null) {
        return;
      }
      // Every job with its own block: the token is already bounded per job.
      if (workflow.jobs.every((job) => job.permissions !== null)) {
        return;
      }
      const edits: TextEdit[] = [];
      const top = addTopLevelPermissionsEdit(workflow.path, workflow.text, [['contents', 'read']]);
      const uses = jobTokenUse(workflow, ctx.repo);
      const unknowns: string[] = [];
      const granted: string[] = [];
      let complete = top !== null;
      if (top) {
        edits.push(top);
      }
      for (const use of uses) {
        unknowns.push(...use.unknowns);
        if (use.job.permissions) {
          continue;
        }
        const grants: [string, string][] = [];
        if (use.pushesToGhcr) {
          grants.push(['packages', 'write']);
        } else if (use.readsGhcr) {
          // Once any scope is listed the others are none: a private GHCR pull needs this one.
          grants.push(['packages', 'read']);
        }
        if (use.attests || use.usesOidc) {
          grants.push(['id-token', 'write']);
        }
        if (use.attests) {
          grants.push(['attestations', 'write']);
        }
        if (grants.length === 0) {
          continue;
        }
        const edit = addJobPermissionsEdit(workflow.path, workflow.text, use.job.id, [['contents', 'read'], ...grants]);
        if (edit) {
          edits.push(edit);
          granted.push(`${grants.map(([scope, level]) => `${scope}: ${level}`).join(', ')} on job "${use.job.id}"`);
        } else {
          complete = false;
        }
      }
      const fix: Fix | undefined = complete
        ? {
            description: `add top-level "permissions: contents: read"${granted.length > 0 ? ` and ${granted.join('; ')}` : ''}`,
            // Narrowing the token is safe only when every step's token needs are known.
            safety: unknowns.length === 0 ? 'safe' : 'unsafe',
            edits,
          }
        : undefined;
      const needs = granted.length > 0 ? `, with ${granted.join('; ')}` : '';
      const check = unknowns.length > 0 ? `; check what ${unknowns.slice(0, 2).join(' and ')}${unknowns.length > 2 ? ` and ${unknowns.length - 2} more` : ''} need${unknowns.length === 1 ? 's' : ''} first` : '';
      ctx.report({
        at: workflow.jobsKeyRange ?? lineRange(1),
        message: `workflow has no top-level "permissions", so jobs get the repository's default token (often write-all); expected "permissions: contents: read" at the top${needs}${check}`,
        ...(fix ? { fix } : {}),
      });
    },
  },
});
