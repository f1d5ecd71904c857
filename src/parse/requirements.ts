/**
 * pip requirements files (requirements.txt, constraints.txt), read line by line the way pip reads
 * them (https://pip.pypa.io/en/stable/reference/requirements-file-format/): lines ending in `\`
 * join the next one, `#` after whitespace starts a comment, option lines (`-r`, `-c`,
 * `--index-url`, ...) apply to the file, and every other line is a PEP 508 requirement
 * (`name[extras] specifiers ; marker`, or `name @ url`) or a URL/path, optionally followed by
 * per-requirement options such as `--hash=`.
 *
 * Version specifiers are validated with @renovatebot/pep440 (Renovate's PEP 440 implementation)
 * and every clause is classed `exact` (`==X` without a wildcard, `===X`) or `range`. A line that
 * cannot be read becomes a problem with its position; parsing never throws.
 */
import { validRange } from '@renovatebot/pep440';
import { LineIndex, type Range } from './locations.js';

/** One `op version` clause of a specifier (`>=1.6` in `>=1.6,<2`). */
export interface VersionClause {
  operator: '===' | '==' | '!=' | '~=' | '<=' | '>=' | '<' | '>';
  version: string;
  /** `==1.2.*` / `!=1.*`. */
  wildcard: boolean;
  /** `exact` for `===X` and `==X` without a wildcard; `range` for every other clause. */
  kind: 'exact' | 'range';
  /** True when the version holds a `${VAR}` that pip expands from the environment. */
  dynamic: boolean;
}

/** A PEP 508 requirement line. */
export interface Requirement {
  kind: 'requirement';
  /** The name as written. */
  name: string;
  /** PEP 503 normalised name (`Tensorrt_CU12` -> `tensorrt-cu12`). */
  normalizedName: string;
  extras: string[];
  /** The specifier as written (`>=1.6,<2`), '' when none. */
  specifier: string;
  clauses: VersionClause[];
  /** The environment marker after `;`, or null. */
  marker: string | null;
  /** `name @ url` direct reference, or null. */
  url: string | null;
  hashes: string[];
  /** First physical line of the (possibly continued) line. */
  line: number;
  /** The requirement text (name to end of specifier and marker), for findings. */
  range: Range;
  nameRange: Range;
  /** The requirement as written, without options and comment. */
  text: string;
}

/** A file-level option (`--index-url`, `--extra-index-url`, `--find-links`, `--trusted-host`, `--pre`, ...). */
export interface RequirementOption {
  kind: 'option';
  /** The long option name (`--index-url` for `-i`). */
  name: string;
  value: string | null;
  line: number;
  range: Range;
}

/** `-r other.txt` / `-c constraints.txt`. */
export interface RequirementInclude {
  kind: 'include';
  type: 'requirements' | 'constraints';
  /** The path as written (relative to this file's folder). */
  path: string;
  line: number;
  range: Range;
}

/** A URL or path requirement (`./pkg`, `https://.../x.whl`, `-e git+https://...#egg=name`). */
export interface RequirementReference {
  kind: 'reference';
  target: string;
  editable: boolean;
  /** The project name from `#egg=` or a wheel file name, when it can be read. */
  name: string | null;
  hashes: string[];
  line: number;
  range: Range;
}

/** One logical line that is not blank or a comment. */
export type RequirementEntry = Requirement | RequirementOption | RequirementInclude | RequirementReference;

/** A line the parser could not read. */
export interface RequirementsProblem {
  message: string;
  line: number;
  range: Range;
}

/** A requirements file, parsed. */
export interface Requirements {
  path: string;
  text: string;
  lines: LineIndex;
  entries: RequirementEntry[];
  /** The PEP 508 requirements among `entries`, in order. */
  requirements: Requirement[];
  problems: RequirementsProblem[];
}

