/**
 * Unified diffs for `baseimg fix` without --write: `--- a/path` / `+++ b/path` headers and hunks
 * with three lines of context, the shape `git apply` and `patch -p1` read. The line diff itself is
 * jsdiff's (https://github.com/kpdecker/jsdiff), the library most JavaScript tools use for this.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** Lines of unchanged context around each change, as `diff -u` and `git diff` print by default. */
export const DIFF_CONTEXT = 3;

/** One file's before and after, as shown in a diff (paths relative to the repository root). */
export interface DiffInput {
  path: string;
  /** The path after a rename; the same as `path` otherwise. */
  newPath?: string;
  before: string;
  after: string;
  /** True for a new file: the diff is against /dev/null, as git shows an added file. */
  created?: boolean;
}

/** The unified diff of one file; empty when nothing changes. */
export function unifiedDiff(input: DiffInput): string {
  const newPath = input.newPath ?? input.path;
  if (input.created) {
    return createTwoFilesPatch('/dev/null', `b/${newPath}`, '', input.after, undefined, undefined, {
      context: DIFF_CONTEXT,
      headerOptions: FILE_HEADERS_ONLY,
    });
  }
  if (input.before === input.after && newPath === input.path) {
    return '';
  }
  if (input.before === input.after) {
    // A rename without a content change has no hunks; git's extended headers say what happens.
    return `diff --git a/${input.path} b/${newPath}\nrename from ${input.path}\nrename to ${newPath}\n`;
  }
  return createTwoFilesPatch(`a/${input.path}`, `b/${newPath}`, input.before, input.after, undefined, undefined, {
    context: DIFF_CONTEXT,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

/** The unified diffs of several files, in path order. */
export function unifiedDiffs(inputs: readonly DiffInput[]): string {
  return [...inputs]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(unifiedDiff)
    .join('');
}
