/**
 * The GitHub Actions workflow model, built on the `yaml` package's Document API (a LineCounter
 * keeps every node's position). It holds what rules about image-building workflows need:
 * triggers with their filters, permissions, concurrency, jobs and steps with `uses:` split into
 * owner/repo/path@ref, `with:` inputs, and `run:` bodies parsed once as shell with positions in the
 * workflow file.
 *
 * Why not @actions/workflow-parser: it fails to import under plain Node ESM
 * (actions/languageservices#387) and its converted model drops step `with:` and `permissions:`
 * (research/anchors-actions-buildx.md, section a.3). The `yaml` Document keeps both, with ranges.
 *
 * Malformed input never throws: YAML syntax errors, duplicate keys, the YAML 1.1 `on:` trap and
 * shapes the model cannot use become `problems` with positions, and the rest is still modelled.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  YAMLParseError,
  type CST,
  type Document,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  visit,
} from 'yaml';
import { LineIndex, type Position, type Range } from './locations.js';
import { parseShell, type PositionMap, type ShellScript } from './shell.js';

/** A scalar value of the workflow as a string, with where it is. */
export interface WorkflowValue {
  value: string;
  range: Range;
}

/** A `key: value` entry of a mapping (`with:`, `env:`, permission scopes). */
export interface WorkflowEntry extends WorkflowValue {
  key: string;
  keyRange: Range;
}

/** A comment line of the workflow file (`#` and one following space removed). */
export interface WorkflowComment {
  line: number;
  text: string;
}

/** Something the parser could not read as written; reported by `workflow/parse-error`. */
export interface WorkflowProblem {
  kind: 'syntax' | 'duplicate-key' | 'yaml-1.1' | 'structure' | 'alias';
  message: string;
  range: Range;
}

/**
 * A plain scalar that one YAML reader takes for something other than what it looks like:
 * `number` for `3.10` (a float, so GitHub passes "3.1" to `python-version`), `010` or `1e3`;
 * `boolean` for `yes`/`no`/`on`/`off`/`y`/`n`, strings to GitHub's YAML 1.2 reader but booleans
 * to YAML 1.1 tools (PyYAML, yamllint's truthy rule, older linters) that read the same file.
 */
export interface WorkflowValueTrap {
  kind: 'number' | 'boolean';
  /** The scalar as written. */
  source: string;
  /** What the reader makes of it (`3.1`, `true`). */
  read: string;
  /** The key the value belongs to (`python-version`), or the enclosing key for list items; '' at the root. */
  key: string;
  range: Range;
}

/** A filter list under an event: `branches`, `tags`, `paths` and their `-ignore` forms. */
export interface PatternFilter {
  patterns: WorkflowValue[];
  /** The list itself (its first pattern for block sequences). */
  range: Range;
  keyRange: Range;
}

/** One event of `on:`, with its filters. */
export interface WorkflowTrigger {
  /** `push`, `pull_request`, `workflow_dispatch`, `schedule`, ... */
  event: string;
  /** The event name as written. */
  range: Range;
  branches: PatternFilter | null;
  branchesIgnore: PatternFilter | null;
  tags: PatternFilter | null;
  tagsIgnore: PatternFilter | null;
  paths: PatternFilter | null;
  pathsIgnore: PatternFilter | null;
  /** Activity types (`types: [opened, synchronize]`). */
  types: WorkflowValue[];
  /** `schedule` entries' cron expressions. */
  crons: WorkflowValue[];
  /** Input names of `workflow_dispatch` / `workflow_call`. */
  inputs: string[];
}

/** The `on:` section. */
export interface WorkflowTriggers {
  keyRange: Range;
  events: WorkflowTrigger[];
}

/** A `permissions:` block (workflow or job level). */
export interface WorkflowPermissions {
  keyRange: Range;
  range: Range;
  /** `read-all` / `write-all` when given as a string. */
  all: 'read-all' | 'write-all' | null;
  /** Scope -> level (`contents: read`); empty for `permissions: {}`. */
  scopes: Map<string, WorkflowEntry>;
}

/** A `concurrency:` block (workflow or job level); the string form is a group. */
export interface WorkflowConcurrency {
  keyRange: Range;
  group: WorkflowValue | null;
  cancelInProgress: WorkflowValue | null;
}

/** How a `uses:` ref names its version. */
export type RefKind = 'sha' | 'tag' | 'branch';

