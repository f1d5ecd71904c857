// Why: an archive, package or binary fetched with curl/wget and used without a checksum or signature
// check is trusted on the server's word. Nobody else checks this: hadolint has had the request open
// since 2018 (hadolint/hadolint#282) and Scorecard lists zip/tar downloads as a TODO in
// checks/raw/shell_download_validate.go. Docker Official Images call an unverified download
// "unacceptable" and ask for a checksum embedded in the Dockerfile (official-images README, "Image
// Build"). Files that are run directly are left to supply-chain/download-then-execute and apt keys to
// supply-chain/apt-key-without-fingerprint, so each download gets one finding.
import type { ShellWord } from '../../parse/shell.js';
import { aptPackages, argsWithoutFlags, flagValue, hasFlag, isAptInstall, pipInstall, pipRequirements, type Invocation } from '../../parse/shell-query.js';
import { baseName, describeCall, type Download, downloadedFiles, downloads, executesFile, isAptKeyringPath, isBinPath, pipeConsumers, remoteName, resolveWord, sameFile, type ShellBody, shellBodyHooks, verifiedBetween } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

// Names that say "archive" or "package" (`.tar.gz` ends in `.gz`).
const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tzst|tlz|zip|7z|gz|xz|bz2|zst|lz4|lzma|jar|war|nupkg|egg|crate|gem)$/i;
const PACKAGE = /\.(deb|rpm|apk|whl|run|appimage|msi|pkg|snap|flatpak|ipk)$/i;
// Checksums, signatures and keys: downloaded to verify something else, or apt keys (their own rule).
const NOT_AN_ARTIFACT = /\.(sha\d*|sha\d+sum|md5|asc|sig|sign|minisig|pem|crt|cer|gpg|key|pub|intoto\.jsonl|sigstore(\.json)?|bundle)$|SUMS$|checksums?(\.txt)?$/i;

const EXTRACTORS = new Set(['tar', 'bsdtar', 'gtar', 'unzip', 'funzip', '7z', '7za', '7zr', 'gunzip', 'gzip', 'zcat', 'xz', 'unxz', 'xzcat', 'bunzip2', 'bzip2', 'zstd', 'unzstd', 'zstdcat', 'lz4', 'cpio', 'jar', 'bsdcpio', 'dpkg-deb', 'rpm2cpio', 'rpm2archive']);

type Use = { kind: 'installed' | 'executable' | 'extracted'; call: Invocation | null };

/** True when `call` installs `file` as a package (dpkg -i, apt-get install ./x.deb, rpm -i, pip install x.whl, apk add x.apk). */
function installs(call: Invocation, file: string, body: ShellBody): boolean {
  const named = (words: readonly ShellWord[]): boolean => words.some((word) => sameFile(resolveWord(word, body.scope), file));
  switch (call.program) {
    case 'dpkg':
      return hasFlag(call.args, '-i', '--install', '--unpack') && named(call.args);
    case 'rpm':
      return hasFlag(call.args, '-i', '-U', '-F', '--install', '--upgrade', '--freshen', '--reinstall') && named(call.args);
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'zypper':
    case 'tdnf':
      return named(argsWithoutFlags(call.args).slice(1));
    case 'apk':
      return call.args[0]?.value === 'add' && named(call.args.slice(1));
    case 'gdebi':
      return named(call.args);
    default:
      break;
  }
  if (isAptInstall(call)) {
    return named(aptPackages(call));
  }
  const pip = pipInstall(call);
  return pip !== null && named(pipRequirements(pip));
}

