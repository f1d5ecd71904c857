// Why: PLAN D3 "document environment variables accepted by scripts (IMAGE_REPO, IMAGE_TAG, ...)".
// The usage text is the script's contract: a variable the script reads with a default but the
// usage does not name is a setting nobody knows exists.
import { quote } from '../lib/helpers.js';
import { buildCalls, dockerCalls, within } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

// Variables that belong to the environment, not to one script's contract.
const AMBIENT = new Set([
  'HOME', 'PATH', 'USER', 'PWD', 'SHELL', 'TMPDIR', 'TERM', 'LANG', 'LC_ALL', 'HOSTNAME', 'CI',
  'DOCKER_CONFIG', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_BUILDKIT', 'BUILDX_BUILDER', 'BASH_SOURCE',
  'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'RUNNER_TEMP', 'RUNNER_OS',
]);
const USAGE_FUNCTION = /^(usage|print_usage|show_usage|show_help|print_help|help)$/;

/** Build scripts without a usage text, or whose usage text leaves out variables they read. */
export const missingUsage = defineRule({
  id: 'script/missing-usage',
  meta: {
    title: 'Build script without a usage text naming its environment variables',
    severity: 'warning',
    rationale:
      'A build script is an interface: its options and the environment variables it reads with a default (`IMAGE_REPO=${IMAGE_REPO:-org/image}`) decide which image is built and where it goes. Without `--help` the only way to learn them is to read the code; a usage text that leaves a variable out hides a setting (and makes CI and manual runs drift when one of them sets it).',
    remediation:
      'Add a `usage()` function (printed by `-h`/`--help` and on bad arguments) that lists the options and every environment variable the script reads, with its default.',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      const first = buildCalls(dockerCalls(shell))[0];
      if (!first) {
        return;
      }
      const usageFunctions = shell.functions.filter((fn) => USAGE_FUNCTION.test(fn.name));
      const helpItems = shell.caseItems.filter((item) => item.patterns.some((pattern) => pattern === '-h' || pattern === '--help' || pattern === 'help'));
      const read = new Map<string, { line: number; column: number }>();
      for (const expansion of shell.expansions) {
        // `${VAR:-x}`, `${VAR-x}`, `${VAR:=x}`: read from the environment, with a default. Lower-case
        // names are the script's own (locals), by shell convention.
        if (expansion.operator === null || !/^[:]?[-=]$/.test(expansion.operator) || !/^[A-Z][A-Z0-9_]*$/.test(expansion.name) || AMBIENT.has(expansion.name)) {
          continue;
        }
        if (usageFunctions.some((fn) => within(expansion.range, fn.body))) {
          continue;
        }
        if (!read.has(expansion.name)) {
          read.set(expansion.name, expansion.range.start);
        }
      }
      if (usageFunctions.length === 0 && helpItems.length === 0) {
        const names = [...read.keys()];
        ctx.report({
          at: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
          message: `build script has no usage text (no usage() function, no -h|--help branch)${names.length > 0 ? `; it should list the environment variables it reads: ${names.join(', ')}` : ''}`,
        });
        return;
      }
      // The usage text: the usage functions' bodies, or, for a bare -h branch that prints the header
      // comment (`sed -n '2,20p' "$0"`), the branch and the header.
      const lines = script.text.split('\n');
      const slice = (from: number, to: number): string => lines.slice(from - 1, to).join('\n');
      let text = usageFunctions.map((fn) => slice(fn.body.start.line, fn.body.end.line)).join('\n');
      if (usageFunctions.length === 0) {
        const header = lines.findIndex((line) => !line.startsWith('#'));
        text = [slice(1, header < 0 ? lines.length : header), ...helpItems.map((item) => slice(item.range.start.line, item.range.end.line))].join('\n');
      }
      const missing = [...read.keys()].filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
      if (missing.length === 0) {
        return;
      }
      const at = usageFunctions[0]?.range ?? helpItems[0]?.range ?? first.range;
      ctx.report({
        at,
        message: `usage text does not mention ${missing.map(quote).join(', ')}, which the script reads from the environment with a default; list ${missing.length > 1 ? 'them' : 'it'} with ${missing.length > 1 ? 'their defaults' : 'its default'}`,
      });
    },
  },
});