/** A `uses:` value split into its parts. */
export interface ActionRef {
  /** As written. */
  raw: string;
  /** `action` (owner/repo[/path]@ref), `reusable-workflow` (a .github/workflows file), `local` (./path), `docker` (docker://image). */
  kind: 'action' | 'reusable-workflow' | 'local' | 'docker';
  owner: string | null;
  repo: string | null;
  /** Sub-path inside the repository (`init` in github/codeql-action/init@v4), or the local path. */
  path: string | null;
  /** `owner/repo`, lower-cased, for knowledge look-ups. */
  slug: string | null;
  ref: string | null;
  /**
   * `sha` for a full commit SHA, `tag` for version-like refs (`v4`, `v4.1.2`, `1.2.3`), `branch`
   * otherwise. Without network access a tag named like a branch (`latest`) cannot be told apart;
   * it is classed `branch`, which is the safer reading for pinning rules.
   */
  refKind: RefKind | null;
  /** Major version of a version-like ref, or of the `# vX.Y.Z` comment after a SHA. */
  major: number | null;
  /** The trailing comment on the `uses:` line (`v4.1.2` in `@<sha> # v4.1.2`). */
  comment: string | null;
  range: Range;
}

/** A `run:` body. */
export interface WorkflowRun {
  /** The body after YAML decoding (block indentation removed, folding applied). */
  text: string;
  /** The body parsed as shell (`${{ }}` blanked out, positions in the workflow file); null for non-POSIX shells. */
  shell: ShellScript | null;
  /** The shell the step runs with (`bash` by default on Linux runners). */
  shellName: string;
  /** `${{ ... }}` expressions inside the body, as written. */
  expressions: WorkflowValue[];
  /** The YAML scalar (for block scalars: from the `|` header to the end of the body). */
  range: Range;
}

/** One step of a job. */
export interface WorkflowStep {
  /** Position in the job, from 0. */
  index: number;
  id: WorkflowValue | null;
  name: WorkflowValue | null;
  if: WorkflowValue | null;
  uses: ActionRef | null;
  with: Map<string, WorkflowEntry>;
  run: WorkflowRun | null;
  env: Map<string, WorkflowEntry>;
  continueOnError: WorkflowValue | null;
  workingDirectory: WorkflowValue | null;
  /** The whole step mapping. */
  range: Range;
  /** How messages name the step: its name, id, uses or `step N`. */
  label: string;
}

/** One job. */
export interface WorkflowJob {
  id: string;
  idRange: Range;
  range: Range;
  name: WorkflowValue | null;
  if: WorkflowValue | null;
  runsOn: WorkflowValue[];
  needs: WorkflowValue[];
  permissions: WorkflowPermissions | null;
  concurrency: WorkflowConcurrency | null;
  timeoutMinutes: WorkflowValue | null;
  env: Map<string, WorkflowEntry>;
  /** A reusable workflow call (`jobs.<id>.uses`). */
  uses: ActionRef | null;
  with: Map<string, WorkflowEntry>;
  steps: WorkflowStep[];
}

/** A workflow file, parsed. */
export interface Workflow {
  path: string;
  text: string;
  lines: LineIndex;
  name: WorkflowValue | null;
  on: WorkflowTriggers | null;
  permissions: WorkflowPermissions | null;
  concurrency: WorkflowConcurrency | null;
  env: Map<string, WorkflowEntry>;
  jobs: WorkflowJob[];
  /** The top-level `jobs` key, when present. */
  jobsKeyRange: Range | null;
  comments: WorkflowComment[];
  problems: WorkflowProblem[];
  /** Plain scalars YAML readers disagree on or that do not read as written (see WorkflowValueTrap). */
  valueTraps: WorkflowValueTrap[];
}

/**
 * How many alias expansions a workflow may need before it counts as an alias bomb (a "billion
 * laughs" document: nested aliases that expand exponentially). The `yaml` package stops its own
 * conversion at this count; the model never expands aliases, it only follows each one it walks.
 */
export const MAX_ALIAS_COUNT = 100;

