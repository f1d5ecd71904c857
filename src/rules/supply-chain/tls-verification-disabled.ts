// Why: switching off certificate or signature checks (`curl -k`, `wget --no-check-certificate`,
// `pip --trusted-host`, `apt-get --allow-unauthenticated`, `[trusted=yes]`, `GIT_SSL_NO_VERIFY`)
// lets anyone on the network path replace what the build installs. checkov covers part of this
// (CKV2_DOCKER_2/3 curl/wget, CKV2_DOCKER_4 pip, CKV2_DOCKER_7 apk, CKV2_DOCKER_8 apt,
// CKV2_DOCKER_9 dnf/yum, CKV2_DOCKER_10 rpm, CKV2_DOCKER_15 sslverify); build scripts are checked
// the same way as RUN bodies, since a script that runs `curl -k` is just as exposed.
import type { ArgInstruction, EnvInstruction, InstructionHeredoc } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import type { ShellWord } from '../../parse/shell.js';
import { argValues, findFlag, pipInstall, type Invocation } from '../../parse/shell-query.js';
import { resolveText, resolveWord, runBody, scriptBody, type ShellBody } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

type Check = 'TLS certificate verification' | 'package signature verification';

interface Insecure {
  at: Range;
  what: string;
  check: Check;
}

const TLS: Check = 'TLS certificate verification';
const SIGNATURES: Check = 'package signature verification';

/** Environment variables that turn verification off, and the values that do it. */
const INSECURE_ENV: { name: RegExp; value: RegExp; check: Check }[] = [
  // git(1) ENVIRONMENT: any value of GIT_SSL_NO_VERIFY disables verification.
  { name: /^GIT_SSL_NO_VERIFY$/, value: /./, check: TLS },
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, value: /^0$/, check: TLS },
  // PEP 493: PYTHONHTTPSVERIFY=0 restores unverified HTTPS in the standard library.
  { name: /^PYTHONHTTPSVERIFY$/, value: /^0$/, check: TLS },
  { name: /^PIP_TRUSTED_HOST$/, value: /./, check: TLS },
  { name: /^UV_INSECURE_HOST$/, value: /./, check: TLS },
  { name: /^(NPM_CONFIG_STRICT_SSL|npm_config_strict_ssl|YARN_ENABLE_STRICT_SSL|CONDA_SSL_VERIFY)$/, value: /^(false|0|no)$/i, check: TLS },
];

/**
 * Settings written into configuration files (apt sources and apt.conf, yum .repo, .npmrc, .wgetrc,
 * pip.conf, .condarc, .gitconfig). Text fallback: these are data for other programs, which the
 * shell model does not parse; they reach the image through `echo`/`printf` words or here-documents.
 */
const INSECURE_TEXT: { pattern: RegExp; what: string; check: Check }[] = [
  { pattern: /\[[^\]\n]*\btrusted=yes\b[^\]\n]*\]/, what: 'trusted=yes', check: SIGNATURES },
  { pattern: /\[[^\]\n]*\ballow-insecure=yes\b[^\]\n]*\]/, what: 'allow-insecure=yes', check: SIGNATURES },
  { pattern: /Verify-(Peer|Host)"?\s*[= ]\s*"?(false|0|no)\b/i, what: 'Acquire::https::Verify-Peer "false"', check: TLS },
  { pattern: /AllowUnauthenticated"?\s*[= ]\s*"?(true|1|yes)\b/i, what: 'APT::Get::AllowUnauthenticated "true"', check: SIGNATURES },
  { pattern: /AllowInsecureRepositories"?\s*[= ]\s*"?(true|1|yes)\b/i, what: 'Acquire::AllowInsecureRepositories "true"', check: SIGNATURES },
  { pattern: /(^|\s)sslverify\s*=\s*(0|false|no)\b/im, what: 'sslverify=0', check: TLS },
  { pattern: /(^|\s)(repo_)?gpgcheck\s*=\s*(0|false|no)\b/im, what: 'gpgcheck=0', check: SIGNATURES },
  { pattern: /(^|\s)strict-ssl\s*=\s*false\b/im, what: 'strict-ssl=false', check: TLS },
  { pattern: /(^|\s)check_certificate\s*=\s*off\b/im, what: 'check_certificate = off', check: TLS },
  { pattern: /(^|\s)sslVerify\s*=\s*false\b/im, what: 'sslVerify = false', check: TLS },
  { pattern: /(^|\s)trusted-host\s*=/im, what: 'trusted-host', check: TLS },
  { pattern: /(^|\s)ssl_verify\s*:\s*(false|no)\b/im, what: 'ssl_verify: false', check: TLS },
];

function textFindings(text: string, at: Range): Insecure[] {
  return INSECURE_TEXT.filter((entry) => entry.pattern.test(text)).map((entry) => ({ at, what: entry.what, check: entry.check }));
}

