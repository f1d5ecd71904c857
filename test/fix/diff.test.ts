import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/diff.js';
import { planFixes } from '../../src/fix/plan.js';
import { aptWithoutNoInstallRecommends } from '../../src/rules/dockerfile/apt-without-no-install-recommends.js';
import { tempRepo } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'rules', 'dockerfile', 'apt-without-no-install-recommends', 'bad.Dockerfile');

describe('unifiedDiff', () => {
  it('renders the fix of a real Dockerfile fixture as a unified diff with three lines of context', async () => {
    const repo = await tempRepo({ Dockerfile: readFileSync(FIXTURE, 'utf8') });
    try {
      const plan = await planFixes({ path: repo.root, rules: [aptWithoutNoInstallRecommends] });
      expect(plan.changes).toHaveLength(1);
      const change = plan.changes[0]!;
      expect(unifiedDiff(change)).toBe([
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,7 +1,7 @@',
        ' FROM debian:bookworm-slim AS build',
        ' RUN apt-get update \\',
        '-    && apt-get install -y build-essential \\',
        '+    && apt-get install --no-install-recommends -y build-essential \\',
        '     && rm -rf /var/lib/apt/lists/*',
        ' ',
        ' FROM debian:bookworm-slim',
        '-RUN apt-get update && sudo apt install -y curl && rm -rf /var/lib/apt/lists/*',
        '+RUN apt-get update && sudo apt install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*',
        '',
      ].join('\n'));
    } finally {
      await repo.cleanup();
    }
  });

  it('splits distant changes into hunks with three lines of context', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', 'line eighteen\n');
    const diff = unifiedDiff({ path: 'build.sh', before, after });
    expect(diff.split('\n').filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
  });

  it('prints nothing for an unchanged file and git rename headers for a pure rename', () => {
    expect(unifiedDiff({ path: 'a', before: 'x\n', after: 'x\n' })).toBe('');
    expect(unifiedDiff({ path: '.github/workflows/ci.yaml.paused', newPath: '.github/workflows/ci.yaml', before: 'x\n', after: 'x\n' }))
      .toBe('diff --git a/.github/workflows/ci.yaml.paused b/.github/workflows/ci.yaml\nrename from .github/workflows/ci.yaml.paused\nrename to .github/workflows/ci.yaml\n');
  });
});
