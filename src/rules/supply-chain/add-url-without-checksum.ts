// Why: `ADD <url>` fetches at build time and accepts whatever comes back; `ADD --checksum=sha256:<hex>`
// (Dockerfile frontend 1.6, https://docs.docker.com/reference/dockerfile/#add---checksum) makes the
// build fail when the content changes, and is the one integrity check the Dockerfile itself offers.
// Git sources pin by commit (`#<commit>`, https://docs.docker.com/reference/dockerfile/#adding-private-git-repositories).
// No linter checks this; Trivy DS-0005 and checkov CKV_DOCKER_4 only discourage ADD as a whole.
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

/** True for the source forms BuildKit fetches with Git. */
function isGitSource(source: string): boolean {
  if (/^(git@|git:\/\/|ssh:\/\/)/.test(source)) {
    return true;
  }
  return /^https?:\/\//.test(source) && /\.git(\/)?([#?].*)?$/.test(source);
}

/** True when a Git source names a full commit (`#<sha>`, `#<sha>:subdir`, `?ref=<sha>`, `?checksum=<sha>`). */
function pinsCommit(source: string): boolean {
  const fragment = source.includes('#') ? source.slice(source.indexOf('#') + 1).split(':')[0] ?? '' : '';
  if (/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(fragment)) {
    return true;
  }
  const query = source.includes('?') ? source.slice(source.indexOf('?') + 1).split('#')[0] ?? '' : '';
  return query.split('&').some((pair) => /^(ref|checksum|commit)=([0-9a-f]{40}|[0-9a-f]{64})$/i.test(pair));
}

export const addUrlWithoutChecksum = defineRule({
  id: 'supply-chain/add-url-without-checksum',
  meta: {
    title: 'ADD from a URL without --checksum, or from Git without a commit',
    severity: 'warning',
    rationale:
      '`ADD https://...` downloads during the build and trusts the server: a re-published release, a "latest" link or a compromised host changes what goes into the base image with no change to the Dockerfile, and every CUDA or PyTorch image built on it inherits the change. `--checksum=sha256:<hex>` makes BuildKit reject different content; a Git source pinned to a branch or tag can move the same way unless the ref is a full commit.',
    remediation:
      'Add `--checksum=sha256:<hex>` to `ADD <url>` (needs Dockerfile syntax 1.6 or later, e.g. `# syntax=docker/dockerfile:1`). For Git sources use a full commit as the ref: `ADD https://github.com/org/repo.git#<40-hex commit> /src`.',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'add') {
        return;
      }
      const checksum = instruction.flags.some((flag) => flag.name === 'checksum' && flag.value);
      for (const source of instruction.sources) {
        const value = source.value;
        if (isGitSource(value)) {
          if (!pinsCommit(value) && !checksum) {
            ctx.report({ at: source.range, message: `ADD of Git repository ${quote(value)} is not pinned to a commit; use a full commit hash as the ref ("#<40-hex commit>")` });
          }
          continue;
        }
        if (/^https?:\/\//i.test(value) && !checksum) {
          ctx.report({ at: source.range, message: `ADD of ${quote(value)} has no --checksum, so any content the server returns is accepted; add --checksum=sha256:<hex> (Dockerfile syntax 1.6 or later)` });
        }
      }
    },
  },
});
