/**
 * Property test of the workflow fixes: generated image workflows with a random subset of the
 * fixable problems (no workflow_dispatch, no permissions, no concurrency, a paused file name,
 * a paths filter that misses build inputs), in every `on:` shape, with 2- or 4-space indentation,
 * comments and blank lines in random places. After `fix --write` every workflow still parses, the
 * fixed findings are gone, and a second `fix` changes nothing.
 */
import { mkdir, readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { planFixes, writeFixPlan } from '../../src/fix/plan.js';
import { review } from '../../src/review.js';
import { RULES } from '../../src/rules/registry.js';

const NUM_RUNS = Number(process.env.BASEIMG_PROPERTY_RUNS ?? 40);
const FIXABLE = ['workflow/disabled-by-extension', 'workflow/missing-concurrency', 'workflow/missing-permissions', 'workflow/missing-workflow-dispatch', 'workflow/trigger-paths-miss-build-inputs'];
const RULES_UNDER_TEST = RULES.filter((rule) => FIXABLE.includes(rule.id));

interface Shape {
  indent: 2 | 4;
  on: 'scalar' | 'flow-list' | 'block-list' | 'block-map' | 'flow-map';
  pathsStyle: 'block' | 'flow';
  dispatch: boolean;
  permissions: boolean;
  concurrency: boolean;
  paused: boolean;
  fullPaths: boolean;
  ghcr: boolean;
  blankBeforeJobs: boolean;
  commentBeforeJobs: boolean;
  crlf: boolean;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  indent: fc.constantFrom(2 as const, 4 as const),
  on: fc.constantFrom('scalar' as const, 'flow-list' as const, 'block-list' as const, 'block-map' as const, 'flow-map' as const),
  pathsStyle: fc.constantFrom('block' as const, 'flow' as const),
  dispatch: fc.boolean(),
  permissions: fc.boolean(),
  concurrency: fc.boolean(),
  paused: fc.boolean(),
  fullPaths: fc.boolean(),
  ghcr: fc.boolean(),
  blankBeforeJobs: fc.boolean(),
  commentBeforeJobs: fc.boolean(),
  crlf: fc.boolean(),
});

function workflowText(s: Shape, path: string): string {
  const i = (depth: number): string => ' '.repeat(s.indent * depth);
  const events = ['push', ...(s.dispatch ? ['workflow_dispatch'] : [])];
  const paths = ["'img/**'", ...(s.fullPaths ? ["'scripts/**'", `'${path.replace(/\.paused$/, '')}'`] : [])];
  let on: string[];
  switch (s.on) {
    case 'scalar':
      on = s.dispatch ? ['on: [push, workflow_dispatch]'] : ['on: push'];
      break;
    case 'flow-list':
      on = [`on: [${events.join(', ')}] # events`];
      break;
    case 'block-list':
      on = ['on:', ...events.map((event) => `${i(1)}- ${event}`)];
      break;
    case 'flow-map':
      on = [`on: {push: {branches: [main], paths: [${paths.join(', ')}]}${s.dispatch ? ', workflow_dispatch: {}' : ''}}`];
      break;
    default:
      on = [
        'on:',
        `${i(1)}push:`,
        `${i(2)}branches: [main]`,
        ...(s.pathsStyle === 'flow' ? [`${i(2)}paths: [${paths.join(', ')}]`] : [`${i(2)}paths:`, ...paths.map((pattern) => `${i(3)}- ${pattern}`)]),
        ...(s.dispatch ? [`${i(1)}workflow_dispatch:`] : []),
      ];
  }
  const lines = [
    '# Builds the image.',
    'name: build',
    '',
    ...on,
    '',
    ...(s.permissions ? ['permissions:', `${i(1)}contents: read`, ''] : []),
    ...(s.concurrency ? ['concurrency:', `${i(1)}group: \${{ github.workflow }}-\${{ github.ref }}`, ''] : []),
    'env:',
    `${i(1)}IMAGE: ${s.ghcr ? 'ghcr.io/example/edge' : 'example/edge'}`,
    ...(s.blankBeforeJobs ? [''] : []),
    ...(s.commentBeforeJobs ? ['# The build job.'] : []),
    'jobs:',
    `${i(1)}build:`,
    `${i(2)}runs-on: ubuntu-24.04 # hosted`,
    ...(s.permissions && s.ghcr ? [`${i(2)}permissions:`, `${i(3)}contents: read`, `${i(3)}packages: write`] : []),
    `${i(2)}steps:`,
    `${i(3)}- uses: actions/checkout@v7`,
    `${i(3)}- uses: docker/build-push-action@v7`,
    `${i(3)}  with:`,
    `${i(3)}  ${i(1)}context: .`,
    `${i(3)}  ${i(1)}file: img/Dockerfile`,
    `${i(3)}  ${i(1)}push: true`,
    `${i(3)}  ${i(1)}tags: \${{ env.IMAGE }}:cpu`,
    '',
  ];
  return lines.join(s.crlf ? '\r\n' : '\n');
}