function envFinding(name: string, value: string, at: Range): Insecure | null {
  const entry = INSECURE_ENV.find((candidate) => candidate.name.test(name) && candidate.value.test(value));
  return entry ? { at, what: `${name}=${value}`, check: entry.check } : null;
}

const FALSE = /^(false|0|no|off)$/i;

/** Flags that switch a check off, by program (checkov's CKV2_DOCKER_* list plus git, npm and conda). */
function callFindings(call: Invocation, body: ShellBody): Insecure[] {
  const found: Insecure[] = [];
  const flag = (check: Check, ...flags: string[]): void => {
    const word = findFlag(call.args, ...flags);
    if (word) {
      found.push({ at: word.range, what: `${call.program ?? ''} ${word.value ?? word.text}`, check });
    }
  };
  const values = argValues(call.args).map((value) => value.toLowerCase());
  const program = call.program ?? '';
  switch (program) {
    case 'curl':
      flag(TLS, '-k', '--insecure', '--proxy-insecure', '--doh-insecure');
      break;
    case 'wget':
      flag(TLS, '--no-check-certificate');
      break;
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      flag(SIGNATURES, '--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes');
      for (const value of optionValues(call.args, '-o', '--option')) {
        found.push(...textFindings(value.text, value.word.range).map((entry) => ({ ...entry, what: `${program} -o ${value.text}` })));
      }
      break;
    case 'dnf':
    case 'yum':
    case 'microdnf':
    case 'tdnf':
    case 'zypper':
      flag(SIGNATURES, '--nogpgcheck', '--no-gpg-checks');
      for (const value of optionValues(call.args, '--setopt')) {
        found.push(...textFindings(value.text, value.word.range).map((entry) => ({ ...entry, what: `${program} --setopt=${value.text}` })));
      }
      break;
    case 'rpm':
      flag(SIGNATURES, '--nosignature', '--nodigest', '--noverify');
      break;
    case 'apk':
      flag(SIGNATURES, '--allow-untrusted');
      break;
    case 'git': {
      for (const value of optionValues(call.args, '-c')) {
        if (/^http(\..+)?\.sslverify=(false|0|no|off)$/i.test(value.text)) {
          found.push({ at: value.word.range, what: `git -c ${value.text}`, check: TLS });
        }
      }
      const key = values.findIndex((value) => /^http(\..+)?\.sslverify$/.test(value));
      if (values.includes('config') && key >= 0 && FALSE.test(values[key + 1] ?? '')) {
        found.push({ at: call.command.range, what: `git config ${argValues(call.args)[key] ?? ''} ${values[key + 1] ?? ''}`, check: TLS });
      }
      break;
    }
    case 'npm':
    case 'pnpm':
    case 'yarn': {
      const key = values.findIndex((value) => value === 'strict-ssl' || value === 'enablestrictssl');
      if ((values.includes('set') || values.includes('config')) && key >= 0 && FALSE.test(values[key + 1] ?? '')) {
        found.push({ at: call.command.range, what: `${program} config set ${argValues(call.args)[key] ?? ''} ${values[key + 1] ?? ''}`, check: TLS });
      }
      const inline = call.args.find((word) => /^--strict-ssl=false$/i.test(word.value ?? ''));
      if (inline) {
        found.push({ at: inline.range, what: `${program} --strict-ssl=false`, check: TLS });
      }
      break;
    }
    case 'conda':
    case 'mamba':
    case 'micromamba': {
      const key = values.indexOf('ssl_verify');
      if (values.includes('--set') && key >= 0 && FALSE.test(values[key + 1] ?? '')) {
        found.push({ at: call.command.range, what: `${program} config --set ssl_verify ${values[key + 1] ?? ''}`, check: TLS });
      }
      flag(TLS, '--insecure', '-k');
      break;
    }
    case 'export':
    case 'declare':
    case 'typeset':
    case 'readonly':
      for (const word of call.args) {
        const [name, ...rest] = resolveWord(word, body.scope).split('=');
        const finding = name && rest.length > 0 ? envFinding(name, rest.join('='), word.range) : null;
        if (finding) {
          found.push(finding);
        }
      }
      break;
    case 'echo':
    case 'printf':
      found.push(...textFindings(call.args.map((word) => resolveWord(word, body.scope)).join(' '), call.command.range));
      break;
    default:
      break;
  }
  // pip and uv: --trusted-host (pip), --allow-insecure-host (uv), and `pip config set global.trusted-host`.
  if (pipInstall(call) || /^(pip\d*(\.\d+)?|uv)$/.test(program) || values.includes('pip')) {
    flag(TLS, '--trusted-host', '--allow-insecure-host');
    const key = values.findIndex((value) => /^[a-z]+\.trusted-host$/.test(value));
    if (key >= 0 && values.includes('config')) {
      found.push({ at: call.command.range, what: `pip config set ${argValues(call.args)[key] ?? ''}`, check: TLS });
    }
  }
  for (const assignment of call.command.assignments) {
    const finding = envFinding(assignment.name, assignment.value ?? '', assignment.range);
    if (finding) {
      found.push(finding);
    }
  }
  // Here-documents written by `cat <<EOF > /etc/apt/sources.list.d/x.list` and friends.
  for (const redirect of call.command.redirects) {
    if (redirect.heredoc !== undefined && program !== 'echo' && program !== 'printf') {
      found.push(...textFindings(resolveText(redirect.heredoc, body.scope), call.command.range));
    }
  }
  return found;
}

