// Why: path filters and branch filters decide when an image workflow runs; without
// `workflow_dispatch` nobody can rebuild the image on demand (a base-image security update, a
// retry after a flaky push) without a dummy commit. Path filters do not apply to manual runs
// (research/anchors-actions-buildx.md, rule T6; GitHub docs, "Manually running a workflow").
import { workflowImageBuilds } from '../../repo/workflow-builds.js';
import { addWorkflowDispatchEdit } from '../lib/workflow-edits.js';
import { defineRule } from '../rule.js';

export const missingWorkflowDispatch = defineRule({
  id: 'workflow/missing-workflow-dispatch',
  meta: {
    title: 'Image-building workflow without a manual trigger',
    severity: 'warning',
    fixable: 'safe',
    rationale:
      'Base images need rebuilding when nothing in the repository changed: the Ubuntu or CUDA base image got security fixes, a pip index served a broken wheel, a registry push failed half-way. A workflow that only runs on push or pull_request leaves two options, an empty commit or a manual build from a laptop with different tags and build args than CI. `workflow_dispatch` gives a one-click rebuild with the same settings.',
    remediation:
      'Add `workflow_dispatch:` under `on:` (optionally with inputs such as a tag suffix or a no-cache switch). `baseimg fix` adds it in the shape `on:` already has (`on: push` becomes `on: [push, workflow_dispatch]`); a manual trigger only runs when someone starts it, so the fix is safe.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const events = workflow.on?.events ?? [];
      if (!workflow.on || events.length === 0 || events.some((event) => event.event === 'workflow_dispatch')) {
        return;
      }
      // A reusable workflow (`on: workflow_call` only) is dispatched through its caller.
      if (events.every((event) => event.event === 'workflow_call')) {
        return;
      }
      if (workflowImageBuilds(workflow, ctx.repo).length === 0) {
        return;
      }
      const names = events.map((event) => event.event).join(', ');
      const edit = addWorkflowDispatchEdit(workflow.path, workflow.text);
      ctx.report({
        at: workflow.on.keyRange,
        message: `workflow builds an image but only runs on ${names}; add "workflow_dispatch:" under "on" for manual rebuilds`,
        ...(edit ? { fix: { description: 'add "workflow_dispatch" to "on"', safety: 'safe' as const, edits: [edit] } } : {}),
      });
    },
  },
});
