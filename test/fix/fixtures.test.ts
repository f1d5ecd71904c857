/**
 * Every `bad*.fixed.*` fixture under test/fixtures/rules/<area>/<rule>/ must equal what `fix`
 * makes of the matching `bad*` case with that rule alone (ESLint RuleTester's `output`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFixes } from '../../src/fix/plan.js';
import { RULES } from '../../src/rules/registry.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules');

/** Every `*.fixed.*` (file or folder) with its rule folder and the case it is the output of. */
function fixedFixtures(): { ruleId: string; folder: string; fixed: string; input: string }[] {
  const found: { ruleId: string; folder: string; fixed: string; input: string }[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const match = /^(bad[^.]*)\.fixed(\..+)?$/.exec(name);
      if (match) {
        found.push({ ruleId: relative(FIXTURES, folder).split('\\').join('/'), folder, fixed: path, input: join(folder, `${match[1]}${match[2] ?? ''}`) });
      } else if (statSync(path).isDirectory() && !/^(bad|good)/.test(name)) {
        walk(path);
      }
    }
  };
  walk(FIXTURES);
  return found;
}

describe('bad.fixed fixtures', () => {
  const cases = fixedFixtures();
  it('exist', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const fixture of cases) {
    it(`${fixture.ruleId}: ${relative(fixture.folder, fixture.fixed)} is the fixed ${relative(fixture.folder, fixture.input)}`, async () => {
      const rule = RULES.find((candidate) => candidate.id === fixture.ruleId);
      expect(rule, `no rule ${fixture.ruleId}`).toBeDefined();
      expect(existsSync(fixture.input), `missing ${fixture.input}`).toBe(true);
      const root = await mkdtemp(join(tmpdir(), 'baseimg-fixed-'));
      try {
        const folderCase = statSync(fixture.input).isDirectory();
        const name = fixture.input.split('/').pop() ?? 'file';
        await cp(fixture.input, folderCase ? root : join(root, name), { recursive: true });
        const stem = name.replace(/\..*$/, '');
        const config = join(fixture.folder, `${stem}.config.json`);
        const enabled = { ...rule!, meta: { ...rule!.meta, enabledByDefault: true } };
        const plan = await planFixes({ path: root, rules: [enabled], unsafe: true, today: '2026-11-29', ...(existsSync(config) ? { configPath: config } : {}) });
        const after = new Map(plan.changes.map((change) => [change.newPath ?? change.path, change.after]));
        if (folderCase) {
          for (const file of listFiles(fixture.fixed)) {
            const expected = readFileSync(join(fixture.fixed, file), 'utf8').replace(/^\uFEFF/, '');
            expect(after.get(file) ?? readFileSync(join(root, file), 'utf8').replace(/^\uFEFF/, ''), file).toBe(expected);
          }
        } else {
          expect(plan.changes.map((change) => change.path)).toEqual([name]);
          expect(after.get(name)).toBe(readFileSync(fixture.fixed, 'utf8').replace(/^\uFEFF/, ''));
        }
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }
});

function listFiles(folder: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(join(folder, prefix)).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(folder, path)).isDirectory()) {
      files.push(...listFiles(folder, path));
    } else {
      files.push(path);
    }
  }
  return files;
}
