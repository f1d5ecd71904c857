// Why: when a RUN that installs packages is rebuilt (any earlier layer or the RUN itself changed),
// apt, pip and uv download everything again. A BuildKit cache mount keeps their download caches
// between builds without putting them in a layer (Docker docs, "Optimize cache usage in builds >
// Use cache mounts"; uv docs, "Using uv in Docker > Caching"). hadolint accepts such a mount in
// place of cleaning the cache (DL3009, DL3042) and hadolint#1139 asks to recommend it.
//
// Pairing: dockerfile/apt-lists-not-cleaned and dockerfile/pip-without-no-cache-dir advise
// cleaning the caches instead, and stay silent when BuildKit is in use; this rule speaks only
// then, so one RUN never gets both pieces of advice.
//
// Severity: warning, not info. The rule only fires when the build already goes through BuildKit,
// so the change is one flag on the RUN with no cost to image size, and on CUDA/PyTorch images the
// re-downloaded wheels and .debs are gigabytes per rebuild: the warm-build targets of the project
// plan (-25 % with a BuildKit cache strategy) are not reachable without it.
import type { RunInstruction, Stage } from '../../parse/dockerfile.js';
import { argValues, flagValue, hasFlag, invocations, isAptInstall, pipInstall, type Invocation } from '../../parse/shell-query.js';
import { buildKitInUse, hasCacheMount, insertFix, type CacheKind } from '../lib/helpers.js';
import { effectiveUser, instructionsBefore, isRootUser } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

export const installWithoutCacheMount = defineRule({
  id: 'cache/install-without-cache-mount',
  meta: {
    title: 'Package install without a BuildKit cache mount',
    severity: 'warning',
    rationale:
      'A rebuilt RUN that installs packages downloads every .deb and wheel again: for a PyTorch or CUDA image that is several gigabytes and minutes per build, every time a layer above it changes. BuildKit cache mounts keep the apt, pip and uv download caches on the builder between builds without putting a byte of them in the image, which is the main lever for warm-build time once layers are ordered well.',
    remediation:
      'Add the cache mount for the tool to the RUN: `--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked` for apt (and remove /etc/apt/apt.conf.d/docker-clean so apt keeps the downloads), `--mount=type=cache,target=/root/.cache/pip` for pip, `--mount=type=cache,target=/root/.cache/uv` with `ENV UV_LINK_MODE=copy` for uv.',
    fixable: 'unsafe',
  },
  hooks: {
    runCommand(call, ctx) {
      const kind = cacheKind(call);
      if (kind === null || !buildKitInUse(ctx.dockerfile, ctx.entry) || mounted(ctx.run, kind, call)) {
        return;
      }
      // One finding per tool and RUN: the mount serves every install of that tool in the RUN.
      const first = ctx.calls.find((other) => cacheKind(other) === kind);
      if (first !== call) {
        return;
      }
      const user = effectiveUser(ctx.stage, ctx.run);
      const root = user === null || isRootUser(user);
      const mount = mountFlags(kind, root ? '/root' : null);
      const tool = toolName(call, kind);
      let advice = mount === null
        ? `add --mount=type=cache,target=<home of user "${user ?? ''}">/.cache/${kind},uid=<uid of "${user ?? ''}"> to this RUN`
        : `add ${mount} to this RUN`;
      if (kind === 'apt' && !keepsAptDownloads(ctx.stage, ctx.run)) {
        advice += ' and remove /etc/apt/apt.conf.d/docker-clean in an earlier RUN so apt keeps the downloaded packages';
      }
      if (kind === 'pip' && hasFlag(call.args, '--no-cache-dir')) {
        advice += ', then drop --no-cache-dir';
      }
      if (kind === 'uv' && hasFlag(call.args, '--no-cache')) {
        advice += ', then drop --no-cache';
      }
      if (kind === 'uv' && !ctx.run.scope.has('UV_LINK_MODE')) {
        advice += ' and set ENV UV_LINK_MODE=copy (the cache mount is another filesystem, so uv cannot hard-link from it)';
      }
      ctx.report({
        at: call.command.range,
        message: `${tool} in stage "${ctx.stage.label}" runs without a BuildKit cache mount, so every rebuild of this layer downloads its packages again; ${advice}`,
        ...(mount !== null ? { fix: insertFix(ctx.dockerfile, ctx.run.keywordRange.end, ` ${mount}`, `add a ${kind} cache mount`, 'unsafe') } : {}),
      });
    },
  },
});

