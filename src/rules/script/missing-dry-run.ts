// Why: PLAN D2 "add dry-run mode for safe validation". A build-and-push script cannot be tried
// without pushing; a dry run that prints the exact commands lets a reviewer (and CI) compare them
// with the workflow's without touching the registry.
import { argValues } from '../../parse/shell-query.js';
import { buildCalls, dockerCalls } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

// Variable names scripts use for the mode (DRY_RUN, DRYRUN, dry_run, NOOP).
const DRY_RUN_VARIABLE = /^(dry_?run|noop|no_act)$/i;

/** Build scripts without a mode that prints the commands instead of running them. */
export const missingDryRun = defineRule({
  id: 'script/missing-dry-run',
  meta: {
    title: 'Build script without a dry-run mode',
    severity: 'warning',
    rationale:
      'A script that builds and pushes images can only be tried for real: every run pushes tags and spends a build. A `--dry-run` option (or `DRY_RUN=1`) that prints each docker command, exactly as it would run, lets a reviewer check tags, build arguments and the push order before anything reaches the registry, and lets CI compare the script with the workflow it must match.',
    remediation:
      'Add a `--dry-run` option and a `DRY_RUN` variable, and run every docker command through a small function that prints it and runs it only when `DRY_RUN` is not 1, e.g. `run() { printf \'+ %q\' "$@"; echo; [[ $DRY_RUN == 1 ]] || "$@"; }`.',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      const first = buildCalls(dockerCalls(shell))[0];
      if (!first) {
        return;
      }
      const hasVariable = shell.assignments.some((assignment) => DRY_RUN_VARIABLE.test(assignment.name))
        || shell.expansions.some((expansion) => DRY_RUN_VARIABLE.test(expansion.name));
      const hasOption = shell.caseItems.some((item) => item.patterns.some((pattern) => /^--?(dry-?run|noop)$/i.test(pattern) || pattern === '-n'))
        || shell.commands.some((command) => command.program === 'getopts' && /n/.test(argValues(command.args)[0] ?? ''));
      if (hasVariable || hasOption) {
        return;
      }
      ctx.report({
        at: first.range,
        message: `script runs "docker ${argValues(first.subcommand).join(' ')}" with no dry-run mode; expected a --dry-run option or DRY_RUN variable that prints the docker commands instead of running them`,
      });
    },
  },
});
