// Why: PLAN D2 "add explicit --pull". Without --pull, BuildKit and the classic builder use the
// base image already in the local store when there is one, so a long-lived build machine keeps
// building on the base it pulled months ago and misses its security fixes
// (docker buildx build reference, "--pull"; bake reference, "pull" attribute).
import { argsWithoutFlags, argValues, findFlag } from '../../parse/shell-query.js';
import type { Repo } from '../../repo/repo.js';
import { dockerCalls, type DockerCall } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

// `docker buildx bake` options that take the next word as their value.
const BAKE_FLAGS_WITH_VALUE = ['-f', '--file', '--set', '--builder', '--progress', '--metadata-file', '--allow', '--call', '--var'];

/** Builds in scripts that reuse whatever base image the machine has. */
export const buildWithoutPull = defineRule({
  id: 'script/build-without-pull',
  meta: {
    title: 'Script builds without --pull',
    severity: 'warning',
    rationale:
      'Without `--pull` a build uses the base image already in the local image store when one is there. Build scripts run on long-lived machines (a workstation, a self-hosted runner, a remote builder), so the base they build on is whatever was pulled first, possibly months old: the new image misses the base\'s security fixes, and two machines build different images from the same commit. CI runners start empty and always pull, which makes manual and CI builds differ too.',
    remediation:
      'Add `--pull` to `docker build`/`docker buildx build` and `docker buildx bake` (or set `pull = true` in the bake target). A script that must build offline can offer a `--no-pull` option that drops the flag.',
    fixable: 'safe',
  },
  hooks: {
    script(script, ctx) {
      for (const call of dockerCalls(script.shell)) {
        if ((call.kind !== 'build' && call.kind !== 'bake') || call.opaque || findFlag(call.args, '--pull')) {
          continue;
        }
        if (call.kind === 'bake' && bakeTargetsPull(ctx.repo, call)) {
          continue;
        }
        const last = call.subcommand[call.subcommand.length - 1];
        const shown = `docker ${argValues(call.subcommand).join(' ')}`;
        const offset = last ? script.lines.offsetAt(last.range.end) : null;
        ctx.report({
          at: call.range,
          message: `"${shown}" without --pull builds on whatever base image this machine has cached; add --pull${call.kind === 'bake' ? ' (or pull = true in the bake target)' : ''}`,
          ...(offset !== null && last?.value === last?.text
            ? { fix: { description: `add --pull to ${shown}`, safety: 'safe' as const, edits: [{ file: script.path, start: offset, end: offset, newText: ' --pull' }] } }
            : {}),
        });
      }
    },
  },
});

/** True when every target the bake call builds sets `pull = true` (directly or through `inherits`). */
function bakeTargetsPull(repo: Repo, call: DockerCall): boolean {
  const files = argValues(call.args).flatMap((value, index, values) => (value === '-f' || value === '--file' ? [values[index + 1] ?? ''] : []));
  const bakes = repo.bakeFiles.filter((file) => files.length === 0 || files.some((name) => file.path === name.replace(/^\.\//, '')));
  if (bakes.length === 0) {
    return false;
  }
  const named = argsWithoutFlags(call.args.slice(call.subcommand.length), BAKE_FLAGS_WITH_VALUE).map((word) => word.value);
  const pulls = (name: string, seen: Set<string>): boolean => {
    if (seen.has(name)) {
      return false;
    }
    seen.add(name);
    for (const bake of bakes) {
      const raw = bake.model.definition.targets.get(name);
      if (raw?.attributes.pull === true) {
        return true;
      }
      const target = bake.model.targets.find((candidate) => candidate.name === name);
      if (target?.inherits.some((parent) => pulls(parent, seen))) {
        return true;
      }
    }
    return false;
  };
  const expand = (name: string): string[] => {
    const group = bakes.flatMap((bake) => bake.model.groups).find((candidate) => candidate.name === name);
    return group ? group.targets.flatMap(expand) : [name];
  };
  // A target given through a variable could be any of them; then all must pull.
  const targets = named.length === 0 ? expand('default')
    : named.some((name) => name === null) ? bakes.flatMap((bake) => bake.model.targets.map((target) => target.name)).filter((name) => !name.startsWith('_'))
      : named.flatMap((name) => expand(name ?? ''));
  return targets.length > 0 && targets.every((name) => pulls(name, new Set()));
}
