import { defineRule } from '../rule.js';

/** Reported by discovery for files it cannot read or decode. */
export const unreadableFile = defineRule({
  id: 'review/unreadable-file',
  meta: {
    title: 'File could not be reviewed',
    severity: 'warning',
    rationale:
      'A file that review cannot read (binary content where text is expected, invalid UTF-8, a size far beyond any real Dockerfile, a broken or looping symbolic link, missing permissions) is not checked at all. Saying so keeps a silent gap out of a clean report.',
    remediation: 'Fix the file (encoding, permissions, link), or list it under ignore.paths in baseimg.config if it is not meant to be reviewed.',
    engine: true,
  },
  hooks: {},
});