// Options pip accepts in requirements files, long name first, with whether they take a value.
const FILE_OPTIONS: [string[], boolean][] = [
  [['--index-url', '-i'], true],
  [['--extra-index-url'], true],
  [['--no-index'], false],
  [['--find-links', '-f'], true],
  [['--trusted-host'], true],
  [['--pre'], false],
  [['--prefer-binary'], false],
  [['--require-hashes'], false],
  [['--only-binary'], true],
  [['--no-binary'], true],
  [['--use-feature'], true],
  [['--config-settings'], true],
  [['--global-option'], true],
  [['--install-option'], true],
];
const PER_REQUIREMENT_OPTIONS = new Set(['--hash', '--config-settings', '--global-option', '--install-option']);

// PEP 508 names: letters and digits, with `.`, `_`, `-` inside.
const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const CLAUSE = /^(===|==|!=|~=|<=|>=|<|>)\s*(\S.*)$/;

/** A logical line: physical lines joined by `\`, with a map back to file offsets. */
interface LogicalLine {
  text: string;
  line: number;
  /** File offset of each character of `text` (one more entry for the end). */
  offsets: number[];
}

/** Parses a requirements file; never throws. */
export function parseRequirements(path: string, text: string): Requirements {
  const lines = new LineIndex(text);
  const result: Requirements = { path, text, lines, entries: [], requirements: [], problems: [] };
  for (const logical of logicalLines(lines)) {
    const content = stripComment(logical.text);
    if (content.trim() === '') {
      continue;
    }
    const range = (start: number, end: number): Range => ({
      start: lines.positionAt(logical.offsets[start] ?? 0),
      end: lines.positionAt((logical.offsets[Math.max(end - 1, start)] ?? 0) + (end > start ? 1 : 0)),
    });
    const leading = content.length - content.trimStart().length;
    const body = content.trim();
    const whole = range(leading, leading + body.length);
    const problem = (message: string, at: Range = whole): void => {
      result.problems.push({ message, line: logical.line, range: at });
    };

    if (/^(<{7}|={7}|>{7})( |$)/.test(body)) {
      problem(`merge conflict marker ${JSON.stringify(body)}; resolve the conflict`);
      continue;
    }
    if (body.startsWith('-')) {
      readOptionLine(body, logical.line, whole, result, problem);
      continue;
    }

    // pip splits the line at the first word that starts with `-`: what comes before is the
    // requirement, the rest are per-requirement options (`--hash=...`).
    const words = splitWords(body);
    const firstOption = words.findIndex((word) => word.text.startsWith('-'));
    const requirementEnd = firstOption < 0 ? body.length : (words[firstOption]?.start ?? body.length);
    const requirementText = body.slice(0, requirementEnd).trimEnd();
    const options = firstOption < 0 ? [] : words.slice(firstOption);
    const hashes: string[] = [];
    for (let i = 0; i < options.length; i++) {
      const word = options[i]?.text ?? '';
      const [name = '', inline] = word.split(/=(.*)/s);
      if (!PER_REQUIREMENT_OPTIONS.has(name)) {
        problem(`unknown option "${name}" after a requirement`, range(leading + (options[i]?.start ?? 0), leading + (options[i]?.start ?? 0) + word.length));
        continue;
      }
      let value = inline;
      if (value === undefined) {
        value = options[i + 1]?.text;
        i += 1;
      }
      if (name === '--hash') {
        // pip: `--hash=<algorithm>:<hex digest>` (https://pip.pypa.io/en/stable/topics/secure-installs/).
        if (value && /^(sha256|sha384|sha512):[0-9a-fA-F]+$/.test(value)) {
          hashes.push(value);
        } else {
          problem(`invalid --hash value ${JSON.stringify(value ?? '')} (expected sha256:<hex digest>)`);
        }
      }
    }
    const requirementRange = range(leading, leading + requirementText.length);

    if (isReference(requirementText)) {
      result.entries.push({ kind: 'reference', target: requirementText, editable: false, name: referenceName(requirementText), hashes, line: logical.line, range: requirementRange });
      continue;
    }
    const requirement = readRequirement(requirementText, logical.line, requirementRange, (start, end) => range(leading + start, leading + end));
    if (typeof requirement === 'string') {
      problem(requirement, requirementRange);
      continue;
    }
    requirement.hashes = hashes;
    result.entries.push(requirement);
    result.requirements.push(requirement);
  }
  return result;
}

