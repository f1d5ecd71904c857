// Why: Docker's build cache keys a RUN on its text, so a RUN that only runs `apt-get update` is
// reused from cache for months while a later `RUN apt-get install` changes and runs against those
// stale lists: it installs outdated versions or fails with 404s once the mirror drops them (Docker
// docs, "Building best practices > apt-get": "Always combine RUN apt-get update with apt-get
// install in the same RUN statement"). Trivy DS-0017 and checkov CKV_DOCKER_5 flag the first half.
//
// Two findings, both about the same cache trap:
// - an update with nothing after it in its RUN that reads the lists (install, upgrade, build-dep,
//   apt-cache ...). Any unknown command after it (a script, `curl ... | bash`) may install
//   packages, so the rule stays silent then rather than guess;
// - an install whose RUN has no update before it while an earlier RUN of the stage (or of a stage
//   it builds on) did run one: that install relies on the earlier layer's lists.
import type { DockerInstruction } from '../../parse/dockerfile.js';
import { invocations, isAptInstall, isAptUpdate, type Invocation } from '../../parse/shell-query.js';
import { APT_PROGRAMS, readsAptLists, removesAptLists } from '../lib/apt.js';
import { instructionsBefore } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

// Commands that neither install packages nor run other programs that might.
const INERT = new Set([
  'rm', 'echo', 'printf', 'true', ':', 'ls', 'cat', 'mkdir', 'ln', 'chmod', 'chown', 'cp', 'mv', 'touch', 'set', 'sleep',
  'test', '[', 'rmdir', 'tee', 'gpg', 'curl', 'wget', 'add-apt-repository', 'apt-key', 'cd', 'export', 'sed', 'grep',
  'update-ca-certificates', 'locale-gen',
]);

export const aptUpdateWithoutInstall = defineRule({
  id: 'dockerfile/apt-update-without-install',
  meta: {
    title: 'apt-get update and apt-get install in different RUNs',
    severity: 'warning',
    rationale:
      'The build cache reuses a RUN whose text has not changed, so a RUN that only runs apt-get update keeps the package lists of the day it was first built. A later RUN that installs packages then works from those lists: it pulls outdated versions, or fails with "404 Not Found" once the mirror has moved on, and the failure appears only on machines with a warm cache. For base images rebuilt on a schedule this gives different package sets on CI and on developer machines.',
    remediation: 'Run apt-get update and apt-get install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends ... && rm -rf /var/lib/apt/lists/*`.',
  },
  hooks: {
    runCommand(call, ctx) {
      if (isAptUpdate(call)) {
        const updates = ctx.calls.filter(isAptUpdate);
        if (updates[updates.length - 1] !== call) {
          return;
        }
        const later = ctx.calls.filter((other) => other.command.index > call.command.index);
        if (later.some((other) => readsAptLists(other) || !isInert(other))) {
          return;
        }
        ctx.report({
          at: call.command.range,
          message: `apt-get update in stage "${ctx.stage.label}" is not followed by an install in the same RUN; a cached update layer gives later installs stale lists`,
        });
        return;
      }
      if (!isAptInstall(call) || ctx.calls.some((other) => other.command.index < call.command.index && isAptUpdate(other))) {
        return;
      }
      const earlier = lastEarlierUpdate(instructionsBefore(ctx.stage, ctx.run));
      if (!earlier) {
        return;
      }
      const where = earlier.removedAfter ? `in an earlier RUN that also removed the lists` : 'in an earlier RUN';
      ctx.report({
        at: call.command.range,
        message: `apt-get install in stage "${ctx.stage.label}" relies on the apt-get update at line ${earlier.line} ${where}; run apt-get update in this RUN`,
      });
    },
  },
});

function isInert(call: Invocation): boolean {
  return call.program !== null && (INERT.has(call.program) || removesAptLists(call) || (APT_PROGRAMS.has(call.program) && !readsAptLists(call)));
}

/** The last `apt-get update` in an earlier RUN, with whether that RUN removed the lists after it. */
function lastEarlierUpdate(before: readonly DockerInstruction[]): { line: number; removedAfter: boolean } | null {
  let found: { line: number; removedAfter: boolean } | null = null;
  for (const instruction of before) {
    if (instruction.kind !== 'run') {
      continue;
    }
    const calls = invocations(instruction.shell);
    const updates = calls.filter(isAptUpdate);
    const last = updates[updates.length - 1];
    if (last) {
      found = {
        line: last.command.range.start.line,
        removedAfter: calls.some((other) => other.command.index > last.command.index && removesAptLists(other)),
      };
    }
  }
  return found;
}
