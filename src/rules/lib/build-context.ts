/**
 * Build-context paths for the COPY/ADD source checks: where a source lies in the repository, which
 * files a glob source matches, and whether review can judge the context at all.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { DockerfileEntry, Repo } from '../../repo/repo.js';

/**
 * True when the entry's context is a folder of this repository review walked. A remote context
 * (`https://...`, `git@...`) or one the repository lacks (created by the build) cannot be judged.
 */
export function localContext(repo: Repo, entry: DockerfileEntry): boolean {
  return !/:\/\/|^git@/.test(entry.context) && repo.directories.has(entry.context);
}

/**
 * The repository path of a context source, or null when review cannot place it: it holds a
 * variable left unexpanded, or it climbs out of the context (`../x`, which BuildKit clamps).
 * `COPY /etc/x` and `COPY ./etc/x` both mean `<context>/etc/x`.
 */
export function contextSourcePath(context: string, source: string): string | null {
  if (source.includes('$') || source.includes('\\')) {
    return null;
  }
  const relative = posix.normalize(source.replace(/^\/+/, '') || '.');
  if (relative === '..' || relative.startsWith('../')) {
    return null;
  }
  const joined = posix.normalize(posix.join(context || '.', relative)).replace(/\/+$/, '');
  return joined === '.' ? '' : joined;
}

/** True when a COPY source is a wildcard pattern (Go `filepath.Match` syntax: `*`, `?`, `[...]`). */
export function isGlob(source: string): boolean {
  return /[*?[]/.test(source);
}

/**
 * Repository files and folders a glob source matches. Without `--parents`, BuildKit matches with
 * Go's `filepath.Match`, where `*` stops at `/` and `**` is just two stars; with `--parents`, `**`
 * spans folders (https://docs.docker.com/reference/dockerfile/#copy---parents).
 */
export function globMatches(repo: Repo, pattern: string, options: { parents?: boolean } = {}): string[] {
  const glob = options.parents ? pattern : pattern.replace(/\*\*+/g, '*');
  const matcher = picomatch(glob, { dot: true });
  const matches: string[] = [];
  for (const path of [...repo.files, ...repo.directories]) {
    if (path !== '' && matcher(path)) {
      matches.push(path);
    }
  }
  return matches.sort();
}

/** The folder part of a glob before its first wildcard (`src/app` for `src/app/*.py`). */
export function globBase(pattern: string): string {
  const cut = pattern.search(/[*?[]/);
  const prefix = cut < 0 ? pattern : pattern.slice(0, cut);
  const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  return folder;
}

/** Files of the repository at or below `path`. */
export function filesUnder(repo: Repo, path: string): string[] {
  if (repo.files.has(path)) {
    return [path];
  }
  const prefix = path === '' ? '' : `${path}/`;
  return [...repo.files].filter((file) => file.startsWith(prefix));
}

/** The path relative to the context (what `.dockerignore` patterns are matched against). */
export function relativeToContext(context: string, path: string): string {
  if (context === '') {
    return path;
  }
  return path === context ? '' : path.slice(context.length + 1);
}
