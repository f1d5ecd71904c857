/**
 * Golden tests for every rule (CONVENTIONS.md principle 8). For each rule with a folder
 * test/fixtures/rules/<area>/<rule>/:
 *   bad.*  (a file, or a folder holding a small repository) must produce exactly the findings of
 *          that rule listed in bad.expected, one per line, as the text renderer prints them;
 *   good.* must produce no finding of that rule.
 * Several bad/good cases may exist (bad-2.Dockerfile, good-heredoc.Dockerfile, ...). An optional
 * `<case>.config.json` beside a case is used as its config. Only the rule under test runs (plus
 * the engine rules it may depend on), so adding a rule never churns other rules' goldens.
 * BASEIMG_UPDATE_GOLDENS=1 rewrites the .expected files; review the diff by eye.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/report/text.js';
import { review } from '../../src/review.js';
import { RULES } from '../../src/rules/registry.js';
import type { Rule } from '../../src/rules/rule.js';
import { fixtureCases } from './fixtures.js';
import { runShellcheckTests } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules');
const update = process.env.BASEIMG_UPDATE_GOLDENS === '1';

function caseStem(name: string): string {
  // bad.Dockerfile -> bad ; bad-2.sh -> bad-2 ; bad (folder) -> bad
  return name.replace(/\..*$/, '');
}

async function runCase(rule: Rule, path: string, configPath: string | undefined): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'baseimg-golden-'));
  try {
    if (statSync(path).isDirectory()) {
      await cp(path, root, { recursive: true });
    } else {
      await cp(path, join(root, path.split('/').pop() ?? 'file'));
    }
    const enabled = { ...rule, meta: { ...rule.meta, enabledByDefault: true } };
    const result = await review({
      path: root,
      rules: [enabled, ...RULES.filter((other) => other.id !== rule.id && other.meta.engine && other.id.startsWith('review/'))],
      shellcheck: rule.meta.needs === 'shellcheck' ? 'require' : 'off',
      today: '2026-11-29',
      ...(configPath ? { configPath } : {}),
    });
    return result.findings.filter((finding) => finding.ruleId === rule.id).map(formatFinding);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('rule goldens', () => {
  for (const rule of RULES) {
    const folder = join(FIXTURES, rule.id);
    const cases = fixtureCases(folder);
    if (cases.length === 0) {
      continue;
    }
    describe(rule.id, () => {
      for (const fixture of cases) {
        const stem = caseStem(fixture.name);
        const config = join(folder, `${stem}.config.json`);
        const configPath = existsSync(config) ? config : undefined;
        it.skipIf(rule.meta.needs === 'shellcheck' && !runShellcheckTests)(`${fixture.name} ${fixture.kind === 'bad' ? 'matches its .expected' : 'has no finding'}`, async () => {
          const lines = await runCase(rule, fixture.path, configPath);
          if (fixture.kind === 'good') {
            expect(lines).toEqual([]);
            return;
          }
          const expectedPath = join(folder, `${stem}.expected`);
          if (update) {
            writeFileSync(expectedPath, lines.length > 0 ? `${lines.join('\n')}\n` : '');
          }
          const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8').split('\n').filter((line) => line !== '') : [];
          expect(lines).toEqual(expected);
          expect(lines.length, 'a bad fixture must produce at least one finding').toBeGreaterThan(0);
        });
      }
    });
  }
});