/** Parses workflow YAML; never throws. Needs `initShellParser()` to have run (discovery does it). */
export function parseWorkflow(path: string, text: string): Workflow {
  const lineCounter = new LineCounter();
  const lines = new LineIndex(text);
  const workflow: Workflow = {
    path,
    text,
    lines,
    name: null,
    on: null,
    permissions: null,
    concurrency: null,
    env: new Map(),
    jobs: [],
    jobsKeyRange: null,
    comments: [],
    problems: [],
    valueTraps: [],
  };
  // `uniqueKeys` stays on so duplicates are reported; the composer still keeps both pairs, and
  // the model uses the first one, as GitHub's own parser rejects the file anyway.
  // One CST parse serves both the composer and the comment reader (`readComments`). What follows
  // is `parseDocument` spelled out: it composes the first document and stops at the second, and
  // the line counter sees the lines up to that point, as it did when the two parsed separately.
  let composed = false;
  const tokens: CST.Token[] = [];
  const cst = new Parser((offset) => {
    if (!composed) {
      lineCounter.addNewLine(offset);
    }
  }).parse(text);
  const composer = new Composer({ lineCounter, prettyErrors: false });
  // Stepped by hand, not with for...of: when the composer stops early, closing this generator
  // must not close the CST one, whose remaining tokens the comment reader still needs.
  const recorded = function* (): Generator<CST.Token> {
    for (let step = cst.next(); step.done !== true; step = cst.next()) {
      tokens.push(step.value);
      yield step.value;
    }
  };
  let document: Document.Parsed | null = null;
  for (const next of composer.compose(recorded(), true, text.length)) {
    if (!document) {
      document = next;
    } else {
      document.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  composed = true;
  for (const token of cst) {
    tokens.push(token);
  }
  if (!document) {
    throw new Error('the yaml composer yields a document at the end of its input');
  }
  const reader = new Reader(text, lineCounter, workflow.problems, document);
  for (const error of document.errors) {
    // Errors found at the very end of the file (an unclosed bracket) point past the last line.
    const end = text.endsWith('\n') ? text.length - 1 : text.length;
    const start = Math.min(error.pos[0], end);
    let message = errorMessage(error.message);
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^["']?([^"':\n]+)/.exec(text.slice(start))?.[1]?.trim();
      message = key ? `duplicate key "${key}": GitHub rejects a mapping that gives a key twice` : message;
    }
    workflow.problems.push({
      kind: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
      message,
      range: reader.range(start, Math.max(Math.min(error.pos[1], end), start)),
    });
  }
  workflow.comments = readComments(tokens, lineCounter);
  checkAliases(document, reader, workflow.problems);
  workflow.valueTraps = readValueTraps(document, reader);

  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    workflow.problems.push({ kind: 'structure', message: 'workflow file is empty', range: reader.range(0, 0) });
    return workflow;
  }
  if (!isMap(root)) {
    workflow.problems.push({ kind: 'structure', message: 'workflow is not a mapping of keys (name, on, jobs)', range: reader.nodeRange(root) });
    return workflow;
  }

  const top = reader.entries(root);
  if (!top.has('on') && !top.has('jobs')) {
    // A dependabot.yml, a list of settings or another tool's config put under .github/workflows.
    workflow.problems.push({
      kind: 'structure',
      message: `file has neither "on" nor "jobs", so it is not a workflow (keys: ${[...top.keys()].slice(0, 5).map((key) => `"${key}"`).join(', ') || 'none'}); GitHub reports it as an invalid workflow`,
      range: reader.nodeRange(root.items[0]?.key as YamlNode | undefined),
    });
    return workflow;
  }
  workflow.name = reader.scalar(top.get('name')?.value);
  const on = top.get('on');
  if (on) {
    workflow.on = reader.triggers(on);
  } else {
    workflow.problems.push({ kind: 'structure', message: 'workflow has no "on" section, so no event runs it', range: reader.range(0, 0) });
  }
  const permissions = top.get('permissions');
  if (permissions) {
    workflow.permissions = reader.permissions(permissions);
  }
  const concurrency = top.get('concurrency');
  if (concurrency) {
    workflow.concurrency = reader.concurrency(concurrency);
  }
  workflow.env = reader.mapping(top.get('env')?.value);
  const defaultShell = reader.defaultShell(top.get('defaults')?.value);

  const jobs = top.get('jobs');
  workflow.jobsKeyRange = jobs ? jobs.keyRange : null;
  if (!jobs) {
    workflow.problems.push({ kind: 'structure', message: 'workflow has no "jobs" section', range: reader.range(0, 0) });
  } else if (!isMap(jobs.value)) {
    workflow.problems.push({ kind: 'structure', message: '"jobs" is not a mapping of job ids to jobs', range: reader.nodeRange(jobs.key) });
  } else {
    for (const [id, pair] of reader.entries(jobs.value)) {
      workflow.jobs.push(reader.job(id, pair, defaultShell));
    }
  }
  return workflow;
}

/** The first line of a `yaml` error message, without its position suffix (the finding carries it). */
function errorMessage(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Comment tokens from the YAML CST (a `#` inside a block scalar is text, not a comment). */
function readComments(tokens: readonly CST.Token[], lineCounter: LineCounter): WorkflowComment[] {
  const comments: WorkflowComment[] = [];
  const seen = new Set<number>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') {
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        visit(item);
      }
      return;
    }
    const token = value as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      if (!seen.has(token.offset)) {
        seen.add(token.offset);
        comments.push({ line: lineCounter.linePos(token.offset).line, text: token.source.replace(/^#\s?/, '').trimEnd() });
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'source') {
        visit(child);
      }
    }
  };
  for (const token of tokens) {
    visit(token);
  }
  return comments.sort((a, b) => a.line - b.line);
}

/** What a `key: value` pair of a mapping gives the reader. */
interface KeyedPair {
  key: YamlNode | null;
  value: YamlNode | null;
  keyRange: Range;
}

const VERSION_REF = /^v?(\d+)(\.\d+)*([-+.][0-9A-Za-z.-]*)?$/;
const SHA_REF = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** Reads nodes into the model, turning offsets into positions and odd shapes into problems. */
class Reader {
  /** Aliases followed so far; past MAX_ALIAS_COUNT * 10 the rest read as missing (the bomb is already reported). */
  private aliasesFollowed = 0;

  constructor(
    private readonly text: string,
    private readonly lineCounter: LineCounter,
    private readonly problems: WorkflowProblem[],
    private readonly document: Document,
  ) {}

  /**
   * The node an alias stands for (GitHub reads anchors and aliases since 2025-09-18, merge keys
   * excepted). Each alias is followed where the model walks, never expanded as a whole, so the
   * work stays linear in the file; the cap guards against documents built to make it otherwise.
   */
  deref(node: unknown): YamlNode | null {
    let current = node;
    for (let hops = 0; isAlias(current); hops++) {
      this.aliasesFollowed += 1;
      if (hops > 32 || this.aliasesFollowed > MAX_ALIAS_COUNT * 10) {
        return null;
      }
      current = current.resolve(this.document) ?? null;
    }
    return (current as YamlNode | null | undefined) ?? null;
  }

  position(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  nodeRange(node: YamlNode | null | undefined): Range {
    const range = node?.range;
    return range ? this.range(range[0], range[1]) : this.range(0, 0);
  }

  /** A mapping's entries by key (first one wins on duplicates), keys read as strings. */
  entries(map: YAMLMap): Map<string, KeyedPair> {
    const result = new Map<string, KeyedPair>();
    for (const pair of map.items as Pair<unknown, unknown>[]) {
      const key = pair.key as YamlNode | null;
      const name = this.keyName(key);
      if (name === null || result.has(name)) {
        continue;
      }
      result.set(name, { key, value: this.deref(pair.value), keyRange: this.nodeRange(key) });
    }
    return result;
  }

  /**
   * A key as a string. Under a `%YAML 1.1` directive the plain key `on` (also `yes`, `off`, ...)
   * is read as a boolean; GitHub means the trigger key, so the source text is used and the trap
   * is recorded (other YAML 1.1 tools, such as PyYAML, would see `True:` instead of `on:`).
   */
  private keyName(key: YamlNode | null): string | null {
    if (!key || !isScalar(key)) {
      return key ? String((key as { toString(): string }).toString()) : null;
    }
    if (typeof key.value === 'string') {
      return key.value;
    }
    const source = (key as Scalar & { source?: string }).source;
    if (typeof key.value === 'boolean' && typeof source === 'string' && /^(on|off|yes|no|y|n)$/i.test(source)) {
      this.problems.push({
        kind: 'yaml-1.1',
        message: `key "${source}" is read as boolean ${String(key.value)} under YAML 1.1; quote it ("${source}") or drop the %YAML 1.1 directive`,
        range: this.nodeRange(key),
      });
      return source;
    }
    return source ?? String(key.value);
  }

  /** A scalar node as a string value with its range; null for missing or non-scalar nodes. */
  scalar(input: YamlNode | null | undefined): WorkflowValue | null {
    const node = this.deref(input);
    if (!node || !isScalar(node)) {
      return null;
    }
    return { value: scalarText(node), range: this.nodeRange(node) };
  }

  /** A mapping of scalars (`with:`, `env:`); non-scalar values are kept as their YAML text. */
  mapping(node: YamlNode | null | undefined): Map<string, WorkflowEntry> {
    const result = new Map<string, WorkflowEntry>();
    if (!node || !isMap(node)) {
      return result;
    }
    for (const [key, pair] of this.entries(node)) {
      const value = pair.value;
      const text = value === null ? '' : isScalar(value) ? scalarText(value) : String(value);
      result.set(key, { key, keyRange: pair.keyRange, value: text, range: value ? this.nodeRange(value) : pair.keyRange });
    }
    return result;
  }

  /** A scalar or a sequence of scalars, as a list. */
  list(node: YamlNode | null | undefined): WorkflowValue[] {
    if (!node) {
      return [];
    }
    if (isSeq(node)) {
      return node.items.map((item) => this.scalar(this.deref(item))).filter((item): item is WorkflowValue => item !== null);
    }
    const one = this.scalar(node);
    return one && one.value !== '' ? [one] : [];
  }

  triggers(pair: KeyedPair): WorkflowTriggers {
    const triggers: WorkflowTriggers = { keyRange: pair.keyRange, events: [] };
    const node = pair.value;
    if (!node) {
      this.problems.push({ kind: 'structure', message: '"on" has no events', range: pair.keyRange });
      return triggers;
    }
    if (isScalar(node) || isSeq(node)) {
      for (const item of this.list(node)) {
        triggers.events.push(emptyTrigger(item.value, item.range));
      }
      return triggers;
    }
    if (!isMap(node)) {
      this.problems.push({ kind: 'structure', message: '"on" is not an event name, a list or a mapping of events', range: this.nodeRange(node) });
      return triggers;
    }
    for (const [event, entry] of this.entries(node)) {
      const trigger = emptyTrigger(event, entry.keyRange);
      const body = entry.value;
      if (event === 'schedule' && body && isSeq(body)) {
        for (const item of body.items) {
          if (isMap(item)) {
            const cron = this.scalar(this.entries(item).get('cron')?.value);
            if (cron) {
              trigger.crons.push(cron);
            }
          }
        }
      } else if (body && isMap(body)) {
        const fields = this.entries(body);
        trigger.branches = this.filter(fields.get('branches'));
        trigger.branchesIgnore = this.filter(fields.get('branches-ignore'));
        trigger.tags = this.filter(fields.get('tags'));
        trigger.tagsIgnore = this.filter(fields.get('tags-ignore'));
        trigger.paths = this.filter(fields.get('paths'));
        trigger.pathsIgnore = this.filter(fields.get('paths-ignore'));
        trigger.types = this.list(fields.get('types')?.value);
        const inputs = fields.get('inputs')?.value;
        if (inputs && isMap(inputs)) {
          trigger.inputs = [...this.entries(inputs).keys()];
        }
      }
      triggers.events.push(trigger);
    }
    return triggers;
  }

  private filter(pair: KeyedPair | undefined): PatternFilter | null {
    if (!pair) {
      return null;
    }
    const patterns = this.list(pair.value);
    const first = patterns[0];
    const range = pair.value && isSeq(pair.value) && first && !pair.value.flow ? first.range : pair.value ? this.nodeRange(pair.value) : pair.keyRange;
    return { patterns, range, keyRange: pair.keyRange };
  }

  permissions(pair: KeyedPair): WorkflowPermissions {
    const node = pair.value;
    const permissions: WorkflowPermissions = { keyRange: pair.keyRange, range: node ? this.nodeRange(node) : pair.keyRange, all: null, scopes: new Map() };
    if (node && isScalar(node)) {
      const value = String(node.value ?? '');
      if (value === 'read-all' || value === 'write-all') {
        permissions.all = value;
      } else {
        this.problems.push({ kind: 'structure', message: `permissions value "${value}" is not read-all, write-all or a mapping of scopes`, range: this.nodeRange(node) });
      }
    } else if (node && isMap(node)) {
      permissions.scopes = this.mapping(node);
    }
    return permissions;
  }

  concurrency(pair: KeyedPair): WorkflowConcurrency {
    const node = pair.value;
    if (node && isMap(node)) {
      const fields = this.entries(node);
      return {
        keyRange: pair.keyRange,
        group: this.scalar(fields.get('group')?.value),
        cancelInProgress: this.scalar(fields.get('cancel-in-progress')?.value),
      };
    }
    return { keyRange: pair.keyRange, group: this.scalar(node), cancelInProgress: null };
  }

  /** `defaults.run.shell`, when set. */
  defaultShell(node: YamlNode | null | undefined): string | null {
    if (!node || !isMap(node)) {
      return null;
    }
    const run = this.entries(node).get('run')?.value;
    if (!run || !isMap(run)) {
      return null;
    }
    return this.scalar(this.entries(run).get('shell')?.value)?.value ?? null;
  }

  job(id: string, pair: KeyedPair, workflowShell: string | null): WorkflowJob {
    const node = pair.value;
    const job: WorkflowJob = {
      id,
      idRange: pair.keyRange,
      range: node ? this.nodeRange(node) : pair.keyRange,
      name: null,
      if: null,
      runsOn: [],
      needs: [],
      permissions: null,
      concurrency: null,
      timeoutMinutes: null,
      env: new Map(),
      uses: null,
      with: new Map(),
      steps: [],
    };
    if (!node || !isMap(node)) {
      this.problems.push({ kind: 'structure', message: `job "${id}" is not a mapping`, range: pair.keyRange });
      return job;
    }
    const fields = this.entries(node);
    job.name = this.scalar(fields.get('name')?.value);
    job.if = this.scalar(fields.get('if')?.value);
    const runsOn = fields.get('runs-on')?.value;
    job.runsOn = runsOn && isMap(runsOn) ? this.list(this.entries(runsOn).get('labels')?.value) : this.list(runsOn);
    job.needs = this.list(fields.get('needs')?.value);
    const permissions = fields.get('permissions');
    job.permissions = permissions ? this.permissions(permissions) : null;
    const concurrency = fields.get('concurrency');
    job.concurrency = concurrency ? this.concurrency(concurrency) : null;
    job.timeoutMinutes = this.scalar(fields.get('timeout-minutes')?.value);
    job.env = this.mapping(fields.get('env')?.value);
    job.with = this.mapping(fields.get('with')?.value);
    const uses = this.scalar(fields.get('uses')?.value);
    job.uses = uses ? splitUses(uses, null) : null;

    // GitHub runs `run:` with bash on Linux and macOS runners, with pwsh on Windows runners.
    const windows = job.runsOn.some((label) => /windows/i.test(label.value));
    const shell = this.defaultShell(fields.get('defaults')?.value) ?? workflowShell ?? (windows ? 'pwsh' : 'bash');

    const steps = fields.get('steps');
    if (steps && !isSeq(steps.value)) {
      this.problems.push({ kind: 'structure', message: `steps of job "${id}" are not a list`, range: steps.keyRange });
    } else if (steps && isSeq(steps.value)) {
      steps.value.items.forEach((item, index) => {
        job.steps.push(this.step(this.deref(item), index, id, shell));
      });
    }
    return job;
  }

  step(node: YamlNode | null, index: number, jobId: string, jobShell: string): WorkflowStep {
    const step: WorkflowStep = {
      index,
      id: null,
      name: null,
      if: null,
      uses: null,
      with: new Map(),
      run: null,
      env: new Map(),
      continueOnError: null,
      workingDirectory: null,
      range: this.nodeRange(node),
      label: `step ${index + 1}`,
    };
    if (!node || !isMap(node)) {
      this.problems.push({ kind: 'structure', message: `step ${index + 1} of job "${jobId}" is not a mapping`, range: this.nodeRange(node) });
      return step;
    }
    const fields = this.entries(node);
    step.id = this.scalar(fields.get('id')?.value);
    step.name = this.scalar(fields.get('name')?.value);
    step.if = this.scalar(fields.get('if')?.value);
    const usesNode = fields.get('uses')?.value;
    const uses = this.scalar(usesNode);
    if (uses) {
      const comment = usesNode && isScalar(usesNode) && typeof usesNode.comment === 'string' ? usesNode.comment.trim() : null;
      step.uses = splitUses(uses, comment);
    }
    step.with = this.mapping(fields.get('with')?.value);
    step.env = this.mapping(fields.get('env')?.value);
    step.continueOnError = this.scalar(fields.get('continue-on-error')?.value);
    step.workingDirectory = this.scalar(fields.get('working-directory')?.value);
    const runNode = fields.get('run')?.value;
    if (runNode && isScalar(runNode)) {
      const shellName = this.scalar(fields.get('shell')?.value)?.value ?? jobShell;
      step.run = this.run(runNode, shellName);
    }
    step.label = step.name?.value ?? step.id?.value ?? step.uses?.raw ?? step.label;
    return step;
  }

  run(node: Scalar, shellName: string): WorkflowRun {
    const text = node.value === null ? '' : String(node.value);
    const expressions: WorkflowValue[] = [];
    const offsets = scalarOffsets(this.text, node, text);
    const toFile = (offset: number): number => offsets[Math.min(Math.max(offset, 0), text.length)] ?? 0;
    for (const match of text.matchAll(/\$\{\{[\s\S]*?\}\}/g)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      expressions.push({ value: match[0], range: this.range(toFile(start), toFile(end - 1) + 1) });
    }
    const program = (shellName.trim().split(/\s+/)[0] ?? '').split('/').pop() ?? '';
    let shell: ShellScript | null = null;
    if (program === 'bash' || program === 'sh') {
      // `${{ }}` is expanded by the runner before the shell sees the body; tree-sitter would read
      // `${{` as a broken parameter expansion. Same-length `$___` placeholders keep positions and
      // make the word dynamic (its value depends on the run), like actionlint does for shellcheck.
      const blanked = text.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => `$${expression.slice(1).replace(/[^\n]/g, '_')}`);
      const bodyLines = new LineIndex(blanked);
      const map: PositionMap = (position) => this.position(toFile(bodyLines.offsetAt(position)));
      shell = parseShell(blanked, { dialect: program === 'sh' ? 'sh' : 'bash', map });
    }
    return { text, shell, shellName, expressions, range: this.nodeRange(node) };
  }
}

/**
 * A scalar as the workflow author wrote it: strings as decoded, other plain scalars by their source
 * text. GitHub itself reads `python-version: 3.10` as the number 3.1 and passes "3.1" on
 * (actions/setup-python#160, #482); the model keeps what the author meant, and `valueTraps` records
 * the difference for `workflow/yaml-1.1-trap`.
 */
function scalarText(node: Scalar): string {
  if (node.value === null || node.value === undefined) {
    return '';
  }
  if (typeof node.value === 'string') {
    return node.value;
  }
  const source = (node as Scalar & { source?: unknown }).source;
  return typeof source === 'string' ? source : String(node.value);
}

function emptyTrigger(event: string, range: Range): WorkflowTrigger {
  return {
    event,
    range,
    branches: null,
    branchesIgnore: null,
    tags: null,
    tagsIgnore: null,
    paths: null,
    pathsIgnore: null,
    types: [],
    crons: [],
    inputs: [],
  };
}

/**
 * Splits a `uses:` value: `owner/repo[/path]@ref`, `./local/path`, `docker://image`. A path that
 * ends in a workflow file under .github/workflows is a reusable workflow call.
 */
export function splitUses(uses: WorkflowValue, comment: string | null): ActionRef {
  const raw = uses.value.trim();
  const base: ActionRef = { raw, kind: 'action', owner: null, repo: null, path: null, slug: null, ref: null, refKind: null, major: null, comment, range: uses.range };
  if (raw.startsWith('docker://')) {
    return { ...base, kind: 'docker', path: raw.slice('docker://'.length) };
  }
  if (raw.startsWith('./') || raw.startsWith('../')) {
    return { ...base, kind: 'local', path: raw };
  }
  const at = raw.lastIndexOf('@');
  const target = at >= 0 ? raw.slice(0, at) : raw;
  const ref = at >= 0 ? raw.slice(at + 1) : null;
  const [owner = null, repo = null, ...rest] = target.split('/');
  const path = rest.length > 0 ? rest.join('/') : null;
  const refKind: RefKind | null = ref === null || ref === '' ? null : SHA_REF.test(ref) ? 'sha' : VERSION_REF.test(ref) ? 'tag' : 'branch';
  let major: number | null = null;
  if (refKind === 'tag' && ref) {
    major = Number(VERSION_REF.exec(ref)?.[1]);
  } else if (refKind === 'sha' && comment) {
    // `@<sha> # v4.1.2` (Dependabot/Renovate style): the comment names the version the SHA is.
    const version = /\bv?(\d+)(\.\d+)*\b/.exec(comment);
    major = version ? Number(version[1]) : null;
  }
  const kind = path !== null && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) ? 'reusable-workflow' : 'action';
  return {
    ...base,
    kind,
    owner,
    repo,
    path,
    slug: owner && repo ? `${owner}/${repo}`.toLowerCase() : null,
    ref,
    refKind,
    major: Number.isFinite(major) ? major : null,
  };
}

