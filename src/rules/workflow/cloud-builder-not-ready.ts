// Why: docker/setup-buildx-action with `driver: cloud` connects to a Docker Build Cloud builder.
// Docker documents the flow as: log in to Docker Hub first, then create the cloud builder
// (https://docs.docker.com/build-cloud/ci/); the driver ships in Docker's buildx-desktop builds,
// which the action downloads as `cloud:latest` unless `version` pins one
// (https://docs.docker.com/build/builders/drivers/cloud/). A subscription lapse, an endpoint typo
// or a new buildx release then fails or changes every build at once, so the workflow should check
// the builder before building and say what happens when Build Cloud is unavailable
// (research/anchors-actions-buildx.md, rule J6 and "Docker Build Cloud / cloud driver").
import { argsWithoutFlags, hasFlag, invocations } from '../../parse/shell-query.js';
import type { WorkflowJob, WorkflowStep } from '../../parse/workflow.js';
import { quote } from '../lib/helpers.js';
import { usesAction } from '../../repo/workflow-builds.js';
import { defineRule } from '../rule.js';

export const cloudBuilderNotReady = defineRule({
  id: 'workflow/cloud-builder-not-ready',
  meta: {
    title: 'Docker Build Cloud builder used without login, pinned buildx, readiness check or fallback',
    severity: 'warning',
    rationale:
      'With `driver: cloud` every image build depends on a remote Docker Build Cloud builder: the runner must be logged in to Docker Hub before the builder is created, the buildx-desktop binary the action downloads floats to `cloud:latest` unless a version is pinned, and a lapsed subscription or wrong endpoint fails the build late and opaquely. For multi-gigabyte CUDA images that is a lost hour of CI per attempt. A readiness check right after setup fails fast with a clear message, and a documented fallback (a docker-container builder on failure) keeps releases possible when Build Cloud is down.',
    remediation:
      'Log in with docker/login-action before docker/setup-buildx-action, pin `version:` to a specific buildx release instead of `latest`, add a step running `docker buildx inspect --bootstrap` (or checking the step\'s `status` output), and add a fallback step or job (`if: failure()`) or a comment that says how to build without Build Cloud.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      // A comment that mentions a fallback anywhere in the file documents one (e.g. "fallback:
      // switch driver to docker-container"); the comment text is the only place it can live.
      const documentedFallback = workflow.comments.some((comment) => /fall[ -]?back/i.test(comment.text));
      for (const job of workflow.jobs) {
        job.steps.forEach((step, index) => {
          if (!usesAction(step, 'docker/setup-buildx-action')) {
            return;
          }
          const driver = step.with.get('driver');
          if (!driver || driver.value.trim() !== 'cloud') {
            return;
          }
          const before = job.steps.slice(0, index);
          const after = job.steps.slice(index + 1);
          const missing: string[] = [];
          if (!before.some(isRegistryLogin)) {
            missing.push('a docker/login-action step before it (Build Cloud needs a Docker login)');
          }
          const version = step.with.get('version')?.value.trim() ?? '';
          if (version === '' || /(^|:)latest$/.test(version)) {
            missing.push(version === '' ? 'a pinned buildx version (it defaults to cloud:latest)' : `a pinned buildx version (${quote(version)} floats)`);
          }
          if (!after.some((later) => checksReadiness(later, step))) {
            missing.push('a readiness check after it ("docker buildx inspect --bootstrap")');
          }
          if (!documentedFallback && !hasFailureFallback(workflow.jobs, job, after)) {
            missing.push('a documented fallback (a step or job with "if: failure()", or a comment)');
          }
          if (missing.length === 0) {
            return;
          }
          const endpoint = step.with.get('endpoint')?.value;
          ctx.report({
            at: driver.range,
            message: `cloud builder${endpoint ? ` ${quote(endpoint)}` : ''} is set up without ${missing.join(', ')}`,
          });
        });
      }
    },
  },
});

// Build Cloud authenticates with the Docker account, so only a Docker Hub login counts; a login to
// GHCR or ECR before setup-buildx does not connect the cloud builder.
const DOCKER_HUB = /^(|docker\.io|index\.docker\.io|registry-1\.docker\.io|https?:\/\/index\.docker\.io\/v1\/?)$/;

/** docker/login-action to Docker Hub, or a `docker login` (to Docker Hub) in a run step. */
function isRegistryLogin(step: WorkflowStep): boolean {
  if (usesAction(step, 'docker/login-action')) {
    const registry = step.with.get('registry')?.value.trim() ?? '';
    return registry.includes('${{') || DOCKER_HUB.test(registry);
  }
  return invocations(step.run?.shell ?? null).some((call) => {
    if (call.program !== 'docker' || call.args[0]?.value !== 'login') {
      return false;
    }
    const server = argsWithoutFlags(call.args.slice(1), ['-u', '--username', '-p', '--password'])[0];
    return server === undefined || server.value === null || DOCKER_HUB.test(server.value);
  });
}

/**
 * `docker buildx inspect --bootstrap` in a later run step, or a later step that reads the setup
 * step's `status` output (`steps.<id>.outputs.status`), which setup-buildx fills from that command.
 */
function checksReadiness(step: WorkflowStep, setup: WorkflowStep): boolean {
  const inspects = invocations(step.run?.shell ?? null).some((call) => {
    const words = call.args.map((word) => word.value);
    return call.program === 'docker' && words[0] === 'buildx' && words[1] === 'inspect' && hasFlag(call.args, '--bootstrap');
  });
  if (inspects) {
    return true;
  }
  const id = setup.id?.value;
  if (!id) {
    return false;
  }
  // Expressions have no parsed form in the model; matching the reference text is the only way.
  const reference = new RegExp(`steps\\.${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.outputs\\.status`);
  const texts = [step.if?.value ?? '', step.run?.text ?? '', ...[...step.env.values()].map((entry) => entry.value)];
  return texts.some((text) => reference.test(text));
}

/** A later step of the job, or a job that needs it, that runs on failure (`if: failure()`, `steps.x.outcome == 'failure'`). */
function hasFailureFallback(jobs: WorkflowJob[], job: WorkflowJob, after: WorkflowStep[]): boolean {
  // `if:` expressions have no parsed form in the model; the text is matched (see checksReadiness).
  const onFailure = (condition: string | undefined): boolean =>
    condition !== undefined && /failure\(\)|(outcome|conclusion|result)\s*==\s*'failure'/.test(condition);
  if (after.some((step) => onFailure(step.if?.value))) {
    return true;
  }
  return jobs.some((other) => other !== job && other.needs.some((need) => need.value === job.id) && onFailure(other.if?.value));
}
