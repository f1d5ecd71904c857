// Why: `-r`/`-c` lines tie requirements files together; pip resolves them relative to the including
// file and fails the whole install on a missing file or recursion. An include review cannot follow
// also hides every requirement behind it from the pin-policy and compatibility rules, so each one
// is reported rather than dropped (CONVENTIONS principle 6). The includes are followed by the
// dependency inventory (src/repo/dependencies.ts).
import { dependencyInventory } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

export const requirementsIncludeProblem = defineRule({
  id: 'deps/requirements-include-problem',
  meta: {
    title: 'Requirements include that pip or review cannot follow',
    severity: 'error',
    rationale:
      'pip reads `-r other.txt` and `-c constraints.txt` relative to the file that contains them and stops with an error when the file is missing; two files that include each other make it recurse until it fails. Such an include breaks the image build late, after the slow stages, and the requirements behind it are invisible to the pinning and compatibility checks until it resolves.',
    remediation: 'Point the include at an existing file relative to the including file, break the cycle (keep shared pins in one constraints file that includes nothing), or list a requirements file review cannot find under the family\'s "requirements" in the config.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const problem of dependencyInventory(repo).problems) {
        ctx.report({ file: problem.file, at: problem.range, message: problem.message });
      }
    },
  },
});
