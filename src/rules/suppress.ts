/**
 * Suppressions: `# baseimg-ignore <rule-id>[:<code>][, ...] -- <reason>` on the line(s) above,
 * hadolint's `# hadolint ignore=DL3008,SC2086` for rules that map to a hadolint code, and config
 * `ignore.findings`. A suppression without a reason is not honoured; one that suppresses nothing
 * is reported, like knip's configuration hints, so stale suppressions do not pile up.
 */
import picomatch from 'picomatch';
import { lineRange } from '../parse/locations.js';
import type { Repo } from '../repo/repo.js';
import { configLine } from '../repo/config.js';
import type { Finding, Severity } from './finding.js';
import type { Rule } from './rule.js';

interface Directive {
  file: string;
  line: number;
  kind: 'baseimg' | 'hadolint';
  /** `rule-id`, `rule-id:CODE`, or for hadolint `DL3008` / `SC2086`. */
  targets: string[];
  reason: string | null;
  /** Lines whose findings the directive covers. */
  from: number;
  to: number;
  used: boolean;
}

const BASEIMG = /#\s*baseimg-ignore\s+(\S.*?)(?:\s+--(?:\s+(.*?))?)?\s*$/;
const HADOLINT = /#\s*hadolint\s+ignore=([A-Z]{2}\d{4}(?:\s*,\s*[A-Z]{2}\d{4})*)/;

/** What suppressions are judged against. */
export interface SuppressionOptions {
  /** Every rule a suppression may name (the registry, plus rules a caller passed in). */
  catalog: readonly Rule[];
  /** The effective severity of an engine rule after config, or null when config turned it off. */
  severityOf: (ruleId: string) => Severity | null;
  /** Rules whose suppressions cannot be judged this run (ShellCheck did not run): never reported unused. */
  unjudged: ReadonlySet<string>;
}

/** Applies every kind of suppression; returns the findings kept plus findings about suppressions. */
export function applySuppressions(findings: Finding[], repo: Repo, options: SuppressionOptions): Finding[] {
  const rules = options.catalog;
  const directives = collectDirectives(repo);
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const withoutReasonSeverity = options.severityOf('review/suppression-without-reason');
  const unusedSeverity = options.severityOf('review/unused-suppression');
  const kept: Finding[] = [];
  const configIgnores = (repo.config.ignore?.findings ?? []).map((entry) => ({
    entry,
    matches: entry.paths && entry.paths.length > 0 ? picomatch(entry.paths, { dot: true }) : () => true,
    used: false,
  }));

  for (const finding of findings) {
    let suppressed = false;
    for (const directive of directives) {
      if (directive.file !== finding.file || finding.range.start.line < directive.from || finding.range.start.line > directive.to) {
        continue;
      }
      if (directive.reason === null && directive.kind === 'baseimg') {
        continue;
      }
      if (directive.targets.some((target) => matches(target, directive.kind, finding, byId))) {
        directive.used = true;
        suppressed = true;
      }
    }
    for (const ignore of configIgnores) {
      if (ignore.entry.rule === finding.ruleId && ignore.matches(finding.file)) {
        ignore.used = true;
        suppressed = true;
      }
    }
    if (!suppressed) {
      kept.push(finding);
    }
  }

  for (const directive of directives) {
    const range = lineRange(directive.line);
    if (directive.kind === 'baseimg' && directive.reason === null) {
      if (withoutReasonSeverity === null) {
        continue;
      }
      kept.push({
        ruleId: 'review/suppression-without-reason',
        severity: withoutReasonSeverity,
        message: `baseimg-ignore for ${directive.targets.join(', ')} gives no reason; add "-- <why>" (not honoured until it does)`,
        file: directive.file,
        range,
      });
      continue;
    }
    if (directive.used || unusedSeverity === null || directive.targets.some((target) => isUnjudged(target, directive.kind, options.unjudged))) {
      continue;
    }
    const known = directive.targets.filter((target) => isKnownTarget(target, directive.kind, rules));
    if (directive.kind === 'hadolint' && known.length === 0) {
      // Codes of hadolint rules baseimg does not implement: nothing to judge.
      continue;
    }
    const unknown = directive.targets.filter((target) => !isKnownTarget(target, directive.kind, rules));
    kept.push({
      ruleId: 'review/unused-suppression',
      severity: unusedSeverity,
      message: unknown.length > 0 && directive.kind === 'baseimg'
        ? `suppression names unknown rule ${unknown.map((target) => JSON.stringify(target)).join(', ')}`
        : `suppression of ${directive.targets.join(', ')} matches no finding; remove it`,
      file: directive.file,
      range,
    });
  }

  for (const [index, ignore] of configIgnores.entries()) {
    if (ignore.used || !repo.configFile || unusedSeverity === null || options.unjudged.has(ignore.entry.rule)) {
      continue;
    }
    kept.push({
      ruleId: 'review/unused-suppression',
      severity: unusedSeverity,
      message: `config ignore of ${JSON.stringify(ignore.entry.rule)}${ignore.entry.paths ? ` in ${ignore.entry.paths.map((path) => JSON.stringify(path)).join(', ')}` : ''} matches no finding; remove it`,
      file: repo.configFile.path,
      range: lineRange(configLine(repo.configFile.text, ['ignore', 'findings', index, 'rule'])),
    });
  }
  return kept;
}

