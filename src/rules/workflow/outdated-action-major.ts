// Why: older majors of the docker/* and actions/* actions run on Node 20, which GitHub forces onto
// Node 24 from June 2026 and removes from runners on 2026-09-16, and they miss inputs and fixes the
// build relies on (setup-buildx v4, build-push v7). actionlint only flags node12/node16 majors
// (research/anchors-actions-buildx.md, section b and rule V1). The current majors are knowledge data
// (src/knowledge/actions.json) with the date they were checked.
import { findAction, findNodeRuntime, type Knowledge } from '../../knowledge/index.js';
import type { ActionMajor } from '../../knowledge/knowledge.schema.js';
import type { ActionRef, Workflow, WorkflowStep } from '../../parse/workflow.js';
import type { Fix, TextEdit } from '../finding.js';
import { quote } from '../lib/helpers.js';
import { offsets, replaceEdit } from '../lib/workflow-steps.js';
import { defineRule } from '../rule.js';

export const outdatedActionMajor = defineRule({
  id: 'workflow/outdated-action-major',
  meta: {
    title: 'Action used at an older major version',
    severity: 'warning',
    rationale:
      'Each major of a GitHub Action can change its runtime and inputs. Older majors of checkout, login, setup-buildx and build-push-action run on Node 20, which GitHub runners no longer ship, lack features a modern image build uses (Build Cloud driver fixes, cache and attestation options), and stop getting fixes. An image workflow that stays on them breaks on a runner update, usually on the day a base image needs an urgent rebuild.',
    remediation:
      'Move the action to its current major (read its release notes for removed inputs first), ideally pinned by commit SHA with a `# vX.Y.Z` comment so Dependabot or Renovate can keep it current. `baseimg fix` bumps tag refs whose `with:` inputs all survive the new major; SHA-pinned refs need the new commit SHA, which only the action\'s repository can give.',
    fixable: 'safe',
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
          const target = uses.raw.slice(0, uses.raw.lastIndexOf('@'));
          // `@<sha> # v4.1.2`: name the version the comment gives rather than 40 hex digits.
          const written = uses.refKind === 'sha' && uses.comment ? `${target}@${uses.ref?.slice(0, 7) ?? ''} (${uses.comment})` : uses.raw;
          const parts = [`${written} is behind the current major v${fact.currentMajor} (checked ${fact.checked})${runtimeNote(ctx.knowledge, fact, uses.major)}`];
          const blocking = removedInputs(fact, uses.major, step).filter((removed) => !removed.rename);
          let fix: Fix | undefined;
          if (uses.refKind === 'sha') {
            parts.push(`update to ${target}@<v${fact.currentMajor} commit sha> # ${fact.latest} (no automatic fix: the new commit sha cannot be known offline)`);
          } else if (blocking.length > 0) {
            const names = blocking.map((removed) => `${quote(removed.input)} (removed in v${removed.major}${removed.replacement ? `, see ${quote(removed.replacement)}` : ''})`);
            parts.push(`update to ${target}@v${fact.currentMajor} once the step no longer uses input ${names.join(', ')}`);
          } else {
            parts.push(`update to ${target}@v${fact.currentMajor}`);
            // checkout v7 refuses fork checkouts under pull_request_target/workflow_run: in such a
            // workflow the bump changes behaviour, so it waits for `--unsafe` (research section e).
            const privileged = (file.model.on?.events ?? []).some((trigger) => trigger.event === 'pull_request_target' || trigger.event === 'workflow_run');
            fix = bumpFix(file.model, step, uses, fact, privileged && uses.slug === 'actions/checkout' ? 'unsafe' : 'safe');
          }
          ctx.report({ at: uses.range, message: parts.join('; '), ...(fix ? { fix } : {}) });
        }
      }
    },
  },
});