/** The values of a repeatable option (`-o A=1 -o B=2`, `--setopt=x=0`). */
function optionValues(args: readonly ShellWord[], ...flags: string[]): { word: ShellWord; text: string }[] {
  const found: { word: ShellWord; text: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = word?.value ?? word?.text ?? '';
    if (!word) {
      continue;
    }
    for (const flag of flags) {
      if (value === flag && args[i + 1]) {
        const next = args[i + 1] as ShellWord;
        found.push({ word: next, text: next.value ?? next.text });
      } else if (value.startsWith(`${flag}=`)) {
        found.push({ word, text: value.slice(flag.length + 1) });
      } else if (flag.length === 2 && !flag.startsWith('--') && value.startsWith(flag) && value.length > 2 && !value.startsWith('--')) {
        found.push({ word, text: value.slice(2) });
      }
    }
  }
  return found;
}

function message(finding: Insecure): string {
  const instead = finding.check === TLS
    ? 'remove it and make the certificate trusted instead (ca-certificates, or the internal CA added to the trust store)'
    : 'remove it and install the repository\'s signing key instead (signed-by= for apt, gpgkey= for dnf/yum)';
  return `${quote(finding.what)} turns off ${finding.check}; ${instead}`;
}

function report(findings: Insecure[], ctx: RuleContext): void {
  for (const finding of findings) {
    ctx.report({ at: finding.at, message: message(finding) });
  }
}

function envInstructionFindings(instruction: EnvInstruction | ArgInstruction): Insecure[] {
  const found: Insecure[] = [];
  if (instruction.kind === 'env') {
    for (const pair of instruction.pairs) {
      const finding = envFinding(pair.name, pair.value, pair.range);
      if (finding) {
        found.push(finding);
      }
    }
  } else {
    // Build args are in the environment of every later RUN of the stage.
    for (const declaration of instruction.declarations) {
      const finding = declaration.value !== undefined ? envFinding(declaration.name, declaration.value, declaration.range) : null;
      if (finding) {
        found.push(finding);
      }
    }
  }
  return found;
}

function heredocFindings(heredocs: InstructionHeredoc[], at: Range): Insecure[] {
  return heredocs.flatMap((heredoc) => textFindings(heredoc.content, heredoc.contentRange ?? at));
}

export const tlsVerificationDisabled = defineRule({
  id: 'supply-chain/tls-verification-disabled',
  meta: {
    title: 'TLS or signature verification turned off',
    severity: 'error',
    rationale:
      'Base images install hundreds of megabytes from the network: CUDA and NVIDIA apt repositories, PyPI wheels, source tarballs. Turning off certificate checks (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `GIT_SSL_NO_VERIFY`) or package signature checks (`--allow-unauthenticated`, `[trusted=yes]`, `--nogpgcheck`) means a proxy, mirror or attacker on the path can substitute any of it, and the result is baked into every image built on top. Such flags usually start as a workaround for a corporate proxy and are then copied into every Dockerfile and build script.',
    remediation:
      'Remove the flag or setting. When a proxy re-signs TLS traffic, add its CA to the image\'s trust store (`COPY corp-ca.crt /usr/local/share/ca-certificates/` then `update-ca-certificates`, or `--mount=type=secret` for build-time only); for apt and dnf repositories install the signing key and reference it (`signed-by=`, `gpgkey=`).',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind === 'run' && instruction.shell) {
        const body = runBody(instruction);
        report(body.calls.flatMap((call) => callFindings(call, body)), ctx);
      } else if (instruction.kind === 'env' || instruction.kind === 'arg') {
        report(envInstructionFindings(instruction), ctx);
      } else if (instruction.kind === 'copy' || instruction.kind === 'add') {
        // `COPY <<EOF /etc/apt/apt.conf.d/99insecure` writes configuration straight into the image.
        report(heredocFindings(instruction.heredocs, instruction.range), ctx);
      }
    },
    script(script, ctx) {
      const body = scriptBody(script);
      report(body.calls.flatMap((call) => callFindings(call, body)), ctx);
    },
  },
});
