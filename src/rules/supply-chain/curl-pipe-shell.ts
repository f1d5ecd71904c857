// Why: `curl URL | bash` runs whatever the server (or anyone between it and the build) sends at
// build time, with no record of what ran and no way to pin it. OpenSSF Scorecard's Pinned-Dependencies
// check flags the same forms as `downloadThenRun` (checks/raw/shell_download_validate.go); hadolint only
// asks for pipefail (DL4006). Scorecard drops only a bare `sudo`, so `| sudo -E bash -` (the classic
// NodeSource line) slips past it; here wrappers are peeled first.
import type { ShellWord } from '../../parse/shell.js';
import type { Invocation } from '../../parse/shell-query.js';
import { contains, describeCall, type Download, downloads, inlineProgram, pipeConsumers, scriptOperand, type ShellBody, shellBodyHooks, spanOf } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

/** What to do instead, for installers that have a better-known alternative. */
function advice(url: string | null): string {
  const host = url ? url.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '' : '';
  if (/^(deb|rpm)\.nodesource\.com$/.test(host)) {
    return 'add NodeSource\'s apt repository with its key fingerprint checked and a signed-by= source line instead';
  }
  if (host === 'astral.sh' && url?.includes('/uv/')) {
    return 'copy uv from its image instead (COPY --from=ghcr.io/astral-sh/uv:<version> /uv /uvx /bin/)';
  }
  if (host === 'get.docker.com' || host === 'test.docker.com') {
    return 'add Docker\'s apt repository with its key fingerprint checked instead';
  }
  return 'download it to a file, check its sha256 with sha256sum -c, then run it';
}

function source(download: Download): string {
  return download.url ? `script from ${quote(download.url)}` : `output of ${quote(describeCall(download.call))}`;
}

/** The interpreter call whose program text or script operand is the substitution holding `download`. */
function substitutionRunner(body: ShellBody, download: Download): { call: Invocation; holder: ShellWord } | null {
  for (const call of body.calls) {
    if (call.command.index >= download.call.command.index || !contains(call.command.range, download.call.command.range)) {
      continue;
    }
    const holder = call.args.find((word) => contains(word.range, download.call.command.range));
    if (!holder) {
      continue;
    }
    const text = holder.text.replace(/^["']/, '');
    // `bash <(curl ...)`, `source <(curl ...)`: the process substitution is the script file.
    if (text.startsWith('<(') && scriptOperand(call)?.word === holder) {
      return { call, holder };
    }
    // `sh -c "$(curl ...)"`, `eval "$(curl ...)"`: the substitution is the program text.
    const isProgramText = inlineProgram(call) === holder || call.program === 'eval';
    if (isProgramText && (text.startsWith('$(') || text.startsWith('`'))) {
      return { call, holder };
    }
  }
  return null;
}

/** `bash <(...)`, `sh -c "$(...)"`: the runner as written, with the substitution elided. */
function withPlaceholder(call: Invocation, holder: ShellWord): string {
  const placeholder = holder.text.startsWith('<(') ? '<(...)' : holder.text.startsWith('"') ? '"$(...)"' : '$(...)';
  const words = [call.command.name ?? '', ...call.command.args.map((word) => (word === holder ? placeholder : word.text))];
  return words.join(' ').replace(/\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

function check(body: ShellBody, ctx: RuleContext): void {
  for (const download of downloads(body)) {
    if (download.output !== '-') {
      continue;
    }
    if (download.call.command.inSubstitution) {
      const runner = substitutionRunner(body, download);
      if (runner) {
        ctx.report({
          at: runner.call.command.range,
          message: `${source(download)} runs through ${quote(withPlaceholder(runner.call, runner.holder))} without being saved or checked; ${advice(download.url)}`,
        });
        continue;
      }
    }
    const runner = pipeConsumers(body, download.call).find((consumer) => scriptOperand(consumer)?.stdin === true);
    if (runner) {
      const through = runner.wrappers.length > 0 ? describeCall(runner) : runner.program ?? describeCall(runner);
      ctx.report({
        at: spanOf(download.call, runner),
        message: `${source(download)} is piped into ${quote(through)}, which runs whatever the server sends; ${advice(download.url)}`,
      });
    }
  }
}

export const curlPipeShell = defineRule({
  id: 'supply-chain/curl-pipe-shell',
  meta: {
    title: 'Downloaded script piped into a shell or interpreter',
    severity: 'error',
    rationale:
      'A `curl ... | bash` installer runs code fetched at build time that nobody reviewed, that is not pinned to a version or digest, and that leaves no copy behind to audit. For a CUDA or PyTorch base image that every service inherits, one compromised or silently changed installer (a NodeSource setup script, a convenience script from a vendor) ends up in every image built after it, and a rebuild of the same Dockerfile can run different code each time.',
    remediation:
      'Install from a signed package repository whose key fingerprint the Dockerfile checks (NodeSource, Docker and NVIDIA all publish one), copy the tool from a pinned image, or download the installer to a file, check its sha256 with `sha256sum -c`, and only then run it.',
  },
  hooks: shellBodyHooks(check),
});
