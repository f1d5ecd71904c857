/** Repository-relative paths: forward slashes, no leading `./`, '' for the root. */
import { posix } from 'node:path';

/** Normalises a user path to the repository-relative form ('' for the root). */
export function normalize(path: string): string {
  // Strip a leading `./`, never the dot of a hidden name (`.dockerignore`, `.github/...`).
  const cleaned = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
  return cleaned === '.' ? '' : cleaned;
}
