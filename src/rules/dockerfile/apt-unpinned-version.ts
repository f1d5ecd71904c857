// Why: `apt-get install curl` takes whatever version the mirror has on the day of the build, so two
// builds of one Dockerfile differ (hadolint DL3008). Pinning is a policy choice, not a plain
// improvement: Debian and Ubuntu mirrors drop superseded versions, so pins break builds until
// someone bumps them (hadolint #884, #999 and PR #1253 proposing to disable DL3008 by default).
// The rule therefore starts disabled and takes an `ignore` list for packages left to float.
import picomatch from 'picomatch';
import type { ShellWord } from '../../parse/shell.js';
import { aptPackages, isAptInstall } from '../../parse/shell-query.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const aptUnpinnedVersion = defineRule({
  id: 'dockerfile/apt-unpinned-version',
  meta: {
    title: 'apt-get install without pinned versions',
    severity: 'warning',
    rationale:
      'Without name=version, apt-get installs whatever the mirror offers on the day of the build, so rebuilding the same Dockerfile a month later yields a different image: a new libcudnn or driver library can change numerical results or break a framework build with no change in the repository. Pinning makes the package set part of the reviewed source, at the price of bumping pins when the mirror drops old versions; that trade-off is why this rule is off by default.',
    remediation:
      'Install packages as name=version (e.g. `libcudnn9-cuda-12=9.1.0.70-1`), find versions with `apt-cache policy <name>`, and list packages you deliberately leave floating in the rule option `ignore` (names or globs such as "ca-certificates" or "lib*-dev").',
    hadolint: ['DL3008'],
    enabledByDefault: false,
  },
  hooks: {
    runCommand(call, ctx) {
      if (!isAptInstall(call)) {
        return;
      }
      const ignore = ignorePatterns(ctx.options);
      const isIgnored = ignore.length > 0 ? picomatch(ignore) : () => false;
      const unpinned = aptPackages(call).filter((word) => isUnpinned(word) && !isIgnored(packageName(word)));
      if (unpinned.length === 0) {
        return;
      }
      const names = unpinned.map((word) => quote(word.value ?? word.text)).join(', ');
      ctx.report({
        at: call.command.range,
        message: `apt-get install in stage "${ctx.stage.label}" does not pin ${names}; write name=version or add the name to the rule's ignore option`,
      });
    },
  },
});

/** The `ignore` option: package names or globs; anything else in it is dropped. */
function ignorePatterns(options: Readonly<Record<string, unknown>>): string[] {
  const value = options['ignore'];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function isUnpinned(word: ShellWord): boolean {
  const text = word.value ?? word.text;
  // name=version pins; name/release (`pkg/bookworm-backports`) and .deb files are pinned by their
  // source, as in hadolint.
  if (text.includes('=') || text.includes('/') || text.endsWith('.deb')) {
    return false;
  }
  // A word made only of a variable (`$PACKAGES`) hides a list the rule cannot see.
  if (word.value === null && /^["']?\$\{?[A-Za-z_][A-Za-z0-9_]*\}?["']?$/.test(word.text)) {
    return false;
  }
  return true;
}

/** The package name without `:arch`, for the ignore list. */
function packageName(word: ShellWord): string {
  const text = word.value ?? word.text;
  return text.split(':')[0] ?? text;
}
