// Why: an apt repository key fetched over HTTPS and installed as is (`curl .../gpg | gpg --dearmor
// -o /etc/apt/keyrings/x.gpg`, the form most vendor docs show) trusts whatever key the server returns;
// from then on apt accepts any package that key signs. Checking the key's full fingerprint against
// the one the vendor publishes is what Docker Official Images require ("import the key by its full
// fingerprint", official-images README, "Image Build"); no linter checks it (noted as a gap in
// docker/docs#11990). apt-key(8) is deprecated: its last releases are Debian 12 and Ubuntu 24.04.
import type { ShellWord } from '../../parse/shell.js';
import { argsWithoutFlags, flagValue, hasFlag, type Invocation } from '../../parse/shell-query.js';
import { describeCall, type Download, downloadedFiles, downloads, isAptKeyringPath, pipeConsumers, resolveText, resolveWord, sameFile, type ShellBody, shellBodyHooks, verifiedBetween } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

const FULL_FINGERPRINT = /(?:0x)?[0-9A-F]{40}/i;
// A variable that carries the expected fingerprint in scripts, where its value is unknown.
const FINGERPRINT_VARIABLE = /\$\{?[A-Za-z_]*(FINGERPRINT|FPR|KEY_?ID)[A-Za-z_]*\}?/i;

const DEPRECATED = 'apt-key is deprecated (its last releases are Debian 12 and Ubuntu 24.04)';
const EXPECTED = 'compare "gpg --show-keys --with-colons" output with the fingerprint the vendor publishes before installing the key';

function isGpg(call: Invocation): boolean {
  return call.program === 'gpg' || call.program === 'gpg2';
}

function wordsOf(body: ShellBody, call: Invocation): string[] {
  const words = call.args.map((word) => resolveWord(word, body.scope));
  for (const redirect of call.command.redirects) {
    if (redirect.target) {
      words.push(resolveText(redirect.target, body.scope));
    }
  }
  return words;
}

/**
 * True when the body lists a key's fingerprint (`gpg --show-keys`, `--import-options show-only`,
 * `--with-fingerprint`) and holds an expected value to compare it with: a 40-hex fingerprint (from
 * an ARG or written out) or a variable named for one. The check is per body, not per key: which
 * key a `gpg --show-keys ... | grep` looks at is not always visible (a second fetch into a pipe).
 */
function checksFingerprint(body: ShellBody): boolean {
  const lists = body.calls.some((call) => isGpg(call) && (
    hasFlag(call.args, '--show-keys', '--with-fingerprint', '--fingerprint', '--with-subkey-fingerprint')
    || /show-only|import-show/.test(flagValue(call.args, '--import-options') ?? '')));
  if (!lists) {
    return false;
  }
  return body.calls.some((call) => call.args.some((word) => {
    const value = resolveWord(word, body.scope).replace(/\s+/g, '');
    return FULL_FINGERPRINT.test(value) || FINGERPRINT_VARIABLE.test(word.text);
  }) || call.command.redirects.some((redirect) => redirect.heredoc !== undefined && FULL_FINGERPRINT.test(resolveText(redirect.heredoc, body.scope).replace(/\s+/g, ''))));
}

/** How a downloaded file or stream becomes an apt key; null when it does not. */
function keyUse(body: ShellBody, download: Download): { aptKey: Invocation | null; keyring: string | null } | null {
  const keyringOf = (call: Invocation): string | null => wordsOf(body, call).find((word) => isAptKeyringPath(word)) ?? null;
  const inKeyring = (call: Invocation): boolean => keyringOf(call) !== null;
  if (download.output === '-') {
    for (const consumer of pipeConsumers(body, download.call)) {
      if (consumer.program === 'apt-key') {
        return { aptKey: consumer, keyring: null };
      }
      if (isGpg(consumer) && (hasFlag(consumer.args, '--dearmor', '--dearmour') || (hasFlag(consumer.args, '--import') && inKeyring(consumer)))) {
        return { aptKey: null, keyring: keyringOf(consumer) };
      }
      if (consumer.program === 'tee' && inKeyring(consumer)) {
        return { aptKey: null, keyring: keyringOf(consumer) };
      }
    }
    return null;
  }
  const file = download.output;
  if (file === null) {
    return null;
  }
  if (isAptKeyringPath(file)) {
    return { aptKey: null, keyring: file };
  }
  for (const call of body.calls) {
    if (call.command.index <= download.call.command.index) {
      continue;
    }
    const names = call.args.some((word) => sameFile(resolveWord(word, body.scope), file))
      || call.command.redirects.some((redirect) => redirect.operator === '<' && redirect.target !== null && sameFile(resolveText(redirect.target, body.scope), file));
    if (!names) {
      continue;
    }
    if (call.program === 'apt-key') {
      return { aptKey: call, keyring: null };
    }
    if (isGpg(call) && hasFlag(call.args, '--dearmor', '--dearmour')) {
      return { aptKey: null, keyring: keyringOf(call) };
    }
    if ((call.program === 'cp' || call.program === 'mv' || call.program === 'install') && inKeyring(call)) {
      return { aptKey: null, keyring: keyringOf(call) };
    }
  }
  return null;
}

/** A key under /etc/apt/trusted.gpg.d signs for every repository, not only the vendor's (apt-secure(8)). */
function trustedEverywhere(keyring: string | null): string {
  return keyring !== null && keyring.startsWith('/etc/apt/trusted.gpg') ? ', and keep it in /etc/apt/keyrings with signed-by= rather than /etc/apt/trusted.gpg.d, where it is trusted for every repository' : '';
}