/** `, and v3 runs on node20, which ...` when the used major's runtime is one GitHub deprecated. */
function runtimeNote(knowledge: Knowledge, fact: ActionMajor, major: number): string {
  const runtime = fact.majors.find((entry) => entry.major === major)?.runtime;
  const deprecation = runtime ? findNodeRuntime(knowledge, runtime) : undefined;
  if (!runtime || !deprecation) {
    return '';
  }
  let when: string;
  if (deprecation.removedFrom && deprecation.removedFrom <= knowledge.today) {
    when = `which GitHub runners removed on ${deprecation.removedFrom}`;
  } else if (deprecation.forcedFrom && deprecation.forcedFrom <= knowledge.today) {
    when = `which GitHub runners force onto ${deprecation.forcedTo} since ${deprecation.forcedFrom}${deprecation.removedFrom ? ` and remove on ${deprecation.removedFrom}` : ''}`;
  } else if (deprecation.forcedFrom) {
    when = `which GitHub deprecated: runners force it onto ${deprecation.forcedTo} from ${deprecation.forcedFrom}`;
  } else {
    when = `which GitHub runners replaced with ${deprecation.forcedTo}`;
  }
  return ` and runs on ${runtime}, ${when} (checked ${deprecation.checked})`;
}

/** An input of the step that a major between the used one and the current one removed. */
interface RemovedInput {
  input: string;
  major: number;
  replacement: string | undefined;
  /** The replacement takes the same value, so the fix renames the key. */
  rename: boolean;
}

function removedInputs(fact: ActionMajor, from: number, step: WorkflowStep): RemovedInput[] {
  const found: RemovedInput[] = [];
  for (const entry of fact.majors) {
    if (entry.major <= from || entry.major > fact.currentMajor) {
      continue;
    }
    for (const removed of entry.removedInputs) {
      if (step.with.has(removed.input)) {
        const rename = removed.sameMeaning && removed.replacement !== undefined && !step.with.has(removed.replacement);
        found.push({ input: removed.input, major: entry.major, replacement: removed.replacement, rename });
      }
    }
  }
  return found;
}

/**
 * Replaces the ref with the current major (a full version ref `v3.12.0` becomes the newest tag
 * seen, keeping the author's precision), renames inputs the new major renamed 1:1, and keeps a
 * `# vX.Y.Z` comment after a tag ref in step with the new ref.
 */
function bumpFix(workflow: Workflow, step: WorkflowStep, uses: ActionRef, fact: ActionMajor, safety: Fix['safety']): Fix | undefined {
  const ref = uses.ref ?? '';
  const fullVersion = /^v?\d+\.\d+/.test(ref);
  const newRef = fullVersion ? fact.latest : `v${fact.currentMajor}`;
  const { start, end } = offsets(workflow, uses.range);
  const source = workflow.text.slice(start, end);
  const at = source.lastIndexOf(`@${ref}`);
  if (at < 0) {
    return undefined;
  }
  const edits: TextEdit[] = [{ file: workflow.path, start: start + at + 1, end: start + at + 1 + ref.length, newText: newRef }];
  const line = workflow.lines.lineText(uses.range.end.line);
  const rest = line.slice(uses.range.end.column - 1);
  const comment = /^(\s*#\s*)(v?\d+(?:\.\d+)*)\b/.exec(rest);
  if (comment?.[1] !== undefined && comment[2] !== undefined) {
    const commentStart = end + comment[1].length;
    const newComment = /\./.test(comment[2]) ? fact.latest : `v${fact.currentMajor}`;
    edits.push({ file: workflow.path, start: commentStart, end: commentStart + comment[2].length, newText: newComment });
  }
  for (const removed of removedInputs(fact, uses.major ?? 0, step)) {
    const entry = step.with.get(removed.input);
    if (removed.rename && removed.replacement && entry) {
      edits.push(replaceEdit(workflow, entry.keyRange, removed.replacement));
    }
  }
  return { description: `update ${uses.raw} to ${uses.raw.slice(0, uses.raw.lastIndexOf('@'))}@${newRef}`, safety, edits };
}
