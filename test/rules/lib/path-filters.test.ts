/** GitHub path filter semantics over picomatch (src/rules/lib/path-filters.ts). */
import { describe, expect, it } from 'vitest';
import type { WorkflowTrigger } from '../../../src/parse/workflow.js';
import { pathFilter, toPicomatch } from '../../../src/rules/lib/path-filters.js';

const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function trigger(key: 'paths' | 'pathsIgnore', patterns: string[]): WorkflowTrigger {
  const filter = { patterns: patterns.map((value) => ({ value, range })), range, keyRange: range };
  return {
    event: 'push', range, branches: null, branchesIgnore: null, tags: null, tagsIgnore: null,
    paths: key === 'paths' ? filter : null, pathsIgnore: key === 'pathsIgnore' ? filter : null,
    types: [], crons: [], inputs: [],
  };
}

describe('path filters', () => {
  it.each([
    [['gpu/**'], 'gpu/Dockerfile', true],
    [['gpu/**'], 'scripts/entrypoint.sh', false],
    [['gpu/*'], 'gpu/sub/file', false],
    [['**.sh'], 'scripts/entrypoint.sh', true],
    [['**.sh'], 'retag.sh', true],
    [['docs/**.md'], 'docs/a/b.md', true],
    [['.github/workflows/*'], '.github/workflows/build.yaml', true],
    [['**'], '.dockerignore', true],
    [['./gpu/**'], 'gpu/Dockerfile', false],
    [['gpu/**', '!gpu/**/*.md'], 'gpu/README.md', false],
    [['gpu/**', '!gpu/**/*.md', 'gpu/keep.md'], 'gpu/keep.md', true],
    [['!gpu/**'], 'gpu/Dockerfile', false],
    [['retag_and_push.sh'], 'retag_and_push.sh', true],
    [['scripts'], 'scripts/entrypoint.sh', false],
  ])('paths %j includes %s: %s', (patterns, path, expected) => {
    expect(pathFilter(trigger('paths', patterns))?.includes(path)).toBe(expected);
  });

  it.each([
    [['docs/**'], 'gpu/Dockerfile', true],
    [['docs/**', '*.md'], 'README.md', false],
    [['**.md', '!gpu/**'], 'gpu/README.md', true],
  ])('paths-ignore %j includes %s: %s', (patterns, path, expected) => {
    expect(pathFilter(trigger('pathsIgnore', patterns))?.includes(path)).toBe(expected);
  });

  it('is null without a filter', () => {
    const none = { ...trigger('paths', []), paths: null };
    expect(pathFilter(none)).toBeNull();
  });

  it.each([
    ['**.js', '**/*.js'],
    ['docs/**.md', 'docs/**/*.md'],
    ['base/**', 'base/**'],
    ['**/x', '**/x'],
    ['a**', 'a*/**'],
  ])('rewrites %s to %s', (input, output) => {
    expect(toPicomatch(input)).toBe(output);
  });
});
