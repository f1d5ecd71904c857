// Why: PLAN.md 6.4 ("Comments must explain intent and tradeoffs, not restate commands") makes
// comment quality part of merge acceptance. "# install packages" above `apt-get install` or
// "# copy files" above COPY add nothing the instruction does not already say.
//
// A comment restates its instruction when, after dropping stopwords, every word is one the
// instruction already says (a program, a subcommand, a package, a word of a path or URL, the
// instruction keyword) or a generic verb or noun (install, download, packages, files). A comment
// with a reason word (because, so that, for, needed by, without, instead, ...) or any word the
// instruction does not contain passes. The words of the instruction come from the parsed model
// (shell words of RUN, sources and destination of COPY/ADD), not from its raw text.
import type { DockerInstruction } from '../../parse/dockerfile.js';
import { argValues, invocations } from '../../parse/shell-query.js';
import { commentBlockRange, commentText, commentWords, GENERIC_NOUNS, givesReason, intentComments, wordParts } from '../lib/doc-comments.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const STOPWORDS = new Set([
  'the', 'a', 'an', 'and', 'of', 'to', 'all', 'some', 'our', 'this', 'these', 'that', 'then', 'with', 'in', 'into',
  'on', 'from', 'it', 'its', 'we', 'i', 'is', 'are', 'be', 'up', 'as', 'at', 'by', 'or', 'via', 'also', 'just', 'now',
  'first', 'next', 'finally', 'step', 'new', 'latest', 'needed', 'required',
]);

// Verbs a restating comment uses for what the instruction does.
const GENERIC_VERBS = new Set([
  'install', 'update', 'upgrade', 'run', 'copy', 'download', 'fetch', 'get', 'add', 'set', 'setup', 'create', 'make',
  'build', 'clean', 'cleanup', 'remove', 'delete', 'extract', 'unpack', 'untar', 'unzip', 'configure', 'compile',
  'move', 'link', 'enable', 'prepare', 'apply', 'write', 'change', 'execute', 'call', 'invoke', 'do', 'put', 'place',
  'import', 'register', 'purge', 'uninstall', 'chmod', 'chown', 'mkdir', 'clone', 'check', 'verify', 'init',
  'initialize', 'initialise', 'use', 'using', 'define', 'declare', 'expose', 'start', 'launch',
]);

export const commentRestatesCommand = defineRule({
  id: 'docs/comment-restates-command',
  meta: {
    title: 'Comment that only restates the instruction below it',
    severity: 'warning',
    rationale:
      'A comment such as "install packages" above an apt-get install costs a line and tells the reader nothing the command does not; worse, it looks like documentation, so the real questions (why this package group exists, whether it is needed at run time, what would break without it) stay unanswered in exactly the places that decide an image\'s size and attack surface. Comments in a base image should carry the reasoning the commands cannot.',
    remediation:
      'Replace the comment with the reason: what needs this (a workload, a test, a later stage), whether it is runtime or build-only, why this method or version, and what the trade-off is.',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'run' && instruction.kind !== 'copy' && instruction.kind !== 'add') {
        return;
      }
      const comments = intentComments(instruction);
      if (comments.length === 0) {
        return;
      }
      const words = commentWords(commentText(comments)).filter((word) => !STOPWORDS.has(word));
      if (words.length === 0 || givesReason(commentWords(commentText(comments)))) {
        return;
      }
      const vocabulary = instructionVocabulary(instruction);
      if (!words.every((word) => restates(word, vocabulary))) {
        return;
      }
      const text = comments.map((comment) => comment.text.trim()).join(' ');
      ctx.report({
        at: commentBlockRange(ctx.dockerfile, comments),
        message: `comment ${quote(text)} only restates the ${instruction.keyword} below it; say why it is needed (what uses it, runtime or build-only, what breaks without it)`,
      });
    },
  },
});

/** True when the word names something the instruction already says, or is generic. */
function restates(word: string, vocabulary: ReadonlySet<string>): boolean {
  // `docker-ce` is known as a whole when the command installs it; `eth-account` in a comment over a
  // command that never mentions it is not known just because `account` might be generic.
  const parts = wordParts(word);
  return known(word, vocabulary) || (parts.length > 1 && parts.every((part) => vocabulary.has(part)));
}

function known(word: string, vocabulary: ReadonlySet<string>): boolean {
  for (const form of inflections(word)) {
    if (vocabulary.has(form) || GENERIC_VERBS.has(form) || GENERIC_NOUNS.has(form) || STOPWORDS.has(form) || /^\d+$/.test(form)) {
      return true;
    }
  }
  return false;
}

/** The word with common English endings removed: installs, installing, installed -> install. */
function inflections(word: string): string[] {
  const forms = [word];
  for (const [suffix, replacement] of [['ing', ''], ['ing', 'e'], ['ed', ''], ['ed', 'e'], ['es', ''], ['s', ''], ['ies', 'y']] as const) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) {
      forms.push(word.slice(0, -suffix.length) + replacement);
    }
  }
  return forms;
}

/** Every word the instruction says: its keyword, programs, arguments, paths and URLs, split into parts. */
function instructionVocabulary(instruction: DockerInstruction): Set<string> {
  const vocabulary = new Set<string>([instruction.keyword.toLowerCase()]);
  const addText = (text: string): void => {
    for (const word of commentWords(text)) {
      vocabulary.add(word);
      for (const part of wordParts(word)) {
        vocabulary.add(part);
      }
    }
  };
  if (instruction.kind === 'run') {
    for (const call of invocations(instruction.shell)) {
      addText(call.command.name ?? '');
      addText(call.program ?? '');
      for (const wrapper of call.wrappers) {
        addText(wrapper);
      }
      for (const value of argValues(call.command.args)) {
        addText(value);
      }
      for (const assignment of call.command.assignments) {
        addText(`${assignment.name} ${assignment.value ?? ''}`);
      }
    }
  } else if (instruction.kind === 'copy' || instruction.kind === 'add') {
    for (const word of [...instruction.sources, ...(instruction.destination ? [instruction.destination] : [])]) {
      addText(word.value);
    }
    if (instruction.from) {
      addText(instruction.from);
    }
  }
  return vocabulary;
}