/**
 * Maps each offset of a scalar's decoded value to an offset in the file (one more entry for the
 * end of the value). The decoded value differs from the source by indentation (block scalars),
 * folding (`>` and multi-line plain or quoted scalars turn a line break into a space or drop it)
 * and escapes (double quotes). One walk aligns the two: equal characters map to each other, a
 * folded space maps to the line break it replaced, a double-quoted escape maps to its backslash,
 * and source characters with no counterpart (indentation, quotes, dropped breaks) are skipped.
 * For literal block scalars (`run: |`) this is exact line by line; elsewhere it is exact for every
 * character that is not whitespace at a line start, which is what shell positions need.
 */
export function scalarOffsets(text: string, node: Scalar, value: string): number[] {
  const range = node.range;
  const offsets: number[] = new Array<number>(value.length + 1).fill(0);
  if (!range) {
    return offsets;
  }
  let j = range[0];
  const end = Math.max(range[1], range[0]);
  const style = node.type;
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') {
    // Skip the header (`|`, `>-`, `|2`, and a comment after it) up to its line break.
    const newline = text.indexOf('\n', j);
    j = newline < 0 || newline >= end ? end : newline + 1;
  } else if (style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE') {
    j += 1;
  }
  const doubleQuoted = style === 'QUOTE_DOUBLE';
  let last = j;
  for (let i = 0; i < value.length; i++) {
    const want = value[i];
    let found = -1;
    let width = 1;
    while (j < end) {
      const have = text[j];
      if (doubleQuoted && have === '\\' && j + 1 < end) {
        const escaped = decodeEscape(text, j);
        if (escaped && escaped.char === want) {
          found = j;
          width = escaped.width;
          break;
        }
      }
      if (want === '\n' && have === '\r' && text[j + 1] === '\n') {
        // A CRLF break decodes to `\n`; map it to the `\r` so a word's end stops before it.
        found = j;
        width = 2;
        break;
      }
      if (have === want || (want === ' ' && (have === '\n' || have === '\r'))) {
        found = j;
        break;
      }
      j += 1;
    }
    if (found < 0) {
      // The value holds something the source does not show as written; keep the last position.
      offsets[i] = last;
      continue;
    }
    offsets[i] = found;
    last = found;
    j = found + width;
  }
  offsets[value.length] = value.length > 0 ? (offsets[value.length - 1] ?? last) + 1 : j;
  return offsets;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

