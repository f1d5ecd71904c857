// Why: GitHub only loads workflow files named `*.yml` or `*.yaml` directly under
// .github/workflows (GitHub docs, "About workflows > Workflow basics"). Renaming a workflow to
// `ci.yaml.paused` is a common way to switch it off, and it silently stops every build it did.
import { posix } from 'node:path';
import { lineRange } from '../../parse/locations.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const disabledByExtension = defineRule({
  id: 'workflow/disabled-by-extension',
  meta: {
    title: 'Workflow file that GitHub never runs because of its name',
    severity: 'warning',
    fixable: 'safe',
    rationale:
      'GitHub Actions only runs files ending in .yml or .yaml. A workflow renamed to `build.yaml.paused` or `build.yml.disabled` looks like CI in the repository but builds and pushes nothing: base images stop being rebuilt for security updates, and the workflow rots (old action majors, stale paths) while nobody sees it fail. Heavy CUDA/PyTorch images are exactly the ones teams pause because a build is slow or expensive, and then forget.',
    remediation:
      'Rename the file back to .yml/.yaml once it is ready to run (or use `on: workflow_dispatch` only, or an `if:` on the job, to keep it manual), or delete it if the build moved elsewhere. `baseimg fix` renames it back (and refuses when a file of that name exists); review the other workflow findings first, since the renamed workflow runs on the next matching push.',
  },
  hooks: {
    workflow(workflow, ctx) {
      if (!workflow.disabled) {
        return;
      }
      const name = posix.basename(workflow.path);
      const enabledName = name.replace(/(\.ya?ml)\.[^/]+$/, '$1');
      // `ci.yml.bak` next to a live `ci.yml` is an editor or merge leftover, not a paused workflow.
      const folder = posix.dirname(workflow.path);
      if (ctx.repo.files.has(posix.join(folder, enabledName))) {
        return;
      }
      ctx.report({
        at: lineRange(1),
        message: `workflow ${quote(name)} never runs: GitHub only runs files ending in .yml or .yaml; rename it to ${quote(enabledName)} when it should build again`,
        fix: {
          description: `rename ${quote(name)} to ${quote(enabledName)}`,
          safety: 'safe',
          edits: [],
          renames: [{ from: workflow.path, to: posix.join(folder, enabledName) }],
        },
      });
    },
  },
});
