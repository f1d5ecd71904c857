/**
 * Small pieces several rules share: cache-mount logic, BuildKit detection, fix builders. Pure
 * functions of the model, like the rules themselves.
 */
import type { Dockerfile, RunInstruction } from '../../parse/dockerfile.js';
import type { Position, Range } from '../../parse/locations.js';
import type { DockerfileEntry } from '../../repo/repo.js';
import type { Fix } from '../finding.js';

/** Package managers whose download caches a RUN can keep in a BuildKit cache mount. */
export type CacheKind = 'apt' | 'pip' | 'uv';

// Where each tool keeps its cache by default, as root (the usual build user).
const CACHE_TARGETS: Record<CacheKind, RegExp> = {
  apt: /^\/var\/(cache\/apt|lib\/apt)(\/|$)/,
  pip: /^(\/root|~|\$HOME)\/\.cache(\/pip)?\/?$|\$\{?PIP_CACHE_DIR\}?/,
  uv: /^(\/root|~|\$HOME)\/\.cache(\/uv)?\/?$|\$\{?UV_CACHE_DIR\}?/,
};

/** True when the RUN mounts a BuildKit cache where `kind` keeps its downloads. */
export function hasCacheMount(run: RunInstruction, kind: CacheKind): boolean {
  return run.mounts.some((mount) => mount.type === 'cache' && mount.target !== null && CACHE_TARGETS[kind].test(mount.target));
}

/**
 * True when the image is built with BuildKit features available: the Dockerfile already uses
 * BuildKit syntax (`# syntax=`, `--mount`, heredocs), or a workflow or bake file builds it (both
 * always go through buildx). Rules that advise a cache mount only speak when this holds, and the
 * rules that advise cleaning caches stay silent then, so one RUN never gets both pieces of advice.
 */
export function buildKitInUse(dockerfile: Dockerfile, entry: DockerfileEntry): boolean {
  return dockerfile.usesBuildKit || entry.contextSource === 'workflow' || entry.contextSource === 'bake';
}

/** A fix that inserts `text` at `position` of `dockerfile`. */
export function insertFix(dockerfile: Dockerfile, position: Position, text: string, description: string, safety: Fix['safety'] = 'safe'): Fix {
  const offset = dockerfile.lines.offsetAt(position);
  return { description, safety, edits: [{ file: dockerfile.path, start: offset, end: offset, newText: text }] };
}

/** A fix that replaces `range` of `dockerfile` with `text`. */
export function replaceFix(dockerfile: Dockerfile, range: Range, text: string, description: string, safety: Fix['safety'] = 'safe'): Fix {
  return {
    description,
    safety,
    edits: [{ file: dockerfile.path, start: dockerfile.lines.offsetAt(range.start), end: dockerfile.lines.offsetAt(range.end), newText: text }],
  };
}

/** Quotes a value for a message: `"value"`, shortened past 60 characters. */
export function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(short);
}
