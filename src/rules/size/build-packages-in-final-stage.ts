// Why: compilers, build systems and -dev header packages are what a build needs, not what the
// image runs; installed in a stage that ships they stay in the final image (hundreds of MB for
// build-essential plus a CUDA or FFmpeg header set). Docker docs, "Building best practices > Use
// multi-stage builds" and "Don't install unnecessary packages". A purge in a later RUN does not
// help (the layer keeps the bytes), so only a purge in the same RUN counts.
import type { ShellWord } from '../../parse/shell.js';
import { aptPackages, aptSubcommand, argValues, hasFlag, isAptInstall, type Invocation } from '../../parse/shell-query.js';
import { aptPackageName, buildPackageKind } from '../lib/build-packages.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const LISTED = 6;

export const buildPackagesInFinalStage = defineRule({
  id: 'size/build-packages-in-final-stage',
  meta: {
    title: 'Build-only packages installed in a stage that ships',
    severity: 'warning',
    rationale:
      'A base image that compiles CPython, FFmpeg or CUDA extensions needs gcc, make, cmake and a pile of -dev header packages while it builds, but nothing at run time does. Installed in the final stage (or a stage it is built FROM) and left there, they add hundreds of megabytes to every pull, widen the CVE surface the scanners report, and let later layers compile against headers that differ from the runtime libraries. Purging them in a later RUN does not shrink the image, because the layer that installed them keeps the files.',
    remediation:
      'Install build-only packages in a builder stage and COPY only the built artifacts into the final stage, or purge them at the end of the RUN that installs them (`apt-get purge -y --auto-remove <packages>`).',
  },
  hooks: {
    runCommand(call, ctx) {
      if (!ctx.stage.shipsInFinal || !isAptInstall(call)) {
        return;
      }
      const later = ctx.calls.filter((other) => other.command.index > call.command.index);
      const removed = removedPackages(later);
      // Names in install order, split by why they count as build-only.
      const build: string[] = [];
      const vcs: string[] = [];
      for (const word of aptPackages(call)) {
        const name = packageName(word);
        if (name === null || removed === 'all' || removed.has(name) || build.includes(name) || vcs.includes(name)) {
          continue;
        }
        const kind = buildPackageKind(name);
        if (kind === 'vcs') {
          vcs.push(name);
        } else if (kind !== null) {
          build.push(name);
        }
      }
      const where = `stage "${ctx.stage.label}"${ctx.stage.isFinal ? ', the final stage' : ', which the final stage is built FROM'}`;
      if (build.length > 0) {
        ctx.report({
          at: call.command.range,
          message: `apt-get install adds build-only packages ${list(build)} to ${where}, and this RUN does not purge them; build in a separate stage and copy the results, or end this RUN with apt-get purge -y --auto-remove`,
        });
      }
      if (vcs.length > 0) {
        // git is build-only as a rule, but `pip install git+https://...` or a start-up clone needs
        // it at run time; the finding asks instead of asserting.
        ctx.report({
          at: call.command.range,
          severity: 'info',
          message: `apt-get install adds ${list(vcs)} to ${where}; if nothing clones or pip-installs from git at run time, install it in a build stage or purge it at the end of this RUN`,
        });
      }
    },
  },
});

function packageName(word: ShellWord): string | null {
  const value = word.value;
  // Local .deb files and dynamic words (`$PACKAGES`) name nothing we can classify.
  if (value === null || value.endsWith('.deb') || value.includes('*')) {
    return null;
  }
  return aptPackageName(value);
}

/**
 * Packages the calls remove: those named by `apt-get purge|remove`, and, when an autoremove
 * follows, those `apt-mark auto` marked (`'all'` for the official images' `apt-mark auto '.*'`
 * pattern, which lets autoremove take everything not marked manual again).
 */
function removedPackages(calls: readonly Invocation[]): Set<string> | 'all' {
  const removed = new Set<string>();
  const markedAuto: string[] = [];
  let autoremoves = false;
  for (const call of calls) {
    const subcommand = aptSubcommand(call);
    if (subcommand === 'purge' || subcommand === 'remove') {
      for (const word of aptPackages(call)) {
        const name = packageName(word);
        if (name !== null) {
          removed.add(name);
        }
      }
      if (hasFlag(call.args, '--auto-remove', '--autoremove')) {
        autoremoves = true;
      }
    }
    if (subcommand === 'autoremove') {
      autoremoves = true;
    }
    if (call.program === 'apt-mark') {
      const values = argValues(call.args);
      if (values[0] === 'auto' || values[0] === 'markauto') {
        markedAuto.push(...values.slice(1));
      }
    }
  }
  if (autoremoves) {
    if (markedAuto.some((value) => /[.*^$[]/.test(value) && !/^[a-z0-9+.-]+$/.test(value))) {
      return 'all';
    }
    for (const value of markedAuto) {
      removed.add(aptPackageName(value));
    }
  }
  return removed;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).map(quote).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}