/** Decodes the double-quoted escape at `offset` (which holds a backslash). */
function decodeEscape(text: string, offset: number): { char: string; width: number } | null {
  const next = text[offset + 1] ?? '';
  const simple = ESCAPES[next];
  if (simple !== undefined) {
    return { char: simple, width: 2 };
  }
  const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const hex = text.slice(offset + 2, offset + 2 + hexLength);
    if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength) {
      return { char: String.fromCodePoint(parseInt(hex, 16)), width: 2 + hexLength };
    }
  }
  return null;
}

/** The trigger for `event`, if the workflow has it. */
export function findTrigger(workflow: Workflow, event: string): WorkflowTrigger | undefined {
  return workflow.on?.events.find((trigger) => trigger.event === event);
}

/**
 * Reports alias bombs and merge keys. The `yaml` package's own conversion counts alias expansions
 * and gives up past `maxAliasCount`; running it once tells a billion-laughs document apart from a
 * workflow that reuses a few anchors, in time linear in the file. Merge keys (`<<: *defaults`)
 * are YAML 1.1 only and GitHub does not support them.
 */
function checkAliases(document: Document, reader: Reader, problems: WorkflowProblem[]): void {
  let first: YamlNode | null = null;
  let merge: YamlNode | null = null;
  visit(document, {
    Alias(_key, node) {
      first ??= node as unknown as YamlNode;
    },
    Pair(_key, pair) {
      const key = pair.key;
      if (merge === null && isScalar(key) && key.value === '<<' && isAlias(pair.value)) {
        merge = key as YamlNode;
      }
    },
  });
  if (merge !== null) {
    problems.push({ kind: 'alias', message: 'merge key "<<" is not supported by GitHub Actions (anchors and aliases are, merge keys are not); repeat the keys instead', range: reader.nodeRange(merge) });
  }
  if (first === null) {
    return;
  }
  try {
    document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (/alias/i.test((error as Error).message)) {
      problems.push({
        kind: 'alias',
        message: `aliases expand to more than ${MAX_ALIAS_COUNT} copies (a YAML alias bomb); GitHub rejects such a file, and baseimg reads it without expanding them`,
        range: reader.nodeRange(first),
      });
    }
  }
}