function source(download: Download): string {
  return download.url ? `apt signing key from ${quote(download.url)}` : `apt signing key fetched by ${quote(describeCall(download.call))}`;
}

function check(body: ShellBody, ctx: RuleContext): void {
  const found = downloads(body);
  const files = downloadedFiles(found);
  const fingerprinted = checksFingerprint(body);
  const covered = new Set<Invocation>();
  for (const download of found) {
    const use = keyUse(body, download);
    if (!use) {
      continue;
    }
    if (use.aptKey) {
      covered.add(use.aptKey);
    }
    const checksummed = download.output !== null && download.output !== '-' && verifiedBetween(body, download.output, download.call, null, files);
    if (fingerprinted || checksummed) {
      if (use.aptKey) {
        ctx.report({ at: use.aptKey.command.range, severity: 'info', message: `${DEPRECATED}; keep the key in /etc/apt/keyrings and name it with signed-by= in the source line` });
      }
      continue;
    }
    ctx.report({
      at: download.call.command.range,
      message: use.aptKey
        ? `${source(download)} is added with apt-key without a fingerprint check; ${DEPRECATED}: ${EXPECTED}, store it in /etc/apt/keyrings and name it with signed-by=`
        : `${source(download)} is installed without a fingerprint check; ${EXPECTED}${trustedEverywhere(use.keyring)}`,
    });
  }
  for (const call of body.calls) {
    if (call.program === 'apt-key' && !covered.has(call)) {
      checkAptKey(call, body, ctx);
    } else if (isGpg(call) && hasFlag(call.args, '--recv-keys', '--receive-keys', '--recv') && mentionsAptKeyring(body)) {
      reportShortIds(keyIds(call, body), ctx);
    }
  }
}

/** Key ids after `--recv-keys` (gpg) or `adv ... --recv-keys` (apt-key). */
function keyIds(call: Invocation, body: ShellBody): { word: ShellWord; value: string }[] {
  const at = call.args.findIndex((word) => ['--recv-keys', '--receive-keys', '--recv', '--recv-key'].includes(word.value ?? ''));
  if (at < 0) {
    return [];
  }
  return argsWithoutFlags(call.args.slice(at + 1)).map((word) => ({ word, value: resolveWord(word, body.scope) }));
}

function reportShortIds(ids: { word: ShellWord; value: string }[], ctx: RuleContext): boolean {
  let reported = false;
  for (const id of ids) {
    const value = id.value.replace(/\s+/g, '');
    if (!FULL_FINGERPRINT.test(value) && !FINGERPRINT_VARIABLE.test(id.word.text)) {
      ctx.report({
        at: id.word.range,
        message: `key id ${quote(id.value)} is not a full fingerprint, so any key whose short id collides is accepted; use the vendor's full 40-character fingerprint`,
      });
      reported = true;
    }
  }
  return reported;
}

function checkAptKey(call: Invocation, body: ShellBody, ctx: RuleContext): void {
  const subcommand = argsWithoutFlags(call.args)[0]?.value ?? '';
  if (subcommand === 'adv') {
    const fetch = call.args.findIndex((word) => word.value === '--fetch-keys');
    const url = fetch >= 0 ? call.args[fetch + 1] : undefined;
    if (url) {
      ctx.report({
        at: call.command.range,
        message: `apt signing key from ${quote(resolveWord(url, body.scope))} is added with "apt-key adv --fetch-keys" without a fingerprint check; ${DEPRECATED}: download the key, ${EXPECTED}, store it in /etc/apt/keyrings and name it with signed-by=`,
      });
      return;
    }
    if (reportShortIds(keyIds(call, body), ctx)) {
      return;
    }
  }
  if (subcommand === 'adv' || subcommand === 'add') {
    ctx.report({ at: call.command.range, severity: 'info', message: `${DEPRECATED}; keep the key in /etc/apt/keyrings and name it with signed-by= in the source line` });
  }
}

/** True when some word of the body names an apt keyring path (the keys received are for apt). */
function mentionsAptKeyring(body: ShellBody): boolean {
  return body.calls.some((call) => wordsOf(body, call).some((word) => isAptKeyringPath(word) || /(^|[\s[,])signed-by=/.test(word)));
}

export const aptKeyWithoutFingerprint = defineRule({
  id: 'supply-chain/apt-key-without-fingerprint',
  meta: {
    title: 'apt repository key fetched without a fingerprint check',
    severity: 'warning',
    rationale:
      'ML base images add several third-party apt repositories (NVIDIA CUDA, Docker, NodeSource, ngrok) and usually install their signing keys straight from a URL. apt then trusts every package that key signs, so a key swapped on the server or in transit turns into arbitrary root code in every later `apt-get install` of every image built on this one. Comparing the key\'s full fingerprint with the one the vendor publishes costs one line and closes that gap; `apt-key`, still found in older Dockerfiles, is deprecated and adds the key for every repository at once.',
    remediation:
      'Download the key to a file, check it (`gpg --show-keys --with-colons key.asc | grep -q "^fpr:::::::::${KEY_FINGERPRINT}:$"` with the fingerprint in an ARG), then `gpg --dearmor -o /etc/apt/keyrings/<vendor>.gpg key.asc` and name that file with `signed-by=` in the source line. Replace `apt-key add` and `apt-key adv` the same way.',
  },
  hooks: shellBodyHooks(check),
});
