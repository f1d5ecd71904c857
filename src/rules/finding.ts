/**
 * Findings: what a rule reports. Built by `ctx.report()` (see run.ts), never assembled by hand, so
 * that every finding has a rule, a severity after config overrides, docs, a file and a line.
 */
import type { Range } from '../parse/locations.js';

/** How bad a finding is; `--fail-on` compares against this. */
export type Severity = 'error' | 'warning' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Whether a fix can be applied without a human looking (`safe`) or only with `--unsafe`. */
export type FixSafety = 'safe' | 'unsafe';

/** One text replacement in one file; offsets are UTF-16 offsets into the file's text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

/** A file rename (re-enabling a paused workflow), shown in the diff. */
export interface FileRename {
  from: string;
  to: string;
}

/** A new file a fix creates (a generated .dockerignore); refused when the file exists by then. */
export interface FileCreation {
  file: string;
  text: string;
}

/** What applying a finding's fix does. */
export interface Fix {
  description: string;
  safety: FixSafety;
  edits: TextEdit[];
  renames?: FileRename[];
  creates?: FileCreation[];
}

/** A second location that explains a finding (the other side of a parity difference). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** A problem found in the repository. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Path relative to the repository root, forward slashes. */
  file: string;
  range: Range;
  /** A sub-code inside the rule, e.g. a ShellCheck code `SC2086`. */
  code?: string;
  fix?: Fix;
  related?: RelatedLocation[];
}

/** Orders findings by file, line, column, rule and message, for stable output. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}
