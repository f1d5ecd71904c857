// Why: without --no-install-recommends apt also installs every "Recommends" package, which a base
// image rarely needs and which grows each layer (Docker docs, "Building best practices > apt-get").
import { aptPackages, hasFlag, isAptInstall } from '../../parse/shell-query.js';
import { defineRule } from '../rule.js';

export const aptWithoutNoInstallRecommends = defineRule({
  id: 'dockerfile/apt-without-no-install-recommends',
  meta: {
    title: 'apt-get install without --no-install-recommends',
    severity: 'warning',
    rationale:
      'apt installs "Recommends" dependencies by default. On Ubuntu and Debian that routinely adds hundreds of megabytes (documentation tools, X11 libraries, extra compilers) that nothing in the image uses, and makes the package set depend on what the archive recommends today rather than on what the Dockerfile asks for.',
    remediation: 'Add --no-install-recommends to the apt-get install command and name every package the image really needs.',
    fixable: 'safe',
    hadolint: ['DL3015'],
  },
  hooks: {
    runCommand(call, ctx) {
      if (!isAptInstall(call) || hasFlag(call.args, '--no-install-recommends') || aptPackages(call).length === 0) {
        return;
      }
      // apt-get also honours `-o APT::Install-Recommends=false` and an apt.conf file; accept the option form.
      if (call.args.some((word) => /APT::Install-Recommends=(false|0)/i.test(word.value ?? word.text))) {
        return;
      }
      const install = call.args.find((word) => word.value === 'install');
      const lines = ctx.dockerfile.lines;
      ctx.report({
        at: call.command.range,
        message: `apt-get install in stage "${ctx.stage.label}" lacks --no-install-recommends`,
        ...(install ? {
          fix: {
            description: 'add --no-install-recommends',
            safety: 'safe' as const,
            edits: [{ file: ctx.dockerfile.path, start: lines.offsetAt(install.range.end), end: lines.offsetAt(install.range.end), newText: ' --no-install-recommends' }],
          },
        } : {}),
      });
    },
  },
});