/** Joins continuation lines (a line ending in `\`), as pip's `join_lines` does. */
function logicalLines(lines: LineIndex): LogicalLine[] {
  const result: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  for (let line = 1; line <= lines.lineCount; line++) {
    const raw = lines.lineText(line);
    const start = lines.offsetAt({ line, column: 1 });
    // A comment line ends a continuation (pip: comments are never joined).
    const continued = raw.endsWith('\\') && !/^\s*#/.test(raw);
    const piece = continued ? raw.slice(0, -1) : raw;
    if (!current) {
      current = { text: '', line, offsets: [] };
    }
    for (let i = 0; i < piece.length; i++) {
      current.offsets.push(start + i);
    }
    current.text += piece;
    if (!continued) {
      current.offsets.push(start + piece.length);
      result.push(current);
      current = null;
    }
  }
  if (current) {
    current.offsets.push(lines.text.length);
    result.push(current);
  }
  return result;
}

/** Drops a comment: `#` at the start or after whitespace (pip's COMMENT_RE); `#egg=` in URLs stays. */
function stripComment(text: string): string {
  const match = /(^|\s+)#.*$/.exec(text);
  return match ? text.slice(0, match.index) : text;
}

/** Whitespace-separated words with their offsets. */
function splitWords(text: string): { text: string; start: number }[] {
  const words: { text: string; start: number }[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    words.push({ text: match[0], start: match.index ?? 0 });
  }
  return words;
}

function readOptionLine(
  body: string,
  line: number,
  range: Range,
  result: Requirements,
  problem: (message: string, at?: Range) => void,
): void {
  const words = splitWords(body);
  const first = words[0]?.text ?? '';
  const [flag = '', inline] = first.split(/=(.*)/s);
  // Short options may hold their value without a space (`-rbase.txt`).
  const short = /^-[rcief]/.test(flag) && !flag.startsWith('--') && flag.length > 2 ? { flag: flag.slice(0, 2), value: flag.slice(2) } : null;
  const name = short?.flag ?? flag;
  const value = short?.value ?? inline ?? (words[1]?.text ?? null);

  if (name === '-r' || name === '--requirement' || name === '-c' || name === '--constraint') {
    if (!value) {
      problem(`option "${name}" needs a file name`);
      return;
    }
    result.entries.push({ kind: 'include', type: name === '-c' || name === '--constraint' ? 'constraints' : 'requirements', path: value, line, range });
    return;
  }
  if (name === '-e' || name === '--editable') {
    if (!value) {
      problem(`option "${name}" needs a path or URL`);
      return;
    }
    result.entries.push({ kind: 'reference', target: value, editable: true, name: referenceName(value), hashes: [], line, range });
    return;
  }
  const known = FILE_OPTIONS.find(([names]) => names.includes(name));
  if (!known) {
    problem(`unknown option "${name}"`);
    return;
  }
  const [names, takesValue] = known;
  if (takesValue && !value) {
    problem(`option "${name}" needs a value`);
    return;
  }
  result.entries.push({ kind: 'option', name: names[0] ?? name, value: takesValue ? value : null, line, range });
}

/** True for a URL or a local path/archive in place of a requirement. */
function isReference(text: string): boolean {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(text)) {
    return false; // `name @ url` is a PEP 508 direct reference, read as a requirement
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(\.{1,2}\/|\/|~\/)/.test(text) || /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(text);
}

