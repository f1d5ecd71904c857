/**
 * Fix edits as data (CONVENTIONS.md principle 7): pick the fixes of one review round, refuse
 * overlaps (the later fix waits for the next round, as ESLint's source-code-fixer does), and apply
 * the accepted edits to file text. Pure: no I/O, so every case is a table test.
 */
import type { FileCreation, FileRename, Finding, Fix, TextEdit } from '../rules/finding.js';

/** A fix together with the finding that carried it. */
export interface CandidateFix {
  ruleId: string;
  file: string;
  line: number;
  fix: Fix;
}

/** The fixes of one round: those accepted, and how many wait for a later round. */
export interface FixSelection {
  accepted: CandidateFix[];
  /** Per file, the accepted edits sorted by offset (identical duplicates removed). */
  edits: Map<string, TextEdit[]>;
  renames: FileRename[];
  /** New files, in path order. */
  creates: FileCreation[];
  /** Fixes that overlapped an accepted one; the next round's review offers them again. */
  deferred: CandidateFix[];
}

/** The fixes of `findings` that may be applied: safe ones, and unsafe ones when `unsafe` is set. */
export function collectFixes(findings: readonly Finding[], options: { unsafe?: boolean } = {}): CandidateFix[] {
  const fixes: CandidateFix[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix || (fix.safety === 'unsafe' && !options.unsafe)) {
      continue;
    }
    if (fix.edits.length === 0 && (fix.renames ?? []).length === 0 && (fix.creates ?? []).length === 0) {
      continue;
    }
    fixes.push({ ruleId: finding.ruleId, file: finding.file, line: finding.range.start.line, fix });
  }
  return fixes;
}

/**
 * Chooses which fixes to apply in one round. Fixes are taken in file and offset order; a fix whose
 * edits overlap an edit already accepted waits for the next round (whole fixes only: applying half
 * of a fix could leave the file worse than before). An edit identical to one already accepted is
 * dropped, so two rules asking for the same change apply it once. `planned` holds renames accepted
 * in earlier rounds, which count as duplicates too.
 */
export function selectFixes(fixes: readonly CandidateFix[], planned: readonly FileRename[] = []): FixSelection {
  const ordered = [...fixes].sort(compareCandidates);
  const edits = new Map<string, TextEdit[]>();
  const renames: FileRename[] = [];
  const accepted: CandidateFix[] = [];
  const deferred: CandidateFix[] = [];
  const renamed = new Map<string, string>(planned.map((rename) => [rename.from, rename.to]));
  const created = new Map<string, string>();
  for (const candidate of ordered) {
    const fresh = candidate.fix.edits.filter((edit) => !(edits.get(edit.file) ?? []).some((other) => sameEdit(edit, other)));
    const freshRenames = (candidate.fix.renames ?? []).filter((rename) => renamed.get(rename.from) !== rename.to);
    const freshCreates = (candidate.fix.creates ?? []).filter((creation) => created.get(creation.file) !== creation.text);
    // Two different texts for one new file, or edits to a file created in this round (their offsets
    // refer to a text that does not exist yet), wait for the next round.
    const conflict = fresh.some((edit) => (edits.get(edit.file) ?? []).some((other) => overlaps(edit, other)) || created.has(edit.file))
      || freshRenames.some((rename) => renamed.has(rename.from) || [...renamed.values()].includes(rename.to))
      || freshCreates.some((creation) => created.has(creation.file) || edits.has(creation.file) || renamed.has(creation.file) || [...renamed.values()].includes(creation.file));
    if (conflict) {
      deferred.push(candidate);
      continue;
    }
    if (fresh.length === 0 && freshRenames.length === 0 && freshCreates.length === 0) {
      // Everything this fix asks for is already planned.
      continue;
    }
    for (const edit of fresh) {
      const list = edits.get(edit.file) ?? [];
      list.push(edit);
      edits.set(edit.file, list);
    }
    for (const rename of freshRenames) {
      renamed.set(rename.from, rename.to);
      renames.push(rename);
    }
    for (const creation of freshCreates) {
      created.set(creation.file, creation.text);
    }
    accepted.push(candidate);
  }
  for (const list of edits.values()) {
    list.sort(compareEdits);
  }
  const creates = [...created].sort(([a], [b]) => compareText(a, b)).map(([file, text]) => ({ file, text }));
  return { accepted, edits, renames, creates, deferred };
}

/**
 * True when two edits of one file cannot both be applied unambiguously: their spans share a
 * character, one inserts strictly inside the other's span, or both start at the same offset
 * (two insertions there would have no defined order).
 */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) {
    return false;
  }
  if (a.start === b.start) {
    return true;
  }
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping `edits` to `text` (offsets refer to `text`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(compareEdits);
  let result = '';
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position || edit.end < edit.start || edit.end > text.length) {
      throw new RangeError(`edit ${edit.start}-${edit.end} of ${edit.file} is out of order or outside the text (length ${text.length})`);
    }
    result += text.slice(position, edit.start) + edit.newText;
    position = edit.end;
  }
  return result + text.slice(position);
}

/** The line end a text mostly uses; new text from fixes is written with it. */
export function lineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** `newText` with its bare `\n` line ends written as `eol`. */
export function withLineEnding(newText: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? newText : newText.replace(/\r?\n/g, '\r\n');
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.newText === b.newText;
}

function compareEdits(a: TextEdit, b: TextEdit): number {
  return compareText(a.file, b.file) || a.start - b.start || a.end - b.end;
}

function compareCandidates(a: CandidateFix, b: CandidateFix): number {
  // A creation orders like an insertion at the start of the new file.
  const first = (candidate: CandidateFix): TextEdit | undefined => [
    ...candidate.fix.edits,
    ...(candidate.fix.creates ?? []).map((creation) => ({ file: creation.file, start: 0, end: 0, newText: creation.text })),
  ].sort(compareEdits)[0];
  const edit = { a: first(a), b: first(b) };
  return compareText(edit.a?.file ?? a.file, edit.b?.file ?? b.file)
    || (edit.a?.start ?? -1) - (edit.b?.start ?? -1)
    || (edit.a?.end ?? -1) - (edit.b?.end ?? -1)
    || compareText(a.ruleId, b.ruleId)
    || compareText(a.fix.description, b.fix.description);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
