import { lineRange } from '../../parse/locations.js';
import type { ShellScript } from '../../parse/shell.js';
import { defineRule, type RuleContext } from '../rule.js';

function reportErrors(shell: ShellScript, ctx: RuleContext, where: string): void {
  // One finding per body: after the first error the parser's recovery makes later ones unreliable.
  const first = shell.errors[0];
  if (first) {
    ctx.report({ at: first.range.start.line >= 1 ? first.range : lineRange(1), message: `${where} does not parse as shell: ${first.message}` });
  }
}

/** Shell syntax errors in RUN bodies and scripts, found by the parser even without ShellCheck. */
export const parseError = defineRule({
  id: 'shell/parse-error',
  meta: {
    title: 'Shell syntax error',
    severity: 'error',
    rationale:
      'A RUN body or build script that does not parse fails the build (or, worse, runs only up to the error). baseimg parses every shell body itself, so syntax errors are reported even where ShellCheck is not installed; when ShellCheck runs, an error is kept only if ShellCheck confirms it.',
    remediation: 'Fix the syntax at the reported position (unbalanced quotes, a missing `fi`/`done`, a line continuation followed by a blank line).',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind === 'run' && instruction.shell && !instruction.jsonForm) {
        reportErrors(instruction.shell, ctx, 'RUN body');
      }
    },
    script(script, ctx) {
      reportErrors(script.shell, ctx, 'script');
    },
  },
});
