/**
 * `review()`: the static review as a library function. Discovery builds the model, rules run over
 * it, ShellCheck runs over every shell body, suppressions apply, and the result is sorted and
 * deduplicated so that every renderer sees the same stable list.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadKnowledge } from './knowledge/index.js';
import { lineRange, type LineIndex, type Range } from './parse/locations.js';
import { AUTOMATIC_PLATFORM_ARGS } from './parse/dockerfile.js';
import { checkRuleIds } from './repo/config.js';
import { discover } from './repo/discover.js';
import type { ImageFamily, Repo } from './repo/repo.js';
import { compareFindings, type Finding } from './rules/finding.js';
import { RULES } from './rules/registry.js';
import type { Rule } from './rules/rule.js';
import { activeRules, runRules } from './rules/run.js';
import { applySuppressions } from './rules/suppress.js';
import * as actionlint from './tools/actionlint.js';
import * as shellcheck from './tools/shellcheck.js';

/** Options for `review`. */
export interface ReviewOptions {
  /** The repository to review. */
  path: string;
  /** An explicit config file; default: baseimg.config.{json,yaml,yml} at the root. */
  configPath?: string;
  /** `auto` runs ShellCheck when installed; `require` makes its absence an error; `off` skips it. */
  shellcheck?: 'auto' | 'require' | 'off';
  /**
   * The embedded actionlint (workflow/actionlint): `auto` runs it when its package loads,
   * `require` makes a failure to load an error, `off` skips it. BASEIMG_REQUIRE_ACTIONLINT=1 means `require`.
   */
  actionlint?: 'auto' | 'require' | 'off';
  /** The date EOL facts are compared with (`YYYY-MM-DD`); default today. */
  today?: string;
  /** The rules to run; default the whole registry. */
  rules?: readonly Rule[];
  /**
   * Keep ShellCheck results of RUN bodies between runs (default on; BASEIMG_NO_CACHE=1 turns it
   * off). Stored under BASEIMG_CACHE_DIR, else $XDG_CACHE_HOME/baseimg, else ~/.cache/baseimg.
   */
  cache?: boolean;
  /** Texts that stand in for files on disk (relative path -> text); see `DiscoverOptions.overlay`. */
  overlay?: ReadonlyMap<string, string>;
}

/** Where cached tool results live, or null when caching is off. */
export function cacheDir(enabled: boolean | undefined): string | null {
  if (enabled === false || (enabled === undefined && process.env.BASEIMG_NO_CACHE === '1')) {
    return null;
  }
  return process.env.BASEIMG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'baseimg');
}

/** What a review found, with what renderers need to describe it. */
export interface ReviewResult {
  root: string;
  findings: Finding[];
  /** Every rule that could have reported (for SARIF's rule table and the docs). */
  rules: readonly Rule[];
  families: ImageFamily[];
  counts: { dockerfiles: number; scripts: number; workflows: number; requirements: number };
  tools: { shellcheck: { version: string } | null; actionlint?: { version: string } | null };
}

