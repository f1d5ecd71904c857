// Why: a build that pushes on `pull_request` publishes images from unreviewed code under the
// project's tags (or fails on fork pull requests, which get no secrets and a read-only token), and
// under `pull_request_target` it does so with write credentials. Docker's and GitHub's examples
// compute `push: ${{ github.event_name != 'pull_request' }}` (research/anchors-actions-buildx.md
// rule P4). The push value and the step's and job's `if:` are evaluated for each pull request event
// with what the workflow file decides (event name, env values); anything else counts as unknown,
// and only a push that is certainly on is reported.
import type { WorkflowValue } from '../../parse/workflow.js';
import { findFlag, flagValue } from '../../parse/shell-query.js';
import { workflowImageBuilds, type WorkflowImageBuild } from '../../repo/workflow-builds.js';
import { buildCall } from '../lib/build-cache.js';
import { evaluateValue, eventContext, truthy } from '../lib/expressions.js';
import { defineRule } from '../rule.js';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

export const pushOnPullRequest = defineRule({
  id: 'workflow/push-on-pull-request',
  meta: {
    title: 'Image pushed from pull request runs',
    severity: 'warning',
    rationale:
      'A pull request build should prove the image builds, not publish it. Pushing from `pull_request` overwrites release tags with unreviewed code (or fails for fork pull requests, which get no registry secrets), and pushing from `pull_request_target` hands write credentials to code from outside the repository.',
    remediation:
      'Make the push conditional: `push: ${{ github.event_name != \'pull_request\' }}` on docker/build-push-action or docker/bake-action, `--push` only in a step with `if: github.event_name != \'pull_request\'`; build with `load: true` or `outputs: type=cacheonly` on pull requests.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const events = (workflow.on?.events ?? []).map((trigger) => trigger.event).filter((event) => PULL_REQUEST_EVENTS.includes(event));
      if (events.length === 0) {
        return;
      }
      for (const build of workflowImageBuilds(workflow, ctx.repo)) {
        const push = pushSetting(build);
        if (push === null) {
          continue;
        }
        const reachable = events.filter((event) => {
          const lookup = eventContext(event, [build.step.env, build.job.env, workflow.env]);
          const guards = [build.job.if, build.step.if].filter((guard): guard is WorkflowValue => guard !== null);
          if (guards.some((guard) => truthy(evaluateValue(guard.value, lookup, { condition: true })) === false)) {
            return false;
          }
          const value = push.value === null ? true : evaluateValue(push.value, lookup);
          // The actions read the input with getBooleanInput: only "true" (any case) pushes.
          return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
        });
        if (reachable.length === 0) {
          continue;
        }
        ctx.report({
          at: push.at.range,
          message: `${push.label} in job "${build.job.id}" pushes the image on ${reachable.join(' and ')} events; push only outside pull requests (push: \${{ github.event_name != 'pull_request' }}) or guard the step with an if:`,
        });
      }
    },
  },
});

/** Where a build asks to push: the input value (null value = a flag that always pushes). */
function pushSetting(build: WorkflowImageBuild): { value: string | null; at: { range: WorkflowValue['range'] }; label: string } | null {
  if (build.kind === 'build-push-action' || build.kind === 'bake-action') {
    const push = build.step.with.get('push');
    if (push) {
      return { value: push.value, at: push, label: `"push: ${push.value}"` };
    }
    const outputs = build.step.with.get('outputs');
    if (outputs && /type=registry|push=true/.test(outputs.value)) {
      return { value: 'true', at: outputs, label: `"outputs: ${outputs.value.trim()}"` };
    }
    return null;
  }
  const call = buildCall(build);
  if (!call) {
    return null;
  }
  const flag = findFlag(call.args, '--push');
  if (flag) {
    return { value: null, at: flag, label: '"--push"' };
  }
  const output = flagValue(call.args, '--output', '-o');
  const outputWord = findFlag(call.args, '--output', '-o');
  if (output !== null && outputWord && /type=registry|push=true/.test(output)) {
    return { value: null, at: outputWord, label: `"--output ${output}"` };
  }
  return null;
}
