// Why: `pull_request_target` and `workflow_run` run in the context of the base repository, with
// its secrets and a write token, because they are meant never to run the pull request's code.
// Checking out the pull request head there (`ref: ${{ github.event.pull_request.head.sha }}`) and
// then building it is the "pwn request": the Dockerfile and build scripts of a fork run with the
// registry credentials (GitHub Security Lab, "Preventing pwn requests"; OpenSSF Scorecard
// Dangerous-Workflow; zizmor dangerous-triggers; research/anchors-actions-buildx.md rule T7).
// actions/checkout v7 refuses it unless `allow-unsafe-pr-checkout: true`.
import { invocations } from '../../parse/shell-query.js';
import type { WorkflowStep } from '../../parse/workflow.js';
import { usesAction } from '../../repo/workflow-builds.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const PRIVILEGED_EVENTS = ['pull_request_target', 'workflow_run'];

// Context values that name the untrusted head: the pull request's commit or branch, or the commit of
// the run that triggered workflow_run.
const HEAD_REFERENCE = /github\.event\.pull_request\.head\.(sha|ref|repo\.full_name)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.workflow_run\.head_repository\.full_name|refs\/pull\/[^/]+?\/(head|merge)/;

// A guard that limits the job to pull requests from the repository itself (no fork code).
const SAME_REPOSITORY_GUARD = /head\.repo\.full_name\s*==\s*github\.repository|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork/;

export const pullRequestTargetCheckoutHead = defineRule({
  id: 'workflow/pull-request-target-checkout-head',
  meta: {
    title: 'pull_request_target or workflow_run checks out the pull request head',
    severity: 'error',
    rationale:
      '`pull_request_target` and `workflow_run` jobs run with the base repository\'s secrets and a write token. Checking out the pull request\'s head commit there and building it runs a stranger\'s Dockerfile, build scripts and requirements with your registry credentials in reach: anyone can open a pull request that pushes a poisoned base image or exfiltrates the tokens.',
    remediation:
      'Build pull requests under `pull_request` (no secrets, read-only token) and push only from `push`/`workflow_dispatch`. If a privileged follow-up is needed, let it consume artifacts of the unprivileged run without executing them, or restrict the job to same-repository pull requests (`if: github.event.pull_request.head.repo.full_name == github.repository`).',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const events = (workflow.on?.events ?? []).map((trigger) => trigger.event).filter((event) => PRIVILEGED_EVENTS.includes(event));
      if (events.length === 0) {
        return;
      }
      for (const job of workflow.jobs) {
        for (const step of job.steps) {
          const guarded = [job.if?.value, step.if?.value].some((condition) => condition !== undefined && SAME_REPOSITORY_GUARD.test(condition));
          if (guarded) {
            continue;
          }
          const head = headCheckout(step);
          if (!head) {
            continue;
          }
          const unsafe = step.with.get('allow-unsafe-pr-checkout')?.value.trim() === 'true' ? ' (allow-unsafe-pr-checkout turns off checkout\'s own refusal)' : '';
          ctx.report({
            at: head.range,
            message: `${events.join('/')} workflow checks out ${/workflow_run/.test(head.text) ? 'the head of the triggering run' : 'the pull request head'} ${quote(head.text)} in job "${job.id}", running untrusted code with the base repository's secrets and write token${unsafe}; build pull requests under pull_request instead`,
          });
        }
      }
    },
  },
});

/** The `ref:`/`repository:` input of a checkout, or a git/gh command, that names the head. */
function headCheckout(step: WorkflowStep): { text: string; range: WorkflowStep['range'] } | null {
  if (usesAction(step, 'actions/checkout')) {
    for (const key of ['ref', 'repository']) {
      const entry = step.with.get(key);
      if (entry && HEAD_REFERENCE.test(entry.value)) {
        return { text: entry.value.trim(), range: entry.range };
      }
    }
    return null;
  }
  const run = step.run;
  if (!run) {
    return null;
  }
  // `${{ }}` is blanked in the parsed shell; the run's expressions (as written) say what it names.
  const expression = run.expressions.find((candidate) => HEAD_REFERENCE.test(candidate.value));
  const fetches = invocations(run.shell).some((call) => {
    const words = call.args.map((word) => word.value ?? '');
    return (call.program === 'git' && ['checkout', 'fetch', 'switch', 'pull', 'clone'].includes(words[0] ?? '')) || (call.program === 'gh' && words[0] === 'pr' && words[1] === 'checkout');
  });
  if (!fetches) {
    return null;
  }
  const prCheckout = invocations(run.shell).find((call) => call.program === 'gh' && call.args[0]?.value === 'pr' && call.args[1]?.value === 'checkout');
  if (expression) {
    return { text: expression.value, range: expression.range };
  }
  if (prCheckout) {
    return { text: prCheckout.command.text, range: prCheckout.command.range };
  }
  const pullRef = invocations(run.shell).flatMap((call) => call.args).find((word) => word.value !== null && /refs\/pull\/|pull\/[^/\s]+\/head/.test(word.value));
  return pullRef ? { text: pullRef.value ?? pullRef.text, range: pullRef.range } : null;
}