/** Which download cache an install call fills, or null when it installs nothing we know. */
function cacheKind(call: Invocation): CacheKind | null {
  if (isAptInstall(call)) {
    return 'apt';
  }
  const install = pipInstall(call);
  if (install) {
    return install.tool;
  }
  // `uv sync` installs a project's locked dependencies into its environment.
  if (call.program === 'uv' && argValues(call.args)[0] === 'sync') {
    return 'uv';
  }
  return null;
}

/** How the message names the install: `apt-get install`, `pip install`, `uv pip install`, `uv sync`. */
function toolName(call: Invocation, kind: CacheKind): string {
  if (kind === 'apt') {
    return `${call.program ?? 'apt-get'} install`;
  }
  if (kind === 'pip') {
    return 'pip install';
  }
  return argValues(call.args)[0] === 'sync' ? 'uv sync' : 'uv pip install';
}

/**
 * True when the RUN mounts a cache where the call keeps its downloads: the default places
 * `hasCacheMount` knows, a non-root user's `~/.cache/pip` (hadolint DL3042 accepts any target
 * holding `.cache/pip`), or the directory `--cache-dir` / PIP_CACHE_DIR / UV_CACHE_DIR names.
 */
function mounted(run: RunInstruction, kind: CacheKind, call: Invocation): boolean {
  if (hasCacheMount(run, kind)) {
    return true;
  }
  const caches = run.mounts.filter((mount) => mount.type === 'cache' && mount.target !== null).map((mount) => (mount.target ?? '').replace(/\/+$/, ''));
  if (kind === 'apt') {
    return false;
  }
  const configured = [
    flagValue(call.args, '--cache-dir'),
    run.scope.get(kind === 'pip' ? 'PIP_CACHE_DIR' : 'UV_CACHE_DIR') ?? null,
  ].filter((value): value is string => value !== null).map((value) => value.replace(/\/+$/, ''));
  return caches.some((target) => target.endsWith(`/.cache/${kind}`) || target.endsWith('/.cache') || configured.includes(target));
}

/** The mount flags to add, or null when the cache lives in a non-root user's home we cannot name. */
function mountFlags(kind: CacheKind, home: string | null): string | null {
  if (kind === 'apt') {
    // sharing=locked: apt takes a lock on both directories, so parallel builds must not share them
    // (Dockerfile reference, "RUN --mount=type=cache", apt example).
    return '--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked';
  }
  return home === null ? null : `--mount=type=cache,target=${home}/.cache/${kind}`;
}

/**
 * True when an earlier RUN (or this one) stops Debian/Ubuntu's docker-clean hook from deleting the
 * downloaded .debs: `rm -f /etc/apt/apt.conf.d/docker-clean` or a Keep-Downloaded-Packages setting,
 * as the Dockerfile reference's apt example does.
 */
function keepsAptDownloads(stage: Stage, run: RunInstruction): boolean {
  const runs = [...instructionsBefore(stage, run), run].filter((instruction): instruction is RunInstruction => instruction.kind === 'run');
  return runs.some((candidate) =>
    invocations(candidate.shell).some((call) =>
      (call.program === 'rm' && argValues(call.args).some((value) => value.endsWith('/docker-clean'))) ||
      argValues(call.args).some((value) => value.includes('Keep-Downloaded-Packages'))));
}
