// Why: a workflow GitHub cannot parse does not run at all, and every other workflow rule can only
// see the part the parser recovered. The problems come from the workflow model (src/parse/workflow.ts):
// YAML syntax errors, duplicate keys (GitHub rejects them; YAML parsers that keep the last one
// silently drop a job), the YAML 1.1 `on:` trap, alias bombs and merge keys, empty files, YAML
// under .github/workflows that is not a workflow (a dependabot.yml, a list), and shapes the model
// cannot use (actionlint's `syntax-check` kind covers the same ground). Values that parse but read
// differently than written (`3.10`) are workflow/yaml-1-1-trap's.
import { defineRule } from '../rule.js';

export const parseError = defineRule({
  id: 'workflow/parse-error',
  meta: {
    title: 'Workflow file that does not parse',
    severity: 'error',
    rationale:
      'A YAML error, a duplicate key or a section of the wrong shape makes GitHub reject the whole workflow, so the image is not built, and it hides the rest of the file from review. Duplicate keys are the treacherous case: many YAML tools keep the last value, so the file looks fine in an editor while GitHub refuses it. baseimg reports each problem with its line and still reviews what it could read.',
    remediation: 'Fix the YAML at the reported line (indentation, quoting, a key given twice); `actionlint` gives the same diagnosis locally.',
  },
  hooks: {
    workflow(file, ctx) {
      for (const problem of file.model.problems) {
        ctx.report({ at: problem.range, message: problem.message });
      }
    },
  },
});
