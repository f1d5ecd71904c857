/**
 * `planFixes()`: the `fix` command as a library function. It reviews, applies the fixes it may
 * (in memory), and reviews again, until no fix is left to apply or `MAX_ROUNDS` is reached, so that
 * fixes that waited behind an overlapping one are applied too and running `fix` on the result
 * changes nothing. Nothing is written; `writeFixPlan` does that.
 */
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, InternalError } from '../errors.js';
import { review, type ReviewOptions } from '../review.js';
import type { FileRename, Finding } from '../rules/finding.js';
import type { Rule } from '../rules/rule.js';
import { applyEdits, collectFixes, lineEnding, selectFixes, withLineEnding } from './edits.js';
import { readText, resolveInsideRoot, writeChanges, type FileWrite } from './write.js';

/** Review rounds at most; a fix still offered after that is reported, not applied again. */
export const MAX_ROUNDS = 10;

/** Options for `planFixes`. */
export interface FixOptions {
  /** The repository to fix. */
  path: string;
  /** An explicit config file; default: baseimg.config.{json,yaml,yml} at the root. */
  configPath?: string;
  /** Also apply fixes marked `unsafe` (they may change what the image contains). */
  unsafe?: boolean;
  /** The rules to run; default the whole registry. */
  rules?: readonly Rule[];
  /** The date EOL facts are compared with (`YYYY-MM-DD`); default today. */
  today?: string;
}

/** A fix that was applied, for the summary. */
export interface AppliedFix {
  ruleId: string;
  description: string;
  safety: 'safe' | 'unsafe';
  /** The file and line of the finding that carried it (before any fix). */
  file: string;
  line: number;
  round: number;
  /** Files the fix creates. */
  creates: string[];
}

/** One file the plan changes. */
export interface FileChange extends FileWrite {
  fixes: AppliedFix[];
}

/** What `fix` would do. */
export interface FixPlan {
  root: string;
  /** Changed files, in path order. */
  changes: FileChange[];
  applied: AppliedFix[];
  /** Review rounds run (the last one found nothing more to apply, unless `converged` is false). */
  rounds: number;
  /** False when fixes were still offered after `MAX_ROUNDS` (a rule whose fix does not silence it). */
  converged: boolean;
  /** Findings of the last round's review, as they would be after the fixes. */
  remaining: Finding[];
  /** Findings in `remaining` with an unsafe fix that `unsafe: false` left alone. */
  unsafeSkipped: number;
}

/** Plans the fixes for a repository; reads files, writes nothing. */
export async function planFixes(options: FixOptions): Promise<FixPlan> {
  const root = resolve(options.path);
  const files = new Map<string, { before: string; after: string; bom: boolean; eol: '\n' | '\r\n'; created?: boolean }>();
  const overlay = new Map<string, string>();
  const renames: FileRename[] = [];
  const applied: AppliedFix[] = [];
  const reviewOptions: ReviewOptions = {
    path: root,
    // ShellCheck reads script files from disk and attaches no fixes; the rounds review the overlay.
    shellcheck: 'off',
    overlay,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.today ? { today: options.today } : {}),
  };

  let rounds = 0;
  let converged = false;
  let findings: Finding[] = [];
  for (;;) {
    rounds += 1;
    findings = (await review(reviewOptions)).findings;
    const selection = selectFixes(collectFixes(findings, { unsafe: options.unsafe ?? false }), renames);
    let changed = selection.renames.length > 0;
    if (rounds > MAX_ROUNDS) {
      // The review after the last round only reports what remains; nothing more is applied.
      converged = selection.accepted.length === 0;
      break;
    }
    for (const [file, edits] of selection.edits) {
      let entry = files.get(file);
      if (!entry) {
        const read = await readText(await resolveInsideRoot(root, file), file);
        entry = { before: read.text, after: read.text, bom: read.bom, eol: lineEnding(read.text) };
        files.set(file, entry);
      }
      const eol = entry.eol;
      let next: string;
      try {
        next = applyEdits(entry.after, edits.map((edit) => ({ ...edit, newText: withLineEnding(edit.newText, eol) })));
      } catch (error) {
        throw new InternalError(`a fix for ${file} has an edit outside the file: ${(error as Error).message}`);
      }
      if (next !== entry.after) {
        changed = true;
        entry.after = next;
        overlay.set(file, next);
      }
    }
    for (const creation of selection.creates) {
      if (files.has(creation.file) || await exists(await resolveInsideRoot(root, creation.file))) {
        throw new InputError(`refusing to create ${creation.file}: it already exists`, creation.file);
      }
      files.set(creation.file, { before: '', after: creation.text, bom: false, eol: '\n', created: true });
      overlay.set(creation.file, creation.text);
      changed = true;
    }
    renames.push(...selection.renames);
    for (const candidate of selection.accepted) {
      applied.push({
        ruleId: candidate.ruleId,
        description: candidate.fix.description,
        safety: candidate.fix.safety,
        file: candidate.file,
        line: candidate.line,
        round: rounds,
        creates: (candidate.fix.creates ?? []).map((creation) => creation.file),
      });
    }
    if (!changed) {
      // Only fixes that change nothing were offered (e.g. edits equal to the text they replace).
      converged = true;
      break;
    }
  }

  const changes: FileChange[] = [];
  const paths = new Set([...files.keys(), ...renames.map((rename) => rename.from)]);
  for (const path of [...paths].sort()) {
    let entry = files.get(path);
    if (!entry) {
      const read = await readText(await resolveInsideRoot(root, path), path);
      entry = { before: read.text, after: read.text, bom: read.bom, eol: lineEnding(read.text) };
    }
    const newPath = renames.find((rename) => rename.from === path)?.to;
    if (entry.after === entry.before && newPath === undefined) {
      continue;
    }
    changes.push({
      path,
      ...(newPath !== undefined ? { newPath } : {}),
      before: entry.before,
      after: entry.after,
      bom: entry.bom,
      ...(entry.created ? { created: true } : {}),
      // A created file's fixes are those of the findings that asked for it, wherever they point.
      fixes: applied.filter((fix) => fix.file === path || (entry.created === true && fix.creates.includes(path))),
    });
  }
  return {
    root,
    changes,
    applied,
    rounds,
    converged,
    remaining: findings,
    unsafeSkipped: options.unsafe ? 0 : findings.filter((finding) => finding.fix?.safety === 'unsafe').length,
  };
}

/** Writes a plan's changes (atomically, inside the root only). */
export async function writeFixPlan(plan: FixPlan): Promise<void> {
  await writeChanges(plan.root, plan.changes);
}

async function exists(absolute: string): Promise<boolean> {
  return lstat(absolute).then(() => true, () => false);
}
