// Why: saving an installer before running it is only safer than `curl | bash` when the saved bytes
// are checked. This is the second half of OpenSSF Scorecard's `downloadThenRun` (a file written by
// curl/wget and then run in the same RUN or script), with a checksum or signature check between the
// two accepted as the fix, as Docker Official Images require ("Image Build" in
// docker-library/official-images README).
import type { Invocation } from '../../parse/shell-query.js';
import { baseName, describeCall, downloadedFiles, downloads, executesFile, type ShellBody, shellBodyHooks, verifiedBetween } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

function check(body: ShellBody, ctx: RuleContext): void {
  const found = downloads(body);
  const files = downloadedFiles(found);
  for (const download of found) {
    const file = download.output;
    if (file === null || file === '-') {
      continue;
    }
    const runner: Invocation | undefined = body.calls.find((call) =>
      call.command.index > download.call.command.index && executesFile(call, file, body.scope));
    if (!runner || verifiedBetween(body, file, download.call, runner, files)) {
      continue;
    }
    ctx.report({
      at: download.call.command.range,
      message: `${quote(baseName(file))} is downloaded and then run by ${quote(describeCall(runner))} with no checksum or signature check in between; check its sha256 with sha256sum -c before running it`,
      related: [{ file: ctx.file, range: runner.command.range, message: 'run here' }],
    });
  }
}

export const downloadThenExecute = defineRule({
  id: 'supply-chain/download-then-execute',
  meta: {
    title: 'Downloaded file run without a checksum or signature check',
    severity: 'warning',
    rationale:
      'Downloading an installer to a file and running it (`curl -o install.sh ... && bash install.sh`, the CUDA `.run` installer, a release binary made executable and started) trusts whatever the server returned on the day of the build. Without a pinned sha256 or a signature check between the download and the run, a changed or tampered file runs as root inside the base image every CUDA and PyTorch service builds on, and two builds of the same Dockerfile can install different code.',
    remediation:
      'Pin the file\'s sha256 next to the URL (an ARG beside the version) and check it before running: `echo "${SHA256}  install.sh" | sha256sum -c -`; where the vendor signs releases, verify the signature (`gpg --verify`, `cosign verify-blob`) as well.',
  },
  hooks: shellBodyHooks(check),
});