/** The project name of a reference, from `#egg=name` or a wheel/sdist file name. */
function referenceName(target: string): string | null {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(target);
  if (egg?.[1]) {
    return egg[1];
  }
  const file = target.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9._]+?)-\d/.exec(file);
  return wheel?.[1] ?? null;
}

/** PEP 503 name normalisation. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function readRequirement(
  text: string,
  line: number,
  range: Range,
  subRange: (start: number, end: number) => Range,
): Requirement | string {
  const nameMatch = NAME.exec(text);
  if (!nameMatch?.[1]) {
    return `cannot read ${JSON.stringify(text)} as a requirement (expected name[extras] specifier ; marker)`;
  }
  const name = nameMatch[1];
  let rest = text.slice(name.length);
  let extras: string[] = [];
  const extrasMatch = /^\s*\[([^\]]*)\]/.exec(rest);
  if (extrasMatch) {
    extras = (extrasMatch[1] ?? '').split(',').map((extra) => extra.trim()).filter((extra) => extra !== '');
    if (extras.some((extra) => !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(extra))) {
      return `invalid extras "[${extrasMatch[1] ?? ''}]" in ${JSON.stringify(text)}`;
    }
    rest = rest.slice(extrasMatch[0].length);
  } else if (/^\s*\[/.test(rest)) {
    return `unclosed "[" in ${JSON.stringify(text)}`;
  }
  const requirement: Requirement = {
    kind: 'requirement',
    name,
    normalizedName: normalizeName(name),
    extras,
    specifier: '',
    clauses: [],
    marker: null,
    url: null,
    hashes: [],
    line,
    range,
    nameRange: subRange(0, name.length),
    text,
  };

  rest = rest.trim();
  if (rest.startsWith('@')) {
    // PEP 508: a URL requirement's marker must follow whitespace (`name @ url ; marker`).
    const urlPart = rest.slice(1).trim();
    const markerAt = urlPart.search(/\s;/);
    requirement.url = (markerAt < 0 ? urlPart : urlPart.slice(0, markerAt)).trim();
    requirement.marker = markerAt < 0 ? null : urlPart.slice(markerAt).replace(/^\s*;/, '').trim() || null;
    if (!requirement.url) {
      return `"${name} @" has no URL`;
    }
    return requirement;
  }
  const semicolon = rest.indexOf(';');
  let specifier = (semicolon < 0 ? rest : rest.slice(0, semicolon)).trim();
  if (semicolon >= 0) {
    requirement.marker = rest.slice(semicolon + 1).trim();
    if (requirement.marker === '') {
      return `empty environment marker after ";" in ${JSON.stringify(text)}`;
    }
  }
  if (specifier.startsWith('(') && specifier.endsWith(')')) {
    specifier = specifier.slice(1, -1).trim();
  }
  requirement.specifier = specifier;
  if (specifier === '') {
    return requirement;
  }
  for (const part of specifier.split(',')) {
    const clause = CLAUSE.exec(part.trim());
    if (!clause?.[1] || !clause[2]) {
      return `invalid version specifier ${JSON.stringify(specifier)} for "${name}" (expected e.g. ==1.2.3 or >=1.2,<2)`;
    }
    const operator = clause[1] as VersionClause['operator'];
    const version = clause[2].trim();
    const dynamic = /\$\{[A-Z0-9_]+\}/.test(version);
    const wildcard = version.endsWith('.*');
    requirement.clauses.push({
      operator,
      version,
      wildcard,
      kind: operator === '===' || (operator === '==' && !wildcard) ? 'exact' : 'range',
      dynamic,
    });
  }
  // pip expands `${VAR}` before it reads the specifier; such versions cannot be checked here.
  if (!requirement.clauses.some((clause) => clause.dynamic) && !validRange(specifier)) {
    return `invalid version specifier ${JSON.stringify(specifier)} for "${name}" (not PEP 440)`;
  }
  return requirement;
}