/** Where a plain number does not read back as written: `3.10` is 3.1, `010` is 10 (8 in YAML 1.1), `1e3` is 1000. */
const NUMBER_TRAP = /^[-+]?(\d+\.\d*0|0\d+|\d+(\.\d+)?[eE][-+]?\d+)$/;
/** Keys whose values GitHub uses as numbers, where `10.0` reading as 10 changes nothing. */
const NUMERIC_KEYS = new Set(['timeout-minutes', 'max-parallel', 'retention-days', 'fetch-depth', 'compression-level', 'days-before-stale', 'days-before-close']);
const BOOLEAN_TRAP = /^(yes|no|on|off|y|n)$/i;

/** Plain scalars in value position that read as something else than written (see WorkflowValueTrap). */
function readValueTraps(document: Document, reader: Reader): WorkflowValueTrap[] {
  const traps: WorkflowValueTrap[] = [];
  visit(document, {
    Scalar(key, node, path) {
      if (key === 'key' || node.type !== 'PLAIN') {
        return;
      }
      const source = (node as Scalar & { source?: unknown }).source;
      if (typeof source !== 'string') {
        return;
      }
      // The key a value belongs to: the nearest Pair up the path (list items take their list's key).
      let owner = '';
      for (let i = path.length - 1; i >= 0; i--) {
        const ancestor = path[i];
        if (ancestor && typeof ancestor === 'object' && 'key' in ancestor && 'value' in ancestor && !isMap(ancestor) && !isSeq(ancestor)) {
          const pairKey = (ancestor as Pair).key;
          owner = isScalar(pairKey) ? String(pairKey.value) : '';
          break;
        }
      }
      if (typeof node.value === 'number' && NUMBER_TRAP.test(source) && String(node.value) !== source && !NUMERIC_KEYS.has(owner)) {
        traps.push({ kind: 'number', source, read: String(node.value), key: owner, range: reader.nodeRange(node as YamlNode) });
      } else if (typeof node.value === 'string' && BOOLEAN_TRAP.test(source)) {
        traps.push({ kind: 'boolean', source, read: String(/^(yes|on|y)$/i.test(source)), key: owner, range: reader.nodeRange(node as YamlNode) });
      }
    },
  });
  return traps;
}
