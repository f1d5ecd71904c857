// Why: apt(8) is the interactive front end; its manual says it is meant for end users and need not
// stay backward compatible the way apt-get(8) does, and it prints "WARNING: apt does not have a
// stable CLI interface. Use with caution in scripts." when its output is not a terminal.
// hadolint DL3027.
import { aptSubcommand } from '../../parse/shell-query.js';
import { quote, replaceFix } from '../lib/helpers.js';
import { programWordRange } from '../lib/shell-words.js';
import { defineRule } from '../rule.js';

// Subcommands apt-get accepts with the same meaning (apt-get(8)), so the word swap is exact.
const SAME_IN_APT_GET = new Set([
  'update', 'upgrade', 'dist-upgrade', 'install', 'remove', 'purge', 'source', 'build-dep', 'satisfy', 'check',
  'download', 'clean', 'autoclean', 'autoremove', 'changelog', 'distclean',
]);

// apt-only queries and their scriptable equivalents.
const QUERY_EQUIVALENT: Record<string, string> = {
  search: 'apt-cache search',
  show: 'apt-cache show',
  showsrc: 'apt-cache showsrc',
  policy: 'apt-cache policy',
  depends: 'apt-cache depends',
  rdepends: 'apt-cache rdepends',
  list: 'dpkg-query -W (installed) or apt-cache policy',
  'full-upgrade': 'apt-get dist-upgrade',
};

export const aptInsteadOfAptGet = defineRule({
  id: 'dockerfile/apt-instead-of-apt-get',
  meta: {
    title: 'apt used instead of apt-get in a RUN',
    severity: 'warning',
    rationale:
      'apt is the interactive front end: its output, progress bars and even its options may change between releases, and it warns that it "does not have a stable CLI interface" whenever it is scripted. A base image is rebuilt unattended on new Ubuntu and Debian releases for years, so its build steps should use apt-get and apt-cache, whose behaviour Debian keeps backward compatible.',
    remediation: 'Use apt-get (install, update, remove, ...) or apt-cache (search, show, policy) instead of apt.',
    fixable: 'safe',
    hadolint: ['DL3027'],
  },
  hooks: {
    runCommand(call, ctx) {
      if (call.program !== 'apt') {
        return;
      }
      const subcommand = aptSubcommand(call);
      const equivalent = subcommand !== null ? QUERY_EQUIVALENT[subcommand] : undefined;
      const range = subcommand !== null && SAME_IN_APT_GET.has(subcommand) ? programWordRange(call, ctx.run, ctx.dockerfile) : null;
      const word = range ? ctx.dockerfile.text.slice(ctx.dockerfile.lines.offsetAt(range.start), ctx.dockerfile.lines.offsetAt(range.end)) : '';
      ctx.report({
        at: call.command.range,
        message: equivalent
          ? `apt ${subcommand} in stage "${ctx.stage.label}" uses apt's unstable CLI; use ${equivalent}`
          : `apt${subcommand ? ` ${subcommand}` : ''} in stage "${ctx.stage.label}" uses apt's unstable CLI; use ${quote(`apt-get${subcommand ? ` ${subcommand}` : ''}`)}`,
        ...(range ? { fix: replaceFix(ctx.dockerfile, range, word.replace(/apt$/, 'apt-get'), 'use apt-get') } : {}),
      });
    },
  },
});
