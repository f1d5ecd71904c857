// Why: write scopes on the GITHUB_TOKEN are only needed by the job that uses them: `packages:
// write` to push to GHCR, `id-token: write` and `attestations: write` to attest or sign with the
// workflow's OIDC identity. Granted at the top level or on jobs that do neither, they hand every
// action of those jobs the power to publish packages or mint identity tokens
// (research/anchors-actions-buildx.md, rules P1-P3; zizmor excessive-permissions; Scorecard
// Token-Permissions).
import type { WorkflowJob, WorkflowPermissions } from '../../parse/workflow.js';
import { jobTokenUse, type JobTokenUse } from '../lib/workflow-permissions.js';
import { defineRule, type WorkflowContext } from '../rule.js';

export const excessivePermissions = defineRule({
  id: 'workflow/excessive-permissions',
  meta: {
    title: 'Workflow token granted write scopes nothing in the job uses',
    severity: 'warning',
    rationale:
      'Every action and build step of a job can use its GITHUB_TOKEN. `write-all` gives them write access to everything; `packages: write` on a job that pushes no image lets them publish or overwrite packages; `id-token: write` and `attestations: write` where nothing attests or signs let them mint OIDC tokens that cloud accounts and signing services trust. For base images, which are pulled by every downstream build, a hijacked action with these grants can replace the image itself.',
    remediation:
      'Keep `contents: read` at the top; grant `packages: write` only on the job that pushes (to ghcr.io), and `id-token: write` / `attestations: write` only on the job that runs actions/attest-build-provenance, cosign or a cloud OIDC login. Replace `write-all` with the scopes the job needs.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const uses = jobTokenUse(workflow, ctx.repo);
      const anyPush = uses.filter((use) => use.pushes);
      const anyAttest = uses.some((use) => use.attests);
      const anyOidc = uses.some((use) => use.attests || use.usesOidc);
      if (workflow.permissions) {
        checkBlock(ctx, workflow.permissions, 'at the top level', { pushes: anyPush.length > 0, attests: anyAttest, oidc: anyOidc, topLevel: true, pushers: anyPush.map((use) => use.job) });
      }
      for (const use of uses) {
        if (use.job.permissions && !use.job.uses) {
          checkBlock(ctx, use.job.permissions, `on job "${use.job.id}"`, facts(use));
        }
      }
    },
  },
});

interface Facts {
  pushes: boolean;
  attests: boolean;
  oidc: boolean;
  topLevel: boolean;
  /** Jobs that push (top level only: where the grant belongs instead). */
  pushers: WorkflowJob[];
}

function facts(use: JobTokenUse): Facts {
  return { pushes: use.pushes, attests: use.attests, oidc: use.attests || use.usesOidc, topLevel: false, pushers: [] };
}

function checkBlock(ctx: WorkflowContext, block: WorkflowPermissions, where: string, facts: Facts): void {
  if (block.all === 'write-all') {
    ctx.report({ at: block.range, message: `"write-all" ${where} gives every step write access to all scopes; expected "contents: read" and only the writes the job needs` });
    return;
  }
  const packages = block.scopes.get('packages');
  if (packages?.value === 'write') {
    if (facts.topLevel) {
      const jobs = facts.pushers.map((job) => `"${job.id}"`);
      ctx.report({
        at: packages.keyRange,
        message: jobs.length > 0
          ? `"packages: write" ${where} reaches every job; expected it only on the job that pushes (${jobs.join(', ')})`
          : `"packages: write" ${where}, but no job pushes an image; expected "packages: read" or no packages scope`,
      });
    } else if (!facts.pushes) {
      ctx.report({ at: packages.keyRange, message: `"packages: write" ${where}, which pushes no image; expected it only on a job that pushes to ghcr.io` });
    }
  }
  const idToken = block.scopes.get('id-token');
  if (idToken?.value === 'write' && !facts.oidc) {
    ctx.report({ at: idToken.keyRange, message: `"id-token: write" ${where}, but ${facts.topLevel ? 'no job attests, signs or logs in' : 'nothing in the job attests, signs or logs in'} with OIDC; expected no id-token scope` });
  }
  const attestations = block.scopes.get('attestations');
  if (attestations?.value === 'write' && !facts.attests) {
    ctx.report({ at: attestations.keyRange, message: `"attestations: write" ${where}, but ${facts.topLevel ? 'no job attests' : 'nothing in the job attests'}; expected no attestations scope` });
  }
}
