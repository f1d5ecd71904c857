/**
 * Reading Dockerfile comments as documentation, for the docs/ rules (the documentation gate:
 * stage headers, intent comments above RUN, rationale for unusual dependency groups). Tool
 * pragmas are not documentation and are dropped first.
 */
import type { CommentLine, Dockerfile, DockerInstruction, Stage } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';

// Comments that talk to a tool, not to a reader: hadolint, baseimg, BuildKit per-instruction
// checks, Trivy, checkov, ShellCheck. They say nothing about intent.
const PRAGMA = /^\s*(hadolint\s|baseimg-ignore\b|check\s*=|trivy:ignore|checkov:skip|shellcheck\s+(disable|enable|source|shell)=|syntax\s*=|escape\s*=)/i;

/** True for a comment line that is a tool pragma (`# hadolint ignore=DL3008`). */
export function isPragma(comment: CommentLine): boolean {
  return PRAGMA.test(comment.text);
}

/** The comment lines directly above an instruction that a reader reads: pragmas and blank `#` lines dropped. */
export function proseComments(comments: readonly CommentLine[]): CommentLine[] {
  return comments.filter((comment) => !isPragma(comment) && /[A-Za-z0-9]/.test(comment.text));
}

/** The comments directly above `instruction`, as prose. */
export function intentComments(instruction: DockerInstruction): CommentLine[] {
  return proseComments(instruction.comments);
}

/**
 * The header block of a stage, as prose. A header is usually written directly above FROM; when
 * global ARGs sit between the block and the first FROM (`ARG PYTHON_VERSION=...`), the block
 * above those ARGs is the header.
 */
export function stageHeader(stage: Stage, dockerfile: Dockerfile): CommentLine[] {
  const header = proseComments(stage.header);
  if (header.length > 0 || stage.index > 0) {
    return header;
  }
  const collected: CommentLine[] = [];
  for (const arg of dockerfile.globalArgs) {
    collected.push(...proseComments(arg.comments));
  }
  return collected;
}

/** The range of a comment block, from the first `#` line to the end of the last. */
export function commentBlockRange(dockerfile: Dockerfile, comments: readonly CommentLine[]): Range {
  const first = comments[0]?.line ?? 1;
  const last = comments[comments.length - 1]?.line ?? first;
  const firstText = dockerfile.lines.lineText(first);
  const column = firstText.length - firstText.trimStart().length + 1;
  return { start: { line: first, column }, end: { line: last, column: dockerfile.lines.lineText(last).length + 1 } };
}

/** The comment text as one lower-case line. */
export function commentText(comments: readonly CommentLine[]): string {
  return comments.map((comment) => comment.text).join(' ').toLowerCase();
}

/**
 * The words of a comment, lower case: runs of letters, digits and `.+_-` (so `docker-ce`,
 * `node.js` and `6.1.1` stay whole), with a sentence's final dot dropped.
 */
export function commentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9][a-z0-9.+_-]*/g) ?? [];
  return words.map((word) => word.replace(/[.-]+$/, '')).filter((word) => word !== '');
}

/** The parts of a word split at `-`, `_`, `.`, `/` and `+` (`docker-ce` -> `docker`, `ce`). */
export function wordParts(word: string): string[] {
  return word.split(/[-_./+]+/).filter((part) => part !== '');
}

// Phrases and words that say why: the brief of the documentation gate (PLAN 6.2/6.4) asks for
// reasons, so a comment with one of these is not a restatement.
const REASON_WORDS = new Set([
  'because', 'for', 'needed', 'need', 'needs', 'required', 'requires', 'require', 'keeps', 'keep', 'avoid', 'avoids',
  'without', 'instead', 'why', 'since', 'otherwise', 'ensure', 'ensures', 'must', 'so', 'workload', 'workloads',
  'test', 'tests', 'lets', 'allows', 'enables', 'prevents', 'saves', 'reduces', 'faster', 'smaller', 'cheaper',
  'runtime', 'build-only', 'tradeoff', 'trade-off', 'tradeoffs', 'trade-offs', 'via', 'used',
]);

// `required`, `needed` and `necessary` are also the adjectives of "install required packages", the
// classic restating comment; directly before one of these generic nouns they say nothing.
const ADJECTIVE_REASONS = new Set(['needed', 'required', 'necessary', 'need', 'needs', 'require', 'requires']);

/** Generic nouns a restating comment uses for "the things the command handles". */
export const GENERIC_NOUNS: ReadonlySet<string> = new Set([
  'package', 'packages', 'pkg', 'pkgs', 'dependency', 'dependencies', 'deps', 'dep', 'file', 'files', 'stuff', 'things',
  'tool', 'tools', 'utility', 'utilities', 'utils', 'library', 'libraries', 'libs', 'lib', 'binary', 'binaries', 'bin',
  'script', 'scripts', 'source', 'sources', 'src', 'code', 'requirement', 'requirements', 'repo', 'repos',
  'repository', 'repositories', 'system', 'env', 'environment', 'variable', 'variables', 'vars', 'directory',
  'directories', 'dir', 'dirs', 'folder', 'folders', 'cache', 'caches', 'list', 'lists', 'image', 'layer', 'misc',
  'other', 'others', 'more', 'extra', 'necessary', 'basic', 'base', 'common', 'essential', 'essentials', 'some',
  'modules', 'module', 'python', 'apt', 'pip', 'os', 'key', 'keys', 'config', 'configuration', 'settings',
  'permission', 'permissions', 'user', 'users', 'app', 'application', 'here', 'there', 'everything', 'necessities',
]);

/** True when the comment gives a reason (`because`, `so that`, `needed by`, `for ...`). */
export function givesReason(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!REASON_WORDS.has(word) && !ADJECTIVE_REASONS.has(word)) {
      continue;
    }
    const next = words[i + 1];
    if (ADJECTIVE_REASONS.has(word) && next !== undefined && GENERIC_NOUNS.has(next)) {
      continue;
    }
    return true;
  }
  return false;
}