/** Reviews a repository. Throws `UsageError` for a missing path and `InputError` for a bad config. */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const root = resolve(options.path);
  const rules = options.rules ?? RULES;
  const actionlintMode = options.actionlint ?? (process.env.BASEIMG_REQUIRE_ACTIONLINT === '1' ? 'require' : 'auto');
  if (actionlintMode !== 'off' && rules.some((rule) => rule.id === 'workflow/actionlint') && existsSync(join(root, '.github', 'workflows'))) {
    // Loading actionlint takes ~250 ms of one core; discovery leaves the other core idle.
    actionlint.warmUp();
  }
  const repo = await discover(root, {
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.overlay ? { overlay: options.overlay } : {}),
  });
  // Suppressions and config may name any rule baseimg has, also when a caller runs only some.
  const catalog = [...rules, ...RULES.filter((rule) => !rules.some((chosen) => chosen.id === rule.id))];
  checkRuleIds(repo.config, repo.configFile, new Set(catalog.map((rule) => rule.id)));
  const knowledge = loadKnowledge(options.today);
  const active = activeRules(rules, repo.config);
  const enabled = new Set(active.map((entry) => entry.rule.id));

  // ShellCheck runs in child processes while the rules run here; see tools/shellcheck.ts.
  const mode = options.shellcheck ?? (process.env.BASEIMG_REQUIRE_SHELLCHECK === '1' ? 'require' : 'auto');
  const checker = mode !== 'off' && enabled.has('shell/shellcheck') ? await startShellcheck(repo, root, cacheDir(options.cache)) : null;
  // actionlint runs in a worker thread meanwhile; see tools/actionlint.ts.
  const linter = actionlintMode !== 'off' && enabled.has('workflow/actionlint') && repo.workflows.length > 0
    ? { job: actionlint.run(repo.workflows.map((workflow) => ({ file: workflow.path, text: workflow.text }))), labels: actionlint.readSelfHostedLabels(root) }
    : null;

  const findings: Finding[] = runRules(repo, active, knowledge);
  for (const problem of repo.problems) {
    if (enabled.has(problem.ruleId)) {
      findings.push({ ruleId: problem.ruleId, severity: severityOf(active, problem.ruleId), message: problem.message, file: problem.file, range: problem.range });
    }
  }

  let shellcheckVersion: { version: string } | null = null;
  let shellcheckRan = false;
  if (checker) {
    const unavailable = (reason: string): void => {
      const first = checker.units[0];
      if (first && enabled.has('review/tool-unavailable')) {
        findings.push({
          ruleId: 'review/tool-unavailable',
          severity: mode === 'require' ? 'error' : severityOf(active, 'review/tool-unavailable'),
          message: mode === 'require'
            ? `${reason}; shell/shellcheck is required (BASEIMG_REQUIRE_SHELLCHECK=1) and could not run`
            : `${reason}; shell/shellcheck skipped`,
          file: first.file,
          range: lineRange(1),
        });
      }
    };
    if (!checker.tool) {
      unavailable('shellcheck not found on PATH');
    } else {
      shellcheckVersion = { version: checker.tool.version };
      let scFindings: shellcheck.ShellcheckFinding[] | null = null;
      try {
        scFindings = await checker.job;
      } catch (error) {
        // A ShellCheck that crashes or prints something else is a missing checker, not a failed review.
        unavailable(`shellcheck ${checker.tool.version} failed (${error instanceof Error ? error.message : String(error)})`);
      }
      if (scFindings) {
        shellcheckRan = true;
        const scSeverity = severityOf(active, 'shell/shellcheck');
        const overridden = scSeverity !== 'warning';
        const lines = fileLines(repo);
        for (const finding of scFindings) {
          findings.push({
            ruleId: 'shell/shellcheck',
            severity: overridden ? scSeverity : finding.severity,
            // ShellCheck writes sentences; baseimg messages end without a period.
            message: `${finding.code}: ${finding.message.replace(/\.$/, '')}`,
            file: finding.file,
            range: clampToUnit(finding.range, finding.unit, lines.get(finding.file)),
            code: finding.code,
          });
        }
        dropUnconfirmedParseErrors(findings, scFindings);
      }
    }
  }

  const actionlintRun = linter ? await collectActionlint(linter, repo, knowledge, active, enabled, actionlintMode, findings) : null;

  const kept = applySuppressions(findings, repo, {
    catalog,
    severityOf: (ruleId) => active.find((entry) => entry.rule.id === ruleId)?.severity ?? null,
    // Without a ShellCheck run nobody can tell whether a ShellCheck suppression is still needed.
    unjudged: new Set([...(shellcheckRan ? [] : ['shell/shellcheck']), ...(actionlintRun ? [] : ['workflow/actionlint'])]),
  });
  return {
    root,
    findings: sortAndDedupe(kept),
    rules,
    families: repo.families,
    counts: {
      dockerfiles: repo.dockerfiles.length,
      scripts: repo.scripts.length,
      workflows: repo.workflows.length,
      requirements: repo.requirements.length,
    },
    tools: { shellcheck: shellcheckVersion, actionlint: actionlintRun },
  };
}

/**
 * Waits for actionlint and turns what it said into findings: its errors that `judge` keeps under
 * workflow/actionlint (code = actionlint's kind), a file it crashed on as one info finding at line
 * 1, and a module that does not load as review/tool-unavailable. Returns the version that ran, or
 * null when it did not run.
 */
