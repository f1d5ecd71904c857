/**
 * Keeps rules, fixtures, the registry and the docs in lockstep (CONVENTIONS.md principle 9), and
 * keeps rules pure (principle 2): no file system, processes, clock or environment in src/rules.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReadme, renderRulesDoc } from '../../tools/gen-rules-doc.js';
import { renderRegistry } from '../../tools/gen-registry.js';
import { RULES } from '../../src/rules/registry.js';
import { RULE_ID } from '../../src/rules/rule.js';
import { fixtureCases } from '../rules/fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const rulesDir = join(root, 'src', 'rules');

// Engine rules whose behaviour needs a setup a fixture cannot hold; each names the test that covers it.
const COVERED_ELSEWHERE: Record<string, string> = {
  'review/rule-failed': 'test/review/review.test.ts',
  'review/tool-unavailable': 'test/review/review.test.ts',
};

describe('rule registry', () => {
  it('is generated from the rule files', () => {
    expect(readFileSync(join(rulesDir, 'registry.ts'), 'utf8')).toBe(renderRegistry());
  });

  it('has unique ids', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds every rule file', () => {
    const files = readdirSync(rulesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'lib')
      .flatMap((entry) => readdirSync(join(rulesDir, entry.name)).map((file) => `${entry.name}/${file.replace(/\.ts$/, '')}`));
    expect(files.sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });
});

describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  it('has an id of the form area/what-it-detects that matches its file', () => {
    expect(id).toMatch(RULE_ID);
    expect(existsSync(join(rulesDir, `${id}.ts`))).toBe(true);
  });

  it('documents itself', () => {
    expect(rule.meta.title.length).toBeGreaterThan(5);
    expect(rule.meta.title).not.toMatch(/\.$/);
    expect(rule.meta.rationale.length).toBeGreaterThan(80);
    expect(rule.meta.remediation.length).toBeGreaterThan(20);
  });

  it('has a failing and a passing fixture', () => {
    if (COVERED_ELSEWHERE[id]) {
      expect(existsSync(join(root, COVERED_ELSEWHERE[id]))).toBe(true);
      return;
    }
    const cases = fixtureCases(join(root, 'test', 'fixtures', 'rules', id));
    expect(cases.filter((entry) => entry.kind === 'bad').length, 'bad fixture').toBeGreaterThan(0);
    expect(cases.filter((entry) => entry.kind === 'good').length, 'good fixture').toBeGreaterThan(0);
  });

  it('is pure: no I/O, processes, clock or environment', () => {
    const source = readFileSync(join(rulesDir, `${id}.ts`), 'utf8');
    expect(source).not.toMatch(/from ['"](node:)?(fs|fs\/promises|child_process|os|net|http|https)['"]/);
    expect(source).not.toMatch(/process\.(env|cwd|argv)|Date\.now\(|new Date\(\)|Math\.random\(/);
  });
});

describe('rules documentation', () => {
  it('docs/rules.md is up to date (npm run docs:rules)', () => {
    expect(readFileSync(join(root, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc());
  });

  it('README.md rule table is up to date (npm run docs:rules)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- rules:start');
    expect(readme).toBe(renderReadme(readme));
  });
});

describe('config schema', () => {
  it('schema/baseimg.config.schema.json is generated from src/repo/config.schema.ts (npx tsx tools/gen-schema.ts)', async () => {
    const { renderConfigSchema } = await import('../../tools/gen-schema.js');
    expect(readFileSync(join(root, 'schema', 'baseimg.config.schema.json'), 'utf8')).toBe(renderConfigSchema());
  });
});