function matches(target: string, kind: Directive['kind'], finding: Finding, byId: Map<string, Rule>): boolean {
  if (kind === 'hadolint') {
    if (target.startsWith('SC')) {
      return finding.code === target;
    }
    return byId.get(finding.ruleId)?.meta.hadolint?.includes(target) ?? false;
  }
  const [ruleId, code] = target.split(':');
  return ruleId === finding.ruleId && (code === undefined || code === finding.code);
}

function isUnjudged(target: string, kind: Directive['kind'], unjudged: ReadonlySet<string>): boolean {
  if (kind === 'hadolint') {
    return target.startsWith('SC') && unjudged.has('shell/shellcheck');
  }
  return unjudged.has(target.split(':')[0] ?? '');
}

function isKnownTarget(target: string, kind: Directive['kind'], rules: readonly Rule[]): boolean {
  if (kind === 'hadolint') {
    return target.startsWith('SC') || rules.some((rule) => rule.meta.hadolint?.includes(target));
  }
  const ruleId = target.split(':')[0];
  return rules.some((rule) => rule.id === ruleId);
}

function collectDirectives(repo: Repo): Directive[] {
  const directives: Directive[] = [];
  // Dockerfiles: a directive in the comment block above an instruction covers the whole instruction.
  for (const entry of repo.dockerfiles) {
    const dockerfile = entry.dockerfile;
    for (const instruction of dockerfile.instructions) {
      for (const comment of [...instruction.comments, ...(instruction.kind === 'from' && instruction.stage ? instruction.stage.header : [])]) {
        const parsed = parseDirective(`# ${comment.text}`);
        if (parsed && !directives.some((seen) => seen.file === dockerfile.path && seen.line === comment.line)) {
          directives.push({ ...parsed, file: dockerfile.path, line: comment.line, from: instruction.range.start.line, to: instruction.range.end.line, used: false });
        }
      }
    }
  }
  // Scripts, workflows, requirements: a directive covers the next code line (the whole command for scripts).
  const texts = [
    ...repo.scripts.map((script) => ({ path: script.path, text: script.text, script })),
    ...repo.workflows.map((file) => ({ path: file.path, text: file.text, script: null })),
    ...repo.requirements.map((file) => ({ path: file.path, text: file.text, script: null })),
  ];
  for (const { path, text, script } of texts) {
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (!/^\s*#/.test(line)) {
        return;
      }
      const parsed = parseDirective(line.trim());
      if (!parsed) {
        return;
      }
      let next = index + 1;
      while (next < lines.length && (/^\s*(#|$)/.test(lines[next] ?? ''))) {
        next += 1;
      }
      const from = next + 1;
      const command = script?.shell.commands.find((candidate) => candidate.range.start.line === from);
      directives.push({ ...parsed, file: path, line: index + 1, from, to: command ? command.range.end.line : from, used: false });
    });
  }
  return directives;
}

function parseDirective(comment: string): Pick<Directive, 'kind' | 'targets' | 'reason'> | null {
  const baseimg = BASEIMG.exec(comment);
  if (baseimg) {
    const reason = baseimg[2]?.trim() || null;
    return { kind: 'baseimg', targets: splitList(baseimg[1] ?? ''), reason };
  }
  const hadolint = HADOLINT.exec(comment);
  if (hadolint) {
    return { kind: 'hadolint', targets: splitList(hadolint[1] ?? ''), reason: 'hadolint' };
  }
  return null;
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((part) => part !== '');
}
