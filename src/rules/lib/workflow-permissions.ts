/**
 * What a workflow job does with its GITHUB_TOKEN, as far as the workflow text shows: whether it
 * pushes an image (and to GHCR, which needs `packages: write`), attests or signs (which needs
 * `id-token: write` / `attestations: write`), and whether anything in it may use the token in ways
 * baseimg cannot see (third-party actions, `gh`, `git push`), which makes narrowing permissions a
 * change a person must check (research/anchors-actions-buildx.md, rules P1-P3 and section e).
 */
import { hasFlag, invocations, type Invocation } from '../../parse/shell-query.js';
import type { Workflow, WorkflowJob, WorkflowStep } from '../../parse/workflow.js';
import type { Repo } from '../../repo/repo.js';
import { scriptsRun, usesAction } from '../../repo/workflow-builds.js';

/** Action owners whose token needs are known: GitHub's own actions, Docker's, Sigstore's. */
const KNOWN_OWNERS = new Set(['actions', 'docker', 'sigstore']);

/** Actions that attest or sign with the workflow's OIDC identity. */
const ATTEST_ACTIONS = ['actions/attest-build-provenance', 'actions/attest', 'actions/attest-sbom', 'sigstore/cosign-installer'];

/** Actions that log in to a cloud with the workflow's OIDC token (they need `id-token: write` only). */
const OIDC_ACTIONS = ['aws-actions/configure-aws-credentials', 'google-github-actions/auth', 'azure/login', 'hashicorp/vault-action'];

/** True for an action input that is not literally off (`push: true`, `push: ${{ ... }}`). */
function notOff(value: string | undefined): boolean {
  return value !== undefined && !/^(false|0|)$/i.test(value.trim());
}

/** A command that sends an image to a registry. */
function pushCommand(call: Invocation): boolean {
  const words = call.args.map((word) => word.value ?? '');
  if (call.program === 'docker' || call.program === 'podman') {
    if (words[0] === 'push' || (words[0] === 'image' && words[1] === 'push') || (words[0] === 'manifest' && words[1] === 'push')) {
      return true;
    }
    if (words[0] === 'buildx' && words[1] === 'imagetools' && words[2] === 'create') {
      return true;
    }
    if ((words[0] === 'buildx' || words[0] === 'build') && (hasFlag(call.args, '--push') || words.some((word) => /type=(registry|image,.*push=true)/.test(word)))) {
      return true;
    }
  }
  return (call.program === 'crane' && ['push', 'copy', 'cp', 'tag'].includes(words[0] ?? ''))
    || (call.program === 'skopeo' && words[0] === 'copy')
    || (call.program === 'oras' && words[0] === 'push');
}

/** True when a step pushes an image: build-push/bake with push on, or a push command in `run:` or in a script it runs. */
function stepPushes(step: WorkflowStep, scriptPushes: (step: WorkflowStep) => boolean): boolean {
  if (usesAction(step, 'docker/build-push-action') || usesAction(step, 'docker/bake-action')) {
    return notOff(step.with.get('push')?.value) || /type=registry|push=true/.test(step.with.get('outputs')?.value ?? step.with.get('set')?.value ?? '');
  }
  return invocations(step.run?.shell ?? null).some(pushCommand) || scriptPushes(step);
}

/** The push/attest facts of every job of a workflow. */
export interface JobTokenUse {
  job: WorkflowJob;
  pushes: boolean;
  /** Pushes and names ghcr.io anywhere in the job or the workflow env (GHCR with GITHUB_TOKEN needs packages: write). */
  pushesToGhcr: boolean;
  /** Names ghcr.io without pushing (a login to pull private images needs packages: read). */
  readsGhcr: boolean;
  /** Attests or signs (artifact attestations, cosign, BuildKit provenance/SBOM pushed with the image). */
  attests: boolean;
  /** Logs in to a cloud with OIDC. */
  usesOidc: boolean;
  /** Why narrowing this job's token may break it (empty when all its steps are understood). */
  unknowns: string[];
}

/** Facts per job; repository scripts a step runs count as that step's commands (one level deep). */
export function jobTokenUse(workflow: Workflow, repo: Repo): JobTokenUse[] {
  const runs = scriptsRun(workflow, repo);
  const scriptPushes = (step: WorkflowStep): boolean =>
    runs.some((run) => run.step === step && invocations(repo.scripts.find((script) => script.path === run.path)?.shell ?? null).some(pushCommand));
  const workflowEnv = [...workflow.env.values()].map((entry) => entry.value).join('\n');
  return workflow.jobs.map((job) => {
    const pushes = job.steps.some((step) => stepPushes(step, scriptPushes));
    const texts = [workflowEnv, ...[...job.env.values()].map((entry) => entry.value)];
    for (const step of job.steps) {
      texts.push(step.run?.text ?? '', step.if?.value ?? '', ...[...step.with.values(), ...step.env.values()].map((entry) => entry.value));
    }
    const namesGhcr = texts.some((text) => /ghcr\.io/i.test(text));
    const pushesToGhcr = pushes && namesGhcr;
    const attests = job.steps.some((step) => {
      if (ATTEST_ACTIONS.some((slug) => step.uses?.slug === slug)) {
        return true;
      }
      if ((usesAction(step, 'docker/build-push-action') || usesAction(step, 'docker/bake-action')) && notOff(step.with.get('push')?.value)) {
        return notOff(step.with.get('provenance')?.value) || notOff(step.with.get('sbom')?.value);
      }
      return invocations(step.run?.shell ?? null).some((call) => {
        const words = call.args.map((word) => word.value ?? '');
        return (call.program === 'cosign' && ['sign', 'attest', 'sign-blob', 'attest-blob'].includes(words[0] ?? ''))
          || (call.program === 'gh' && words[0] === 'attestation');
      });
    });
    const usesOidc = job.steps.some((step) => OIDC_ACTIONS.some((slug) => step.uses?.slug === slug));
    const unknowns: string[] = [];
    if (job.uses) {
      unknowns.push(`the reusable workflow ${job.uses.raw} (job "${job.id}")`);
    }
    for (const step of job.steps) {
      const uses = step.uses;
      if (uses && (uses.kind !== 'action' || uses.owner === null || !KNOWN_OWNERS.has(uses.owner.toLowerCase()))) {
        unknowns.push(`${uses.raw} (job "${job.id}")`);
      }
      const usesToken = invocations(step.run?.shell ?? null).some((call) => {
        const words = call.args.map((word) => word.value ?? '');
        return call.program === 'gh' || (call.program === 'git' && words[0] === 'push');
      }) || /github\.token|secrets\.GITHUB_TOKEN|api\.github\.com/.test(step.run?.text ?? '');
      if (usesToken) {
        unknowns.push(`the GitHub calls of step ${JSON.stringify(step.label)} (job "${job.id}")`);
      }
    }
    return { job, pushes, pushesToGhcr, readsGhcr: namesGhcr && !pushes, attests, usesOidc, unknowns };
  });
}