async function collectActionlint(
  linter: { job: actionlint.ActionlintJob; labels: Promise<string[]> },
  repo: Repo,
  knowledge: ReturnType<typeof loadKnowledge>,
  active: ReturnType<typeof activeRules>,
  enabled: Set<string>,
  mode: 'auto' | 'require' | 'off',
  findings: Finding[],
): Promise<{ version: string } | null> {
  let ran: actionlint.ActionlintRun;
  try {
    ran = await linter.job.done;
  } catch (error) {
    const first = repo.workflows[0];
    if (first && enabled.has('review/tool-unavailable')) {
      const reason = `actionlint (embedded WebAssembly build) could not run (${error instanceof Error ? error.message : String(error)})`;
      findings.push({
        ruleId: 'review/tool-unavailable',
        severity: mode === 'require' ? 'error' : severityOf(active, 'review/tool-unavailable'),
        message: mode === 'require' ? `${reason}; workflow/actionlint is required (BASEIMG_REQUIRE_ACTIONLINT=1) and could not run` : `${reason}; workflow/actionlint skipped`,
        file: first.path,
        range: lineRange(1),
      });
    }
    return null;
  }
  const { version, results } = ran;
  const selfHostedLabels = await linter.labels;
  // Per-kind severities apply unless the config gives the rule a severity of its own.
  const entry = active.find((candidate) => candidate.rule.id === 'workflow/actionlint');
  const severity = entry?.severity ?? 'warning';
  const overridden = entry !== undefined && entry.severity !== entry.rule.meta.severity;
  for (const result of results) {
    const workflow = repo.workflows.find((entry) => entry.path === result.file);
    if (!workflow) {
      continue;
    }
    if (result.crash !== null) {
      // Never drop silently: the file was not linted, and the reason may be in the file.
      findings.push({
        ruleId: 'workflow/actionlint',
        severity: overridden ? severity : 'info',
        message: `actionlint ${version} crashed on this file (${result.crash}); it was not checked by actionlint`,
        file: workflow.path,
        range: lineRange(1),
        code: 'crash',
      });
      continue;
    }
    const { kept } = actionlint.judge(result.errors, { workflow: workflow.model, knowledge, selfHostedLabels, parseErrorEnabled: enabled.has('workflow/parse-error') });
    for (const error of kept) {
      const line = Math.min(error.line, workflow.model.lines.lineCount);
      findings.push({
        ruleId: 'workflow/actionlint',
        severity: overridden ? severity : actionlint.severityOfKind(error.kind),
        message: `${error.kind}: ${error.message.replace(/\.$/, '')}`,
        file: workflow.path,
        range: { start: { line, column: error.column }, end: { line, column: error.column } },
        code: error.kind,
      });
    }
  }
  return { version };
}

/** Finds ShellCheck and starts it over every shell body; `job` settles with its findings. */
async function startShellcheck(repo: Repo, root: string, cache: string | null): Promise<{
  units: shellcheck.ShellUnit[];
  tool: { path: string; version: string } | null;
  job: Promise<shellcheck.ShellcheckFinding[]>;
}> {
  const units = shellUnits(repo);
  const tool = units.length > 0 ? await shellcheck.detect() : null;
  if (!tool) {
    return { units, tool, job: Promise.resolve([]) };
  }
  let job: Promise<shellcheck.ShellcheckFinding[]>;
  try {
    job = (await shellcheck.start(units, {
      cwd: root,
      program: tool.path,
      version: tool.version,
      cacheDir: cache,
      ...(repo.config.shellcheck?.exclude ? { exclude: repo.config.shellcheck.exclude } : {}),
      ...(repo.config.shellcheck?.severity ? { minLevel: repo.config.shellcheck.severity } : {}),
    })).done;
  } catch (error) {
    job = Promise.reject(error);
  }
  // Handled where it is awaited; this keeps Node from reporting it as unhandled meanwhile.
  job.catch(() => undefined);
  return { units, tool, job };
}

function severityOf(active: ReturnType<typeof activeRules>, ruleId: string): Finding['severity'] {
  return active.find((entry) => entry.rule.id === ruleId)?.severity ?? 'warning';
}

// Placeholders for `${{ }}` make some checks fire on text the runner replaces: SC2050/SC2194/SC2043
// (constant expression, word or loop), SC2157 (argument to -z/-n always false). SC2153 (possible
// misspelling) misreads the runner's own variables next to `env:` names. actionlint disables the same
// set for the same reasons (docs/checks.md, "shellcheck integration"; SC2153 since v1.7.11).
const WORKFLOW_RUN_EXCLUDES = ['SC2050', 'SC2194', 'SC2043', 'SC2157', 'SC2153'];

