/**
 * `baseimg fix`: flags -> planFixes() -> a unified diff, or the files written -> exit code.
 * Like `prettier --check`, a dry run that finds work to do exits 1, so CI can ask "is anything
 * left to fix?"; --write exits 0 once it has written.
 */
import { UsageError } from '../errors.js';
import { unifiedDiffs } from '../fix/diff.js';
import { planFixes, writeFixPlan, type FileChange, type FixPlan } from '../fix/plan.js';
import { review } from '../review.js';
import { parseCommand } from './args.js';
import type { Io } from './main.js';

/** Parses `fix` flags, plans the fixes, prints the diff or writes the files, returns the exit code. */
export async function fixCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, path } = parseCommand('fix', argv, {
    write: { type: 'boolean', short: 'w', default: false },
    unsafe: { type: 'boolean', default: false },
    config: { type: 'string', short: 'c' },
  });
  const plan = await planFixes({
    path,
    unsafe: values.unsafe,
    ...(values.config ? { configPath: values.config } : {}),
  });
  if (!plan.converged) {
    io.stderr(`baseimg: fixes were still offered after ${plan.rounds - 1} rounds; a rule's fix does not silence its finding (please report it)\n`);
  }
  const hint = unsafeHint(plan);
  if (plan.changes.length === 0) {
    io.stderr(`baseimg: nothing to fix${hint}\n`);
    return 0;
  }
  if (!values.write) {
    io.stdout(unifiedDiffs(plan.changes.map((change) => ({
      path: change.path,
      ...(change.newPath !== undefined ? { newPath: change.newPath } : {}),
      before: change.before,
      after: change.after,
      ...(change.created ? { created: true } : {}),
    }))));
    io.stderr(`baseimg: ${count(plan.applied.length, 'fix', 'fixes')} pending in ${count(plan.changes.length, 'file', 'files')}; run with --write to apply${hint}\n`);
    return 1;
  }
  await writeFixPlan(plan);
  for (const change of plan.changes) {
    io.stdout(`${summaryLine(change)}\n`);
  }
  // The full review (ShellCheck included) says what a human still has to look at.
  const after = await review({ path, ...(values.config ? { configPath: values.config } : {}) });
  io.stdout(`${count(after.findings.length, 'finding remains', 'findings remain')}; run baseimg review ${path} to see ${after.findings.length === 1 ? 'it' : 'them'}${hint}\n`);
  return 0;
}

/** `fixed Dockerfile: 3 fixes (dockerfile/a, dockerfile/b)`. */
function summaryLine(change: FileChange): string {
  const rules = [...new Set(change.fixes.map((fix) => fix.ruleId))].sort();
  const target = change.newPath !== undefined && change.newPath !== change.path ? `${change.path} -> ${change.newPath}` : change.path;
  return `${change.created ? 'created' : 'fixed'} ${target}: ${count(change.fixes.length, 'fix', 'fixes')}${rules.length > 0 ? ` (${rules.join(', ')})` : ''}`;
}

function unsafeHint(plan: FixPlan): string {
  return plan.unsafeSkipped > 0 ? `; ${count(plan.unsafeSkipped, 'more fix needs', 'more fixes need')} --unsafe` : '';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