/** True when `call` sets an executable mode on `file` (`chmod +x`, `chmod 0755`, `install -m 755`). */
function makesExecutable(call: Invocation, file: string, body: ShellBody): boolean {
  if (call.program === 'chmod') {
    const [mode, ...paths] = argsWithoutFlags(call.args);
    const value = mode?.value ?? '';
    const executable = /x/.test(value) && /^[ugoa]*[+=]/.test(value) || /^[0-7]*[1357][0-7]{0,2}$/.test(value) && value.length >= 3;
    return executable && paths.some((word) => sameFile(resolveWord(word, body.scope), file));
  }
  if (call.program === 'install') {
    const mode = flagValue(call.args, '-m', '--mode') ?? '';
    const sources = argsWithoutFlags(call.args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory']);
    return /[1357]/.test(mode) && sources.slice(0, -1).some((word) => sameFile(resolveWord(word, body.scope), file));
  }
  return false;
}

function extracts(call: Invocation, file: string, body: ShellBody): boolean {
  if (call.program === null || !EXTRACTORS.has(call.program)) {
    return false;
  }
  return call.args.some((word) => {
    const value = resolveWord(word, body.scope);
    return sameFile(value.replace(/^--file=/, ''), file);
  }) || call.command.redirects.some((redirect) => redirect.operator === '<' && redirect.target !== null && sameFile(redirect.target, file));
}

/** How the body uses the downloaded file after fetching it; the strongest use wins. */
function useOf(body: ShellBody, download: Download, file: string): Use | null {
  let use: Use | null = null;
  for (const call of body.calls) {
    if (call.command.index <= download.call.command.index) {
      continue;
    }
    if (installs(call, file, body)) {
      return { kind: 'installed', call };
    }
    if (makesExecutable(call, file, body)) {
      use = { kind: 'executable', call };
    } else if (!use && extracts(call, file, body)) {
      use = { kind: 'extracted', call };
    }
  }
  if (!use && isBinPath(file)) {
    return { kind: 'executable', call: null };
  }
  return use;
}

function isArtifactName(name: string): boolean {
  return !NOT_AN_ARTIFACT.test(name) && (ARCHIVE.test(name) || PACKAGE.test(name));
}

const ADVICE = 'check it against a sha256 pinned next to the URL (sha256sum -c) or the vendor\'s signature';

/** `dpkg -i`, `apt-get install`, `pip install`: the installer as a reader knows it. */
function installerLabel(call: Invocation): string {
  const program = call.program ?? '';
  if (program === 'dpkg') {
    return 'dpkg -i';
  }
  if (pipInstall(call)) {
    return 'pip install';
  }
  const subcommand = argsWithoutFlags(call.args)[0]?.value;
  return subcommand && /^(install|localinstall|add|in|reinstall|upgrade)$/.test(subcommand) ? `${program} ${subcommand}` : program;
}

function check(body: ShellBody, ctx: RuleContext): void {
  const found = downloads(body);
  const files = downloadedFiles(found);
  for (const download of found) {
    const file = download.output;
    if (file === null) {
      continue;
    }
    if (file === '-') {
      // Streamed straight into an extractor: nothing is left on disk to check.
      const extractor = pipeConsumers(body, download.call).find((consumer) => consumer.program !== null && EXTRACTORS.has(consumer.program));
      if (extractor) {
        const what = download.url ? `archive from ${quote(download.url)}` : `output of ${quote(describeCall(download.call))}`;
        ctx.report({
          at: download.call.command.range,
          message: `${what} is streamed into ${quote(extractor.program ?? '')}, so it cannot be checked; save it to a file and ${ADVICE} before extracting it`,
        });
      }
      continue;
    }
    if (NOT_AN_ARTIFACT.test(baseName(file)) || isAptKeyringPath(file)) {
      continue;
    }
    const later = body.calls.filter((call) => call.command.index > download.call.command.index);
    if (later.some((call) => executesFile(call, file, body.scope))) {
      continue; // supply-chain/download-then-execute reports it
    }
    const use = useOf(body, download, file);
    const named = isArtifactName(baseName(file)) || (download.url !== null && isArtifactName(remoteName(download.url)));
    const release = download.url !== null && /\/releases\/download\//.test(download.url);
    if (!use && !named && !release) {
      continue;
    }
    if (verifiedBetween(body, file, download.call, null, files)) {
      continue;
    }
    const name = quote(baseName(file));
    if (use?.kind === 'installed' && use.call) {
      ctx.report({
        at: download.call.command.range,
        severity: 'error',
        message: `${name} is downloaded and installed by ${quote(installerLabel(use.call))} with no checksum or signature check; ${ADVICE} before installing it`,
      });
    } else if (use?.kind === 'executable') {
      ctx.report({
        at: download.call.command.range,
        severity: 'error',
        message: `${name} is downloaded and made executable with no checksum or signature check; ${ADVICE} before use`,
      });
    } else if (use?.kind === 'extracted') {
      ctx.report({
        at: download.call.command.range,
        message: `${name} is downloaded and extracted with no checksum or signature check; ${ADVICE} before extracting it`,
      });
    } else {
      ctx.report({
        at: download.call.command.range,
        message: `${name} is downloaded with no checksum or signature check; ${ADVICE} before use`,
      });
    }
  }
}

export const unverifiedDownload = defineRule({
  id: 'supply-chain/unverified-download',
  meta: {
    title: 'Archive, package or binary downloaded without a checksum or signature check',
    severity: 'warning',
    rationale:
      'Base images for CUDA, PyTorch and FFmpeg pull a lot over plain URLs: source tarballs, keyring .deb files, release binaries, "stable" channel archives whose content changes under the same name. Without a sha256 pinned in the Dockerfile (or a signature check) a build installs whatever the server returned that day: a compromised mirror, a re-tagged release or a truncated file all go unnoticed, the layer cache cannot tell that the content changed, and two builds of the same commit can differ. Findings are errors when the file is installed as a package or made executable, warnings when it is only extracted or stored.',
    remediation:
      'Pin the sha256 next to the version (`ARG FFMPEG_SHA256=...`) and check it right after the download: `echo "${FFMPEG_SHA256}  ffmpeg.tar.xz" | sha256sum -c -`. Where the vendor publishes signatures, also verify them (`gpg --verify` with the key imported by full fingerprint, `cosign verify-blob`). For a single file, `ADD --checksum=sha256:<hex> <url> <dest>` does the same.',
  },
  hooks: shellBodyHooks(check),
});
