// Why: an image workflow without a `concurrency` group runs every trigger in parallel: two pushes
// to main race to push the same tags (the older build can finish last and win), and every push to
// a pull request keeps building superseded commits for the length of a CUDA image build. A group
// keyed by workflow and ref serialises runs per branch; cancelling in progress only for pull
// requests never stops a publish half-way (research/anchors-actions-buildx.md, rule J1 and
// section e; GitHub docs, "Control the concurrency of workflows and jobs"). Groups are shared
// across the repository, so a group without the workflow's name makes unrelated workflows wait
// for each other.
import type { WorkflowConcurrency } from '../../parse/workflow.js';
import { workflowImageBuilds } from '../../repo/workflow-builds.js';
import { quote } from '../lib/helpers.js';
import { addConcurrencyEdit } from '../lib/workflow-edits.js';
import { defineRule, type RuleContext } from '../rule.js';

const GROUP = '${{ github.workflow }}-${{ github.ref }}';
const CANCEL = "${{ github.event_name == 'pull_request' }}";

export const missingConcurrency = defineRule({
  id: 'workflow/missing-concurrency',
  meta: {
    title: 'Image-building workflow without a per-ref concurrency group',
    severity: 'warning',
    fixable: 'safe',
    rationale:
      'Base-image builds are long. Without a concurrency group, two pushes in a row build in parallel and push the same tags in whatever order they finish, so the registry can end up with the older image; pull-request pushes keep building superseded commits. A constant group, or one without the ref, makes every branch wait for every other; one without the workflow name makes the CPU and GPU workflows of the repository wait for each other, since groups are repository-wide.',
    remediation:
      "Add `concurrency: { group: ${{ github.workflow }}-${{ github.ref }}, cancel-in-progress: ${{ github.event_name == 'pull_request' }} }` at the top level: runs per workflow and ref queue, superseded pull-request runs are cancelled, and a publish on main is never cancelled half-way.",
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const builds = workflowImageBuilds(workflow, ctx.repo);
      if (builds.length === 0 || !workflow.on) {
        return;
      }
      const events = workflow.on.events.map((event) => event.event);
      if (events.length > 0 && events.every((event) => event === 'workflow_call')) {
        // A reusable workflow runs inside its caller's concurrency group.
        return;
      }
      const pullRequests = events.includes('pull_request') || events.includes('pull_request_target');
      const buildJobs = [...new Set(builds.map((build) => build.job))];
      if (!workflow.concurrency) {
        if (buildJobs.every((job) => job.concurrency !== null)) {
          for (const job of buildJobs) {
            if (job.concurrency) {
              checkGroup(job.concurrency, `job "${job.id}"`, pullRequests, ctx.report);
            }
          }
          return;
        }
        const edit = addConcurrencyEdit(workflow.path, workflow.text, GROUP, CANCEL);
        ctx.report({
          at: workflow.on.keyRange,
          message: `workflow builds an image but has no "concurrency", so runs for the same ref build and push in parallel; expected "concurrency: group: ${GROUP}" with cancel-in-progress for pull requests only`,
          ...(edit ? { fix: { description: 'add a concurrency group per workflow and ref, cancelling superseded pull-request runs', safety: 'safe' as const, edits: [edit] } } : {}),
        });
        return;
      }
      checkGroup(workflow.concurrency, 'the workflow', pullRequests, ctx.report);
    },
  },
});

/** Flags a group that is constant, ignores the ref or does not name the workflow, and missing PR cancellation. */
function checkGroup(concurrency: WorkflowConcurrency, owner: string, pullRequests: boolean, report: RuleContext['report']): void {
  const group = concurrency.group;
  if (!group) {
    report({ at: concurrency.keyRange, message: `concurrency of ${owner} has no group; expected "group: ${GROUP}"` });
    return;
  }
  const value = group.value;
  const expressions = value.match(/\$\{\{[\s\S]*?\}\}/g) ?? [];
  const literal = value.replace(/\$\{\{[\s\S]*?\}\}/g, '').replace(/[-_./\s]/g, '');
  if (expressions.length === 0) {
    report({ at: group.range, message: `concurrency group ${quote(value)} of ${owner} is the same for every ref, so every branch and pull request waits for the others; expected "${GROUP}"` });
    return;
  }
  const perRef = expressions.some((expression) => /github\.(ref|head_ref|ref_name)\b|github\.event\.pull_request\.number|github\.run_id/.test(expression));
  if (!perRef) {
    report({ at: group.range, message: `concurrency group ${quote(value)} of ${owner} does not include the ref ("github.ref" or "github.head_ref"), so branches wait for each other; expected "${GROUP}"` });
    return;
  }
  const named = literal !== '' || expressions.some((expression) => /github\.workflow\b|matrix\.|inputs\.|env\./.test(expression));
  if (!named) {
    report({ at: group.range, message: `concurrency group ${quote(value)} of ${owner} does not name the workflow or image, and groups are shared by every workflow of the repository; expected "${GROUP}"` });
    return;
  }
  if (pullRequests && !concurrency.cancelInProgress) {
    report({
      at: group.range,
      severity: 'info',
      message: `concurrency of ${owner} does not cancel superseded pull-request runs; add "cancel-in-progress: ${CANCEL}" (it keeps pushes to main from being cancelled)`,
    });
  }
}
