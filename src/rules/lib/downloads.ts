/**
 * What the supply-chain rules share about downloads in one shell body (a RUN, a build script):
 * which calls fetch something, where the bytes go, who reads them next, and whether the body checks
 * them against a checksum or signature before use. The model follows OpenSSF Scorecard's
 * `downloadThenRun` (checks/raw/shell_download_validate.go): taint is tracked within one RUN or one
 * script, never across them, because a later RUN cannot know which bytes an earlier one fetched.
 */
import type { RunInstruction } from '../../parse/dockerfile.js';
import { expand, type Scope } from '../../parse/expand.js';
import type { Range } from '../../parse/locations.js';
import type { ShellCommand, ShellWord } from '../../parse/shell.js';
import { argsWithoutFlags, findFlag, flagValue, hasFlag, invocations, isUrl, type Invocation } from '../../parse/shell-query.js';
import type { ScriptFile } from '../../repo/repo.js';
import type { RuleContext, RuleHooks } from '../rule.js';

/** One shell body: its calls in source order and the Dockerfile variables it sees (null in a script). */
export interface ShellBody {
  calls: Invocation[];
  scope: Scope | null;
}

/** The body of a RUN: ARG and ENV values in scope are the shell's environment there. */
/**
 * Hooks that run `check` over every RUN body and every shell script: supply-chain problems are
 * the same whether a Dockerfile or a build script downloads the file.
 */
export function shellBodyHooks(check: (body: ShellBody, ctx: RuleContext) => void): Pick<RuleHooks, 'instruction' | 'script'> {
  return {
    instruction(instruction, ctx) {
      if (instruction.kind === 'run' && instruction.shell) {
        check(runBody(instruction), ctx);
      }
    },
    script(script, ctx) {
      check(scriptBody(script), ctx);
    },
  };
}

export function runBody(run: RunInstruction): ShellBody {
  return { calls: invocations(run.shell), scope: run.scope };
}

/** The body of a build script; its variables are unknown at review time. */
export function scriptBody(script: ScriptFile): ShellBody {
  return { calls: invocations(script.shell), scope: null };
}

/**
 * The text of a word as the shell would see it where the Dockerfile knows the variables: literal
 * words as they are, others with `${ARG}` expanded from the RUN's scope and quotes dropped. Quote
 * removal here is simpler than the shell's; it only has to be good enough to compare URLs and paths.
 */
export function resolveWord(word: ShellWord, scope: Scope | null): string {
  return word.value ?? resolveText(word.text, scope);
}