async function files(root: string, folder = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, folder), { withFileTypes: true })) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    found.push(...(entry.isDirectory() ? await files(root, path) : [path]));
  }
  return found;
}

describe('workflow fixes (property)', () => {
  it('leave parseable workflows without the fixed findings, and a second fix changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const root = await mkdtemp(join(tmpdir(), 'baseimg-wf-fix-'));
        try {
          const path = `.github/workflows/build.yaml${s.paused ? '.paused' : ''}`;
          const repo: Record<string, string> = {
            'img/Dockerfile': 'FROM ubuntu:24.04\nCOPY scripts/entry.sh /entry.sh\n',
            'scripts/entry.sh': '#!/bin/sh\nexec "$@"\n',
            [path]: workflowText(s, path),
          };
          for (const [file, text] of Object.entries(repo)) {
            await mkdir(dirname(join(root, file)), { recursive: true });
            await writeFile(join(root, file), text);
          }
          const plan = await planFixes({ path: root, rules: RULES_UNDER_TEST, today: '2026-11-29' });
          expect(plan.converged).toBe(true);
          await writeFixPlan(plan);
          const workflows = (await files(root)).filter((file) => file.startsWith('.github/workflows/'));
          expect(workflows).toEqual(['.github/workflows/build.yaml']);
          const text = await readFile(join(root, '.github/workflows/build.yaml'), 'utf8');
          expect(parseDocument(text).errors.map((error) => error.message)).toEqual([]);
          // The file keeps its line ends, and every original line is still there, in order (but the
          // lines the fixes extend in place: a one-line `on:` and a flow `paths:` list).
          expect(text.includes('\r\n')).toBe(s.crlf);
          const original = repo[path]!.split(/\r?\n/);
          const after = text.split(/\r?\n/);
          let cursor = 0;
          for (const line of original.filter((line) => !line.startsWith('on: ') && !line.includes('paths: ['))) {
            cursor = after.indexOf(line, cursor);
            expect(cursor, `line ${JSON.stringify(line)} kept`).toBeGreaterThanOrEqual(0);
          }
          const again = await review({ path: root, rules: RULES_UNDER_TEST, shellcheck: 'off', today: '2026-11-29' });
          expect(again.findings.filter((finding) => finding.fix?.safety === 'safe').map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
          const second = await planFixes({ path: root, rules: RULES_UNDER_TEST, today: '2026-11-29' });
          expect(second.changes).toEqual([]);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      }),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  it.each([
    ['malformed YAML', 'on: push\njobs:\n  build: [\n'],
    ['an empty file', ''],
    ['a list', '- push\n- build\n'],
    ['a dependabot-like file', 'version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /\n'],
    ['a duplicate key', 'on: push\non: pull_request\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: docker build .\n'],
  ])('report %s with a line and leave it untouched', async (_case, text) => {
    const root = await mkdtemp(join(tmpdir(), 'baseimg-wf-bad-'));
    try {
      await mkdir(join(root, '.github/workflows'), { recursive: true });
      await writeFile(join(root, '.github/workflows/build.yml'), text);
      await writeFile(join(root, 'Dockerfile'), 'FROM ubuntu:24.04\n');
      const workflowRules = RULES.filter((rule) => rule.id.startsWith('workflow/'));
      const result = await review({ path: root, rules: workflowRules, shellcheck: 'off', today: '2026-11-29' });
      const parseErrors = result.findings.filter((finding) => finding.ruleId === 'workflow/parse-error');
      expect(parseErrors.length).toBeGreaterThan(0);
      for (const finding of parseErrors) {
        expect(finding.file).toBe('.github/workflows/build.yml');
        expect(finding.range.start.line).toBeGreaterThanOrEqual(1);
      }
      const plan = await planFixes({ path: root, rules: workflowRules, today: '2026-11-29' });
      expect(plan.changes.filter((change) => change.path.startsWith('.github/'))).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
