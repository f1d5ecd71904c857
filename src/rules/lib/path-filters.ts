/**
 * GitHub's `paths` / `paths-ignore` filters
 * (https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions#onpushpull_requestpull_request_targetpathspaths-ignore
 * and the "Filter pattern cheat sheet"), evaluated with picomatch.
 *
 * Semantics kept: patterns are matched against repository paths in order; a pattern starting with
 * `!` excludes what earlier patterns included, and a later positive pattern includes again, so the
 * last matching pattern decides. `*` does not cross `/`, `**` does; dotfiles match (`dot: true`).
 *
 * Where GitHub's syntax differs from picomatch's, and how it is handled:
 * - `**` glued to other characters (`**.js`, `docs/**.md`) spans folders on GitHub; picomatch reads
 *   it as `*` there, so it is rewritten to `** /*` first (`docs/**` + `/*.md`).
 * - A pattern starting with `./` never matches on GitHub (paths have no `./` prefix; actionlint
 *   reports it); picomatch would strip it, so such patterns are treated as matching nothing.
 * - On GitHub `?` means "zero or one of the preceding character" and `+` "one or more of the
 *   preceding character"; picomatch reads `?` as one character and `+` literally. Both are rare in
 *   path filters and left as picomatch reads them.
 */
import picomatch from 'picomatch';
import type { PatternFilter, WorkflowTrigger } from '../../parse/workflow.js';

/** A compiled filter: `includes(path)` says whether a change to `path` triggers the event. */
export interface CompiledPathFilter {
  /** `paths` or `paths-ignore`. */
  key: 'paths' | 'paths-ignore';
  filter: PatternFilter;
  includes(path: string): boolean;
}

/** Rewrites GitHub glob syntax into picomatch syntax where the two differ (see above). */
export function toPicomatch(pattern: string): string {
  return pattern
    .replace(/\*\*(?=[^/])/g, '**/*')
    .replace(/([^/])\*\*/g, '$1*/**');
}

/** The last matching pattern decides: true when it is a positive one. */
function lastMatchIsPositive(patterns: readonly string[]): (path: string) => boolean {
  // Compiled once per filter: a rule asks the same filter about every file of a build context.
  const compiled: { negated: boolean; matches: (path: string) => boolean }[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern.startsWith('./') || pattern === '') {
      continue;
    }
    compiled.push({ negated, matches: picomatch(toPicomatch(pattern), { dot: true }) });
  }
  return (path) => {
    let matched = false;
    for (const { negated, matches } of compiled) {
      if (matches(path)) {
        matched = !negated;
      }
    }
    return matched;
  };
}

/**
 * The path filter of an event, or null when the event has none (then every change triggers it).
 * With both `paths` and `paths-ignore` (which GitHub rejects), `paths` is used.
 */
export function pathFilter(trigger: WorkflowTrigger): CompiledPathFilter | null {
  if (trigger.paths) {
    const includes = lastMatchIsPositive(trigger.paths.patterns.map((pattern) => pattern.value));
    return { key: 'paths', filter: trigger.paths, includes };
  }
  if (trigger.pathsIgnore) {
    const excludes = lastMatchIsPositive(trigger.pathsIgnore.patterns.map((pattern) => pattern.value));
    return { key: 'paths-ignore', filter: trigger.pathsIgnore, includes: (path) => !excludes(path) };
  }
  return null;
}