/** `resolveWord` for text that is not a whole word (a flag's value, a redirect target). */
export function resolveText(text: string, scope: Scope | null): string {
  const expanded = scope ? expand(text, scope).value : text;
  return expanded.replace(/["']/g, '');
}

/** A call that fetches something over the network. */
export interface Download {
  call: Invocation;
  /** The first URL, variables resolved where known; null when the URL is only known at build time. */
  url: string | null;
  urlWord: ShellWord | null;
  /** Where the bytes go: a path, `-` for stdout, or null when unknown. */
  output: string | null;
}

// curl/wget options whose value is never the URL being fetched.
const NON_URL_VALUE_FLAGS = new Set([
  '-H', '--header', '-e', '--referer', '-x', '--proxy', '-u', '--user', '-A', '--user-agent', '-d', '--data', '--data-raw',
  '--data-binary', '-F', '--form', '--resolve', '--connect-to', '--proxy-user', '--cacert', '--capath', '-E', '--cert',
  '--ca-certificate', '--certificate', '--post-data', '--body-data',
]);

/** The downloads of a body: every curl and wget call except `--help`/`--version`. */
export function downloads(body: ShellBody): Download[] {
  const found: Download[] = [];
  for (const call of body.calls) {
    if (call.program !== 'curl' && call.program !== 'wget') {
      continue;
    }
    if (hasFlag(call.args, '--help', '--version', '-V', '-h')) {
      continue;
    }
    let urlWord: ShellWord | null = null;
    let url: string | null = null;
    for (let i = 0; i < call.args.length; i++) {
      const word = call.args[i];
      const previous = call.args[i - 1];
      if (!word || (previous && NON_URL_VALUE_FLAGS.has(previous.value ?? ''))) {
        continue;
      }
      const value = resolveWord(word, body.scope);
      if (isUrl(value)) {
        urlWord = word;
        url = value;
        break;
      }
    }
    found.push({ call, url, urlWord, output: outputOf(call, url, body.scope) });
  }
  return found;
}

/** The file name a server-side name option (`curl -O`, plain `wget`) gives: the URL's last path segment. */
export function remoteName(url: string): string {
  const path = url.replace(/[?#].*$/, '');
  return path.split('/').pop() ?? path;
}

function outputOf(call: Invocation, url: string | null, scope: Scope | null): string | null {
  const args = call.args;
  const redirect = stdoutRedirect(call.command, scope);
  if (call.program === 'curl') {
    let output = flagValue(args, '-o', '--output');
    if (output === null && hasFlag(args, '-O', '--remote-name', '--remote-name-all')) {
      output = url ? remoteName(url) : null;
    }
    if (output === null || output === '-') {
      return redirect ?? '-';
    }
    const directory = flagValue(args, '--output-dir');
    return withDirectory(resolveText(output, scope), directory === null ? null : resolveText(directory, scope));
  }
  const output = flagValue(args, '-O', '--output-document');
  if (output === '-') {
    return redirect ?? '-';
  }
  if (output !== null) {
    return resolveText(output, scope);
  }
  if (!url) {
    return null;
  }
  const directory = flagValue(args, '-P', '--directory-prefix');
  return withDirectory(remoteName(url), directory === null ? null : resolveText(directory, scope));
}

function withDirectory(file: string, directory: string | null): string {
  return directory && !file.startsWith('/') ? `${directory.replace(/\/$/, '')}/${file}` : file;
}

/**
 * The file a command's stdout is redirected to. `/dev/null` is skipped: the parser does not keep
 * the descriptor, and `2>/dev/null` (stderr) is by far the usual reason to see it.
 */
function stdoutRedirect(command: ShellCommand, scope: Scope | null): string | null {
  for (const redirect of command.redirects) {
    if ((redirect.operator === '>' || redirect.operator === '>>' || redirect.operator === '>|') && redirect.target && redirect.target !== '/dev/null') {
      return resolveText(redirect.target, scope);
    }
  }
  return null;
}

/**
 * The calls that read this call's stdout: the later members of its pipeline. Pipelines are not
 * numbered in the parsed model, so the members are found walking forward from the call; the walk
 * stops at a command that starts another pipeline or stands alone at the same nesting.
 */
export function pipeConsumers(body: ShellBody, call: Invocation): Invocation[] {
  const pipeline = call.command.pipeline;
  if (!pipeline) {
    return [];
  }
  const consumers: Invocation[] = [];
  let next = pipeline.position + 1;
  for (const other of body.calls) {
    if (other.command.index <= call.command.index || other.command.inSubstitution !== call.command.inSubstitution) {
      continue;
    }
    const position = other.command.pipeline;
    if (!position || position.position === 0) {
      break;
    }
    if (position.length === pipeline.length && position.position === next) {
      consumers.push(other);
      next += 1;
      if (next >= pipeline.length) {
        break;
      }
    }
  }
  return consumers;
}

/** True when `inner` lies within `outer`. */
export function contains(outer: Range, inner: Range): boolean {
  const startsAfter = inner.start.line > outer.start.line || (inner.start.line === outer.start.line && inner.start.column >= outer.start.column);
  const endsBefore = inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.column <= outer.end.column);
  return startsAfter && endsBefore;
}

function normalizePath(path: string): string {
  return path.replace(/["']/g, '').replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
}

/** The last path segment. */
export function baseName(path: string): string {
  return normalizePath(path).split('/').pop() ?? path;
}

/**
 * True when two spellings name the same file: equal after normalising, or one is a bare or relative
 * name and the other a path with the same last segment (`cd /tmp && curl -O .../x.tgz && tar xf /tmp/x.tgz`).
 */
export function sameFile(a: string, b: string): boolean {
  const x = normalizePath(a);
  const y = normalizePath(b);
  if (x === y) {
    return true;
  }
  if (x.startsWith('/') && y.startsWith('/')) {
    return false;
  }
  return baseName(x) === baseName(y) && baseName(x) !== '';
}

function isPathLike(text: string): boolean {
  return !/\s/.test(text);
}

/** True when a text (an `echo "<sha>  file"` line, a checksum file's name) names the file. */
export function mentionsFile(text: string, file: string): boolean {
  const name = baseName(file);
  return name.length > 0 && text.includes(name);
}

/** Interpreters that run a program read from a file or stdin. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
// Flags that mean "the program is this argument, not a file or stdin", by interpreter family.
const EVAL_FLAGS: Record<string, string[]> = {
  shell: ['-c'],
  python: ['-c', '-m'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  node: ['-e', '--eval', '-p', '--print'],
  php: ['-r'],
};
// Interpreter options that take the next word as their value.
const INTERPRETER_FLAGS_WITH_VALUE = ['-o', '+o', '-O', '+O', '-W', '-X', '-I', '-r', '--require', '--import'];

/** The interpreter family of a program (`python3.12` → python), or null when it is not one. */
export function interpreterFamily(program: string | null): keyof typeof EVAL_FLAGS | null {
  if (program === null) {
    return null;
  }
  if (SHELLS.has(program)) {
    return 'shell';
  }
  if (/^(python|pypy)(\d+(\.\d+)?)?$/.test(program)) {
    return 'python';
  }
  if (/^perl(\d+(\.\d+)*)?$/.test(program)) {
    return 'perl';
  }
  if (/^ruby(\d+(\.\d+)*)?$/.test(program)) {
    return 'ruby';
  }
  if (program === 'node' || program === 'nodejs') {
    return 'node';
  }
  if (/^php(\d+(\.\d+)*)?$/.test(program)) {
    return 'php';
  }
  return null;
}

/**
 * The script operand of an interpreter call: the word it runs as a program, or `-` when it reads
 * the program from stdin, or null when it runs an inline program (`python3 -c ...`, `bash -c ...`).
 * `busybox sh` and `source`/`.` count as interpreters.
 */
export function scriptOperand(call: Invocation): { word: ShellWord | null; stdin: boolean } | null {
  let program = call.program;
  let args = call.args;
  if (program === 'busybox' && args[0]?.value && SHELLS.has(args[0].value)) {
    program = args[0].value;
    args = args.slice(1);
  }
  if (program === 'source' || program === '.') {
    const word = args[0] ?? null;
    return { word, stdin: word !== null && (word.value === '/dev/stdin' || word.value === '-') };
  }
  const family = interpreterFamily(program);
  if (family === null || hasFlag(args, ...(EVAL_FLAGS[family] ?? []))) {
    return null;
  }
  if (family === 'shell' && hasFlag(args, '-s')) {
    return { word: null, stdin: true };
  }
  const first = argsWithoutFlags(args, INTERPRETER_FLAGS_WITH_VALUE)[0] ?? null;
  const value = first?.value ?? null;
  return { word: first, stdin: first === null || value === '-' || value === '/dev/stdin' };
}

/** The `-c` word of an interpreter call (`sh -c "$(curl ...)"`), when it has one. */
export function inlineProgram(call: Invocation): ShellWord | null {
  const family = interpreterFamily(call.program);
  if (family === null) {
    return null;
  }
  const flag = findFlag(call.args, ...(EVAL_FLAGS[family] ?? []));
  if (!flag) {
    return null;
  }
  return call.args[call.args.indexOf(flag) + 1] ?? null;
}

/** True when a call runs `file` as a program: `bash file`, `python3 file`, `source file`, `./file`, `/path/file`. */
export function executesFile(call: Invocation, file: string, scope: Scope | null): boolean {
  const operand = scriptOperand(call);
  if (operand?.word && sameFile(resolveWord(operand.word, scope), file)) {
    return true;
  }
  const invoked = invokedPath(call);
  if (invoked === null || call.program === null) {
    return false;
  }
  const path = resolveText(invoked, scope);
  // A bare name runs from PATH: it is the downloaded file only when the download went into a bin directory.
  if (!path.includes('/')) {
    return baseName(file) === path && isBinPath(file);
  }
  return sameFile(path, file);
}

/** The command word as written (`./install.sh`), wrappers peeled; null when dynamic. */
function invokedPath(call: Invocation): string | null {
  const { command } = call;
  if (call.wrappers.length === 0) {
    return command.name;
  }
  const word = command.args[command.args.length - call.args.length - 1];
  return word ? (word.value ?? word.text) : null;
}

/** True for a path inside a directory that is usually on PATH. */
export function isBinPath(path: string): boolean {
  return /^\/(usr\/(local\/)?)?s?bin\/[^/]+$|^\/opt\/[^/]+\/bin\/[^/]+$|^(~|\$HOME|\$\{HOME\}|\/root)\/\.local\/bin\/[^/]+$/.test(normalizePath(path));
}

const CHECKSUM_PROGRAMS = /^(sha(224|256|384|512)sum|b2sum|sha3sum|rhash|cksum)$/;
const SIGNATURE_PROGRAMS = new Set(['gpgv', 'gpgv2', 'cosign', 'minisign', 'signify', 'signify-openbsd', 'slsa-verifier', 'sigstore', 'debsig-verify', 'dpkg-sig', 'gh']);

/** True for a checksum tool computing SHA-2 or stronger (`shasum` only with `-a 256` and up; md5/sha1 are not enough). */
function isChecksumTool(call: Invocation): boolean {
  if (call.program === null) {
    return false;
  }
  if (call.program === 'cksum') {
    // GNU cksum computes CRC unless -a names a hash.
    return /^(sha2|sha256|sha384|sha512|sha224|blake2b|sha3)/.test(flagValue(call.args, '-a', '--algorithm') ?? '');
  }
  if (CHECKSUM_PROGRAMS.test(call.program)) {
    return true;
  }
  if (call.program === 'shasum') {
    return /^(224|256|384|512|512224|512256)$/.test(flagValue(call.args, '-a', '--algorithm') ?? '');
  }
  return false;
}

/** True for `openssl dgst -sha256 file` / `openssl sha256 file`. */
function isOpensslDigest(call: Invocation): boolean {
  if (call.program !== 'openssl') {
    return false;
  }
  const sub = call.args[0]?.value ?? '';
  return (sub === 'dgst' && call.args.some((word) => /^-(sha(224|256|384|512)|sha3-\d+|blake2b512)$/.test(word.value ?? ''))) || /^sha(224|256|384|512)$/.test(sub);
}

/** Everything a call reads as text: its words, what is piped into it, its here-documents and input files. */
function inputsOf(body: ShellBody, call: Invocation): string[] {
  const inputs = call.args.map((word) => resolveWord(word, body.scope));
  for (const redirect of call.command.redirects) {
    if (redirect.heredoc !== undefined) {
      inputs.push(resolveText(redirect.heredoc, body.scope));
    }
    if (redirect.operator === '<' && redirect.target) {
      inputs.push(resolveText(redirect.target, body.scope));
    }
  }
  for (const producer of pipeProducers(body, call)) {
    inputs.push(...producer.args.map((word) => resolveWord(word, body.scope)));
    for (const redirect of producer.command.redirects) {
      if (redirect.heredoc !== undefined) {
        inputs.push(resolveText(redirect.heredoc, body.scope));
      }
    }
  }
  return inputs;
}

/** The earlier members of a call's pipeline (`echo "<sha>  f" | sha256sum -c`). */
function pipeProducers(body: ShellBody, call: Invocation): Invocation[] {
  const pipeline = call.command.pipeline;
  if (!pipeline || pipeline.position === 0) {
    return [];
  }
  const producers: Invocation[] = [];
  let wanted = pipeline.position - 1;
  for (let i = body.calls.length - 1; i >= 0 && wanted >= 0; i--) {
    const other = body.calls[i];
    if (!other || other.command.index >= call.command.index || other.command.inSubstitution !== call.command.inSubstitution) {
      continue;
    }
    const position = other.command.pipeline;
    if (!position || position.length !== pipeline.length) {
      break;
    }
    if (position.position === wanted) {
      producers.unshift(other);
      wanted -= 1;
    }
  }
  return producers;
}

/**
 * True when `call` checks `file` against a checksum or signature:
 * - `sha256sum -c` (and sha512sum, b2sum, `shasum -a 256 -c`) whose input names the file
 *   (`echo "<sha>  file" | sha256sum -c -`, `sha256sum -c file.sha256`), or reads a checksum list
 *   that names no other downloaded file (`sha256sum -c --ignore-missing SHA256SUMS`);
 * - a digest of the file that is compared (`[ "$(sha256sum file | cut -d' ' -f1)" = "$SHA" ]`,
 *   `openssl dgst -sha256 file | grep -q ...`);
 * - `gpg --verify`, `gpgv`, `cosign verify-blob`, `minisign -V`, `gh attestation verify`,
 *   `slsa-verifier`, `sigstore verify` naming the file (a detached `file.asc` names it too).
 * md5sum and sha1sum are not accepted: Docker Official Images call them a "checksum of last resort".
 */
export function verifiesFile(body: ShellBody, call: Invocation, file: string, otherFiles: readonly string[]): boolean {
  if (isChecksumTool(call) && hasFlag(call.args, '-c', '--check')) {
    const inputs = inputsOf(body, call);
    if (inputs.some((text) => mentionsFile(text, file))) {
      return true;
    }
    // A list that names another downloaded file (`other.tgz.sha256`) is about that file; one that
    // names none (`SHA256SUMS`, `checksums.txt`, a list fetched under its own name) may cover this one.
    return !inputs.some((text) => otherFiles.some((other) => !sameFile(other, file) && !(isPathLike(text) && sameFile(text, other)) && mentionsFile(text, other)));
  }
  if (isChecksumTool(call) || isOpensslDigest(call)) {
    const compared = call.command.inSubstitution || pipeConsumers(body, call).length > 0;
    const redirectIn = call.command.redirects.some((redirect) => redirect.operator === '<' && redirect.target !== null && sameFile(resolveText(redirect.target, body.scope), file));
    return compared && (redirectIn || call.args.some((word) => sameFile(resolveWord(word, body.scope), file)));
  }
  const program = call.program ?? '';
  const isGpgVerify = (program === 'gpg' || program === 'gpg2') && hasFlag(call.args, '--verify', '--verify-files');
  const isSignatureTool = SIGNATURE_PROGRAMS.has(program) && (program !== 'gh' || call.args[0]?.value === 'attestation');
  const isPythonSigstore = interpreterFamily(program) === 'python' && call.args.some((word) => word.value === 'sigstore');
  if (isGpgVerify || isSignatureTool || isPythonSigstore) {
    return call.args.some((word) => mentionsFile(resolveWord(word, body.scope), file));
  }
  return false;
}

/** True when some call after `from` (and before `to`, when given) verifies `file`. */
export function verifiedBetween(body: ShellBody, file: string, from: Invocation, to: Invocation | null, otherFiles: readonly string[]): boolean {
  return body.calls.some((call) =>
    call.command.index > from.command.index
    && (to === null || call.command.index < to.command.index)
    && verifiesFile(body, call, file, otherFiles));
}

/** Output files of all downloads, for telling one file's checksum list from another's. */
export function downloadedFiles(found: readonly Download[]): string[] {
  return found.flatMap((download) => (download.output && download.output !== '-' ? [download.output] : []));
}

/** A short description of a call for messages: its text on one line. */
export function describeCall(call: Invocation): string {
  return call.command.text.replace(/\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A range from the start of one call to the end of another (a whole `curl ... | bash`). */
export function spanOf(first: Invocation, last: Invocation): Range {
  return { start: first.command.range.start, end: last.command.range.end };
}

/** Directories apt reads signing keys from (apt-secure(8), sources.list(5) `signed-by`). */
export function isAptKeyringPath(path: string): boolean {
  return /^\/(etc\/apt\/keyrings|usr\/share\/keyrings|etc\/apt\/trusted\.gpg\.d)\/|^\/etc\/apt\/trusted\.gpg$/.test(normalizePath(path));
}
