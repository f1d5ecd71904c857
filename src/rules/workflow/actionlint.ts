// Why: actionlint is the field's reference checker for workflow files (syntax, expression types,
// `needs`, cron, events, runner labels, popular action inputs); baseimg embeds its WebAssembly
// build (src/tools/actionlint.ts) so that a review needs nothing but Node. The findings come from
// the review engine, not from hooks; this file holds what renderers and the docs say about them.
import { defineRule } from '../rule.js';

/** actionlint's errors for workflow files, with the ones newer knowledge contradicts dropped. */
export const actionlint = defineRule({
  id: 'workflow/actionlint',
  meta: {
    title: 'actionlint finding',
    severity: 'warning',
    rationale:
      'A workflow GitHub rejects does not build the image at all, and an expression that names a missing step output, a job `needs` that does not exist or a cron that never fires fails quietly or only when the workflow runs. actionlint (embedded: 1.7.7) finds these before a push. Each finding carries actionlint\'s kind as its code: `syntax-check`, `expression`, `job-needs`, `events`, `permissions`, `workflow-call`, `id`, `env-var`, `matrix` and `shell-name` are errors (GitHub rejects the workflow or the run fails); `action`, `runner-label`, `glob`, `credentials`, `deprecated-commands` and `if-cond` are warnings; `crash` (info) says the embedded build failed on the file. The embedded build is older than GitHub, so baseimg drops what its knowledge contradicts: runner labels and permission scopes added since (`ubuntu-slim`, `macos-26`, `artifact-metadata`), keys such as `concurrency.queue`, inputs an action major gained later (`allow-unsafe-pr-checkout` of actions/checkout), and "action too old" for actions workflow/outdated-action-major tracks. It also drops what other rules already report: `shellcheck` and `pyflakes` (shell/shellcheck checks `run:` bodies), and YAML errors of a file workflow/parse-error reports. Runner labels listed under `self-hosted-runner.labels` in .github/actionlint.yaml are accepted.',
    remediation:
      'Fix the workflow at the reported line; actionlint\'s documentation (https://github.com/rhysd/actionlint/blob/main/docs/checks.md) explains each kind. Suppress one place with `# baseimg-ignore workflow/actionlint:<kind> -- reason`, or turn the rule off in baseimg.config (`rules: { "workflow/actionlint": "off" }`), or skip it for one run with `--no-actionlint`.',
    needs: 'actionlint',
    engine: true,
  },
  hooks: {},
});
