// Why: ADD does two things COPY does not: it fetches URLs and git repositories, and it unpacks
// local tar archives (identity, gzip, bzip2, xz) into the destination. For plain local files it
// behaves like COPY, except that a file that happens to be a tar archive is unpacked instead of
// copied (Docker docs, "Dockerfile reference > ADD" and "Building best practices > ADD or COPY";
// hadolint DL3020). ADD of a remote source is left to the supply-chain rules.
import type { InstructionArg } from '../../parse/dockerfile.js';
import { quote, replaceFix } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

// Names ADD may unpack (Docker detects archives by content; these are the names they carry).
const ARCHIVE = /\.(tar|tgz|taz|tbz|tbz2|tb2|txz|tzst|tar\.(gz|bz2|xz|zst|z)|gz|bz2|xz|zst|z)$/i;
const REMOTE = /^(https?|ftp|git|ssh):\/\/|^git@|^[\w.-]+@[\w.-]+:/i;
// Flags only ADD accepts; an ADD using them is not a COPY in disguise.
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

export const addForLocalFiles = defineRule({
  id: 'dockerfile/add-for-local-files',
  meta: {
    title: 'ADD used to copy local files',
    severity: 'warning',
    rationale:
      'For local files ADD behaves like COPY with one surprise: any source that is a tar archive, compressed or not, is unpacked into the destination instead of copied. A model or dataset archive meant to be copied as-is then arrives as a directory, and readers cannot tell from the line which behaviour was wanted. COPY says exactly what happens; ADD should be kept for archives that are meant to be unpacked and for remote sources.',
    remediation: 'Use COPY for local files and directories; keep ADD only for local archives you want unpacked.',
    fixable: 'safe',
    hadolint: ['DL3020'],
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'add' || instruction.sources.length === 0 || !ctx.stage) {
        return;
      }
      const sources = instruction.sources;
      // A source still holding `$VAR` after expansion could be anything, a URL included.
      if (sources.some((source) => source.value.includes('$'))) {
        return;
      }
      const needsAdd = sources.filter((source) => REMOTE.test(stripQuotes(source.value)) || ARCHIVE.test(stripQuotes(source.value)));
      const local = sources.filter((source) => !needsAdd.includes(source));
      if (local.length === 0) {
        return;
      }
      if (needsAdd.length > 0) {
        ctx.report({
          at: instruction.keywordRange,
          message: `local ${names(local)} copied by the ADD that unpacks or fetches ${names(needsAdd)} in stage "${ctx.stage.label}"; copy local files with a separate COPY`,
        });
        return;
      }
      const plainCopy = !instruction.flags.some((flag) => ADD_ONLY_FLAGS.has(flag.name));
      const keyword = instruction.keywordText === instruction.keywordText.toLowerCase() ? 'copy' : 'COPY';
      ctx.report({
        at: instruction.keywordRange,
        message: `local ${names(local)} copied with ADD in stage "${ctx.stage.label}"; use COPY`,
        ...(plainCopy ? { fix: replaceFix(ctx.dockerfile, instruction.keywordRange, keyword, 'use COPY') } : {}),
      });
    },
  },
});

function names(sources: readonly InstructionArg[]): string {
  return sources.map((source) => quote(source.value)).join(', ');
}

function stripQuotes(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}
