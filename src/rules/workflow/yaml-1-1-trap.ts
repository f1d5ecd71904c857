// Why: YAML readers disagree on plain scalars. GitHub reads `python-version: 3.10` as the number
// 3.1 and passes "3.1" on (actions/setup-python#160, #482: "Version 3.1 with arch x64 not
// found"); `010` reads as 10, `1e3` as 1000. `yes`, `no`, `on`, `off`, `y` and `n` are strings
// to GitHub's YAML 1.2 reader but booleans to YAML 1.1 tools that read the same file (PyYAML
// scripts, yamllint's truthy rule, older linters), so a matrix or input means different things
// to CI and to the scripts around it. Quoting says what is meant to every reader.
import type { WorkflowValueTrap } from '../../parse/workflow.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const yaml11Trap = defineRule({
  id: 'workflow/yaml-1-1-trap',
  meta: {
    title: 'Unquoted workflow value that YAML reads differently than written',
    severity: 'warning',
    fixable: 'safe',
    rationale:
      'A version written as `3.10` in a `python-version` matrix or a `with:` input reaches the action as "3.1": the image is built and tested against the wrong Python, or the job fails with a version that does not exist. Unquoted `yes`/`no`/`on`/`off` are strings to GitHub but booleans to the YAML 1.1 tools (PyYAML-based scripts, linters) that read the same workflow, so the two disagree about a setting.',
    remediation: 'Quote the value ("3.10", "yes"), or write true/false for a boolean. `baseimg fix` quotes booleans-to-be safely and versions with `--unsafe` (quoting `3.10` changes what GitHub passes from "3.1" to "3.10", which is what was meant but still a change).',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      for (const trap of workflow.valueTraps) {
        const start = workflow.lines.offsetAt(trap.range.start);
        const end = workflow.lines.offsetAt(trap.range.end);
        ctx.report({
          at: trap.range,
          ...(trap.kind === 'boolean' ? { severity: 'info' as const } : {}),
          message: message(trap),
          fix: {
            description: `quote ${quote(trap.source)}`,
            safety: trap.kind === 'number' ? 'unsafe' : 'safe',
            edits: [{ file: workflow.path, start, end, newText: `"${trap.source}"` }],
          },
        });
      }
    },
  },
});

function message(trap: WorkflowValueTrap): string {
  const owner = trap.key ? ` of "${trap.key}"` : '';
  if (trap.kind === 'number') {
    return `value ${trap.source}${owner} is a number that GitHub passes on as "${trap.read}"; quote it ("${trap.source}")`;
  }
  return `value ${trap.source}${owner} is a string to GitHub but boolean ${trap.read} to YAML 1.1 tools; quote it ("${trap.source}") or write ${trap.read}/${trap.read === 'true' ? 'false' : 'true'} if a boolean is meant`;
}
