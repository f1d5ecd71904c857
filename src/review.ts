/**
 * `review()`: the static review as a library function. Discovery builds the model, rules run over
 * it, ShellCheck runs over every shell body, suppressions apply, and the result is sorted and
 * deduplicated so that every renderer sees the same stable list.
 */
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
import * as shellcheck from './tools/shellcheck.js';

/** Options for `review`. */
export interface ReviewOptions {
  /** The repository to review. */
  path: string;
  /** An explicit config file; default: baseimg.config.{json,yaml,yml} at the root. */
  configPath?: string;
  /** `auto` runs ShellCheck when installed; `require` makes its absence an error; `off` skips it. */
  shellcheck?: 'auto' | 'require' | 'off';
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
  tools: { shellcheck: { version: string } | null };
}

/** Reviews a repository. Throws `UsageError` for a missing path and `InputError` for a bad config. */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const root = resolve(options.path);
  const rules = options.rules ?? RULES;
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

  const kept = applySuppressions(findings, repo, {
    catalog,
    severityOf: (ruleId) => active.find((entry) => entry.rule.id === ruleId)?.severity ?? null,
    // Without a ShellCheck run nobody can tell whether a ShellCheck suppression is still needed.
    unjudged: shellcheckRan ? new Set() : new Set(['shell/shellcheck']),
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
    tools: { shellcheck: shellcheckVersion },
  };
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

/** Every shell body ShellCheck should see: script files in place, RUN bodies through their text. */
function shellUnits(repo: Repo): shellcheck.ShellUnit[] {
  const units: shellcheck.ShellUnit[] = [];
  for (const script of repo.scripts) {
    units.push({
      file: script.path,
      text: null,
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

/** Line texts of Dockerfiles and scripts, for clamping tool positions. */
function fileLines(repo: Repo): Map<string, LineIndex> {
  const lines = new Map<string, LineIndex>();
  for (const entry of repo.dockerfiles) {
    lines.set(entry.dockerfile.path, entry.dockerfile.lines);
  }
  for (const script of repo.scripts) {
    lines.set(script.path, script.lines);
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