/** Every shell body ShellCheck should see: script files in place, RUN and `run:` bodies through their text. */
function shellUnits(repo: Repo): shellcheck.ShellUnit[] {
  const units: shellcheck.ShellUnit[] = [];
  for (const script of repo.scripts) {
    units.push({
      file: script.path,
      text: null,
      // A word `source` or `.` in command position means the script may read another file, whose
      // text the cache key cannot see. Text, not the parsed commands: a dynamic or wrapped call
      // (`eval`, `command .`) must also turn caching off, and a false alarm only costs a re-check.
      ...(/(^|[\s;&|({`])(source|\.)\s/m.test(script.text) ? {} : { content: script.text }),
      dialect: script.shell.dialect,
      lines: { from: 1, to: script.lines.lineCount },
    });
  }
  for (const entry of repo.dockerfiles) {
    for (const instruction of entry.dockerfile.instructions) {
      if (instruction.kind !== 'run' || !instruction.shell || instruction.jsonForm) {
        continue;
      }
      const program = instruction.shellCommand[0]?.split('/').pop() ?? 'sh';
      if (!/^(ba|da|)sh$/.test(program)) {
        continue;
      }
      units.push({
        file: entry.dockerfile.path,
        text: instruction.shell.text,
        dialect: instruction.shell.dialect,
        map: instruction.shell.map,
        declared: [...new Set([...instruction.scope.keys(), ...AUTOMATIC_PLATFORM_ARGS])],
        lines: { from: instruction.range.start.line, to: instruction.range.end.line },
      });
    }
  }
  for (const workflow of repo.workflows) {
    for (const job of workflow.model.jobs) {
      for (const step of job.steps) {
        const run = step.run;
        // `shell` is parsed only for bash and sh steps (the default on Linux and macOS runners).
        if (!run?.shell) {
          continue;
        }
        units.push({
          file: workflow.path,
          // The runner substitutes `${{ }}` before the shell starts; a same-length word of
          // underscores keeps every position and reads as a literal, as actionlint feeds ShellCheck.
          text: run.text.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => expression.replace(/[^\n]/g, '_')),
          dialect: run.shell.dialect,
          map: run.shell.map,
          declared: [...new Set([...workflow.model.env.keys(), ...job.env.keys(), ...step.env.keys()])],
          exclude: WORKFLOW_RUN_EXCLUDES,
          lines: { from: run.range.start.line, to: run.range.end.line },
        });
      }
    }
  }
  return units;
}

/**
 * tree-sitter recovers from what it cannot parse, and a few valid constructs confuse it. When
 * ShellCheck ran over the same body, its parser (SC1xxx errors) is the judge.
 */
function dropUnconfirmedParseErrors(findings: Finding[], scFindings: shellcheck.ShellcheckFinding[]): void {
  for (let i = findings.length - 1; i >= 0; i--) {
    const finding = findings[i];
    if (!finding || finding.ruleId !== 'shell/parse-error') {
      continue;
    }
    const line = finding.range.start.line;
    const confirmed = scFindings.some((sc) => sc.file === finding.file && sc.severity === 'error' && /^SC1\d{3}$/.test(sc.code)
      && line >= sc.unit.lines.from && line <= sc.unit.lines.to);
    if (!confirmed) {
      findings.splice(i, 1);
    }
  }
}

/** Line texts of Dockerfiles, scripts and workflows, for clamping tool positions. */
function fileLines(repo: Repo): Map<string, LineIndex> {
  const lines = new Map<string, LineIndex>();
  for (const entry of repo.dockerfiles) {
    lines.set(entry.dockerfile.path, entry.dockerfile.lines);
  }
  for (const script of repo.scripts) {
    lines.set(script.path, script.lines);
  }
  for (const workflow of repo.workflows) {
    lines.set(workflow.path, workflow.model.lines);
  }
  return lines;
}

/**
 * ShellCheck reports "expected fi" and the like at the end of its input: one line past the RUN
 * body (which is the next instruction) or past the script's last line. Pin those to the end of the
 * unit's last line so that the finding stays inside the code it is about.
 */
function clampToUnit(range: Range, unit: shellcheck.ShellUnit, lines: LineIndex | undefined): Range {
  const last = unit.lines.to;
  if (range.start.line <= last) {
    return range.end.line <= last ? range : { start: range.start, end: { line: last, column: (lines?.lineText(last).length ?? 0) + 1 } };
  }
  const end = { line: last, column: (lines?.lineText(last).length ?? 0) + 1 };
  return { start: end, end };
}

function sortAndDedupe(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort(compareFindings);
  const seen = new Set<string>();
  return sorted.filter((finding) => {
    const key = `${finding.file}\0${finding.range.start.line}\0${finding.range.start.column}\0${finding.ruleId}\0${finding.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
