/** Fixes that create files: selection, the /dev/null diff, planning and the no-clobber write. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/diff.js';
import { selectFixes, type CandidateFix } from '../../src/fix/edits.js';
import { planFixes, writeFixPlan } from '../../src/fix/plan.js';
import { writeChanges } from '../../src/fix/write.js';
import { dockerignoreMissing } from '../../src/rules/context/dockerignore-missing.js';
import { tempRepo } from '../helpers.js';

function creating(file: string, text: string, ruleId = 'a/b'): CandidateFix {
  return { ruleId, file: 'Dockerfile', line: 1, fix: { description: `create ${file}`, safety: 'safe', edits: [], creates: [{ file, text }] } };
}

describe('fixes that create files', () => {
  it('select one creation per path; the same text twice is applied once, a different text waits', () => {
    const selection = selectFixes([creating('.dockerignore', '*\n'), creating('.dockerignore', '*\n', 'c/d'), creating('.dockerignore', '!x\n', 'e/f')]);
    expect(selection.creates).toEqual([{ file: '.dockerignore', text: '*\n' }]);
    expect(selection.accepted.map((candidate) => candidate.ruleId)).toEqual(['a/b']);
    expect(selection.deferred.map((candidate) => candidate.ruleId)).toEqual(['e/f']);
  });

  it('defer an edit to a file created in the same round', () => {
    const edit: CandidateFix = { ruleId: 'z/z', file: '.dockerignore', line: 1, fix: { description: 'edit', safety: 'safe', edits: [{ file: '.dockerignore', start: 0, end: 0, newText: 'x' }] } };
    const selection = selectFixes([creating('.dockerignore', '*\n'), edit]);
    expect(selection.deferred.map((candidate) => candidate.ruleId)).toEqual(['z/z']);
  });

  it('diff against /dev/null', () => {
    expect(unifiedDiff({ path: '.dockerignore', before: '', after: '*\n!app/\n', created: true })).toBe('--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,2 @@\n+*\n+!app/\n');
  });

  it('plan and write an allow-list .dockerignore, then converge', async () => {
    const repo = await tempRepo({ 'docker/Dockerfile': 'FROM debian:bookworm-slim\nCOPY scripts/run.sh /usr/local/bin/run.sh\nCOPY app /opt/app\n', 'scripts/run.sh': '#!/bin/sh\n', 'app/main.py': 'x = 1\n' });
    try {
      const plan = await planFixes({ path: repo.root, rules: [dockerignoreMissing] });
      expect(plan.changes.map((change) => [change.path, change.created])).toEqual([['.dockerignore', true]]);
      expect(plan.changes[0]?.fixes.map((fix) => fix.ruleId)).toEqual(['context/dockerignore-missing']);
      await writeFixPlan(plan);
      const text = await readFile(join(repo.root, '.dockerignore'), 'utf8');
      expect(text.split('\n').filter((line) => !line.startsWith('#'))).toEqual(['*', '!app/', '!scripts/run.sh', '']);
      expect((await planFixes({ path: repo.root, rules: [dockerignoreMissing] })).changes).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });

  it('refuse to replace a file that appeared after planning, and write nothing', async () => {
    const repo = await tempRepo({ Dockerfile: 'FROM debian:bookworm-slim\n' });
    try {
      const plan = await planFixes({ path: repo.root, rules: [dockerignoreMissing] });
      expect(plan.changes.map((change) => change.path)).toEqual(['.dockerignore']);
      await writeFile(join(repo.root, '.dockerignore'), 'mine\n');
      await expect(writeFixPlan(plan)).rejects.toThrow(/refusing to create \.dockerignore: it already exists/);
      expect(await readFile(join(repo.root, '.dockerignore'), 'utf8')).toBe('mine\n');
    } finally {
      await repo.cleanup();
    }
  });

  it('refuse a new file outside the repository', async () => {
    const repo = await tempRepo({});
    try {
      await expect(writeChanges(repo.root, [{ path: '../outside.txt', before: '', after: 'x\n', bom: false, created: true }])).rejects.toThrow(/outside the repository root/);
    } finally {
      await repo.cleanup();
    }
  });
});
