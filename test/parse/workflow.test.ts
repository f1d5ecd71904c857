/** The workflow model (src/parse/workflow.ts): triggers, jobs, steps, uses refs, run bodies with file positions. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Range } from '../../src/parse/locations.js';
import { initShellParser } from '../../src/parse/shell.js';
import { findTrigger, parseWorkflow, type Workflow, type WorkflowStep } from '../../src/parse/workflow.js';

beforeAll(async () => {
  await initShellParser();
});

/** The workflow text a range covers. */
function textAt(workflow: Workflow, range: Range): string {
  return workflow.text.slice(workflow.lines.offsetAt(range.start), workflow.lines.offsetAt(range.end));
}

function steps(text: string): WorkflowStep[] {
  return parseWorkflow('.github/workflows/x.yaml', text).jobs.flatMap((job) => job.steps);
}

/** Every word of every command of the step's run body must sit, as written, at its mapped range. */
function expectWordsInPlace(workflow: Workflow): number {
  let checked = 0;
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      for (const command of step.run?.shell?.commands ?? []) {
        for (const word of command.args) {
          if (word.range.start.line === word.range.end.line && !word.text.includes('$_')) {
            expect(textAt(workflow, word.range), `word ${word.text}`).toBe(word.text);
            checked += 1;
          }
        }
      }
    }
  }
  return checked;
}

const wrap = (stepsYaml: string): string => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${stepsYaml}`;

describe('parseWorkflow: run bodies', () => {
  it('maps a literal block scalar (run: |) line by line, with its indentation', () => {
    const text = wrap([
      '      - name: build',
      '        run: |',
      '          set -euo pipefail',
      '          docker buildx build \\',
      '            --file base/Dockerfile .',
      '',
      '          echo done',
      '',
    ].join('\n'));
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const run = workflow.jobs[0]?.steps[0]?.run;
    expect(run?.text).toBe('set -euo pipefail\ndocker buildx build \\\n  --file base/Dockerfile .\n\necho done\n');
    const commands = run?.shell?.commands ?? [];
    expect(commands.map((command) => [command.program, command.range.start.line, command.range.start.column])).toEqual([
      ['set', 8, 11],
      ['docker', 9, 11],
      ['echo', 12, 11],
    ]);
    const file = commands[1]?.args.find((word) => word.value === 'base/Dockerfile');
    expect(file?.range.start).toEqual({ line: 10, column: 20 });
    expect(expectWordsInPlace(workflow)).toBeGreaterThan(5);
  });

  it('maps a literal block scalar with CRLF line endings', () => {
    const text = wrap(['      - run: |', '          apt-get update', '          docker build -t a .', ''].join('\r\n')).replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const commands = workflow.jobs[0]?.steps[0]?.run?.shell?.commands ?? [];
    expect(commands.map((command) => [command.program, command.range.start.line, command.range.start.column])).toEqual([
      ['apt-get', 7, 11],
      ['docker', 8, 11],
    ]);
    expectWordsInPlace(workflow);
  });

  it('maps a folded block scalar (run: >-) back across the folded line breaks', () => {
    const text = wrap([
      '      - run: >-',
      '          docker build',
      '          -f gpu/Dockerfile',
      '          -t img .',
    ].join('\n'));
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const run = workflow.jobs[0]?.steps[0]?.run;
    expect(run?.text).toBe('docker build -f gpu/Dockerfile -t img .');
    const command = run?.shell?.commands[0];
    expect(command?.range.start).toEqual({ line: 7, column: 11 });
    expect(command?.range.end).toEqual({ line: 9, column: 19 });
    expect(command?.args.map((word) => `${word.value}@${word.range.start.line}:${word.range.start.column}`)).toEqual([
      'build@7:18', '-f@8:11', 'gpu/Dockerfile@8:14', '-t@9:11', 'img@9:14', '.@9:18',
    ]);
    expectWordsInPlace(workflow);
  });

  it('maps plain scalars, single-line and continued', () => {
    const text = wrap([
      '      - run: echo "date=$(date +%Y%m%d)" >> $GITHUB_OUTPUT',
      '      - run: ./retag_and_push.sh a',
      '          b',
    ].join('\n'));
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const [first, second] = workflow.jobs[0]?.steps ?? [];
    expect(first?.run?.shell?.commands.map((command) => [command.program, command.range.start.line, command.range.start.column])).toEqual([
      ['echo', 6, 14],
      ['date', 6, 27],
    ]);
    const retag = second?.run?.shell?.commands[0];
    expect(retag?.name).toBe('./retag_and_push.sh');
    expect(retag?.args.map((word) => `${word.value}@${word.range.start.line}:${word.range.start.column}`)).toEqual(['a@7:34', 'b@8:11']);
    expectWordsInPlace(workflow);
  });

  it('maps double-quoted scalars through escapes', () => {
    const text = wrap('      - run: "echo \\"a b\\" \\t c"\n');
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const command = workflow.jobs[0]?.steps[0]?.run?.shell?.commands[0];
    expect(command?.args.map((word) => `${word.value}@${word.range.start.column}`)).toEqual(['a b@20', 'c@31']);
  });

  it('blanks ${{ }} expressions for the shell, keeps them listed with their positions', () => {
    const text = wrap('      - run: ./retag_and_push.sh img:base img:base-${{ steps.date.outputs.date }}\n');
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const run = workflow.jobs[0]?.steps[0]?.run;
    expect(run?.shell?.errors).toEqual([]);
    const words = run?.shell?.commands[0]?.args ?? [];
    expect(words.map((word) => word.value)).toEqual(['img:base', null]);
    expect(run?.expressions.map((expression) => [expression.value, expression.range.start.column])).toEqual([
      ['${{ steps.date.outputs.date }}', 52],
    ]);
    expect(textAt(workflow, run?.expressions[0]?.range as Range)).toBe('${{ steps.date.outputs.date }}');
  });

  it('chooses the shell: bash by default, sh when asked, none for pwsh or Windows runners', () => {
    const text = [
      'on: push',
      'jobs:',
      '  linux:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo a',
      '      - run: echo b',
      '        shell: sh',
      '      - run: Write-Host c',
      '        shell: pwsh',
      '  windows:',
      '    runs-on: windows-latest',
      '    steps:',
      '      - run: Write-Host d',
    ].join('\n');
    const workflow = parseWorkflow('.github/workflows/x.yaml', text);
    const runs = workflow.jobs.flatMap((job) => job.steps.map((step) => [step.run?.shellName, step.run?.shell?.dialect ?? null]));
    expect(runs).toEqual([['bash', 'bash'], ['sh', 'sh'], ['pwsh', null], ['pwsh', null]]);
  });
});

describe('parseWorkflow: uses', () => {
  it.each([
    ['actions/checkout@v4', { slug: 'actions/checkout', path: null, ref: 'v4', refKind: 'tag', major: 4, kind: 'action' }],
    ['docker/build-push-action@v6.18.0', { slug: 'docker/build-push-action', ref: 'v6.18.0', refKind: 'tag', major: 6 }],
    ['github/codeql-action/upload-sarif@v3', { slug: 'github/codeql-action', path: 'upload-sarif', refKind: 'tag', major: 3 }],
    ['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', { refKind: 'sha', major: 4, comment: 'v4.2.2' }],
    ['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', { refKind: 'sha', major: null, comment: null }],
    ['docker/setup-buildx-action@master', { refKind: 'branch', major: null }],
    ['aquasecurity/trivy-action@0.36.0', { refKind: 'tag', major: 0 }],
    ['./.github/actions/build', { kind: 'local', path: './.github/actions/build', ref: null, refKind: null }],
    ['docker://alpine:3.20', { kind: 'docker', path: 'alpine:3.20' }],
  ])('splits %s', (uses, expected) => {
    const [step] = steps(wrap(`      - uses: ${uses}\n`));
    expect(step?.uses).toMatchObject(expected);
    expect(step?.uses?.range.start).toEqual({ line: 6, column: 15 });
  });

  it('reads a reusable workflow call on a job', () => {
    const workflow = parseWorkflow('w.yml', 'on: push\njobs:\n  call:\n    uses: org/shared/.github/workflows/build.yml@v2\n    with:\n      image: gpu\n');
    expect(workflow.jobs[0]?.uses).toMatchObject({ kind: 'reusable-workflow', slug: 'org/shared', path: '.github/workflows/build.yml', major: 2 });
    expect(workflow.jobs[0]?.with.get('image')?.value).toBe('gpu');
  });

  it('keeps with: inputs with their value ranges, stringifying scalars', () => {
    const [, step] = steps(wrap([
      '      - uses: actions/checkout@v4',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          push: true',
      '          python-version: 3.10',
      '          tags: |',
      '            a:latest',
      '            a:1',
    ].join('\n')));
    expect(step?.with.get('context')).toMatchObject({ value: '.', range: { start: { line: 9, column: 20 } }, keyRange: { start: { line: 9, column: 11 } } });
    expect(step?.with.get('push')?.value).toBe('true');
    expect(step?.with.get('python-version')?.value).toBe('3.10');
    expect(step?.with.get('tags')?.value).toBe('a:latest\na:1\n');
    expect(step?.label).toBe('docker/build-push-action@v6');
  });
});

describe('parseWorkflow: triggers', () => {
  it('reads on: as a string', () => {
    const workflow = parseWorkflow('w.yml', 'on: push\njobs: {}\n');
    expect(workflow.on?.events.map((event) => event.event)).toEqual(['push']);
    expect(findTrigger(workflow, 'push')?.paths).toBeNull();
  });

  it('reads on: as a list', () => {
    const workflow = parseWorkflow('w.yml', 'on: [push, workflow_dispatch]\njobs: {}\n');
    expect(workflow.on?.events.map((event) => [event.event, event.range.start.column])).toEqual([['push', 6], ['workflow_dispatch', 12]]);
  });

  it('reads on: as a mapping with filters, dispatch inputs and schedules', () => {
    const text = [
      'on:',
      '  push:',
      '    branches: [main]',
      '    paths:',
      "      - 'base/**'",
      "      - '!base/README.md'",
      '  pull_request:',
      '    paths-ignore: [docs/**]',
      '  workflow_dispatch:',
      '    inputs:',
      '      tag:',
      '        required: true',
      '  schedule:',
      "    - cron: '0 3 * * 1'",
      'jobs: {}',
    ].join('\n');
    const workflow = parseWorkflow('w.yml', text);
    const push = findTrigger(workflow, 'push');
    expect(push?.branches?.patterns.map((pattern) => pattern.value)).toEqual(['main']);
    expect(push?.paths?.patterns.map((pattern) => pattern.value)).toEqual(['base/**', '!base/README.md']);
    expect(push?.paths?.range.start).toEqual({ line: 5, column: 9 });
    expect(push?.paths?.keyRange.start).toEqual({ line: 4, column: 5 });
    expect(findTrigger(workflow, 'pull_request')?.pathsIgnore?.patterns.map((pattern) => pattern.value)).toEqual(['docs/**']);
    expect(findTrigger(workflow, 'workflow_dispatch')?.inputs).toEqual(['tag']);
    expect(findTrigger(workflow, 'schedule')?.crons.map((cron) => cron.value)).toEqual(['0 3 * * 1']);
    expect(workflow.on?.keyRange.start).toEqual({ line: 1, column: 1 });
  });

  it('reads an event with no body (workflow_dispatch:)', () => {
    const workflow = parseWorkflow('w.yml', 'on:\n  push:\n  workflow_dispatch:\njobs: {}\n');
    expect(workflow.on?.events.map((event) => event.event)).toEqual(['push', 'workflow_dispatch']);
  });

  it('reads the YAML 1.1 on: trap as on, and records it', () => {
    const workflow = parseWorkflow('w.yml', '%YAML 1.1\n---\non: push\njobs: {}\n');
    expect(workflow.on?.events.map((event) => event.event)).toEqual(['push']);
    expect(workflow.problems).toMatchObject([{ kind: 'yaml-1.1', range: { start: { line: 3, column: 1 } } }]);
  });
});

describe('parseWorkflow: permissions and concurrency', () => {
  it('reads workflow and job levels in their forms', () => {
    const text = [
      'on: push',
      'permissions: read-all',
      'concurrency: build-${{ github.ref }}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 90',
      '    permissions:',
      '      contents: read',
      '      packages: write',
      '    concurrency:',
      '      group: gpu',
      '      cancel-in-progress: true',
      '    steps: []',
    ].join('\n');
    const workflow = parseWorkflow('w.yml', text);
    expect(workflow.permissions?.all).toBe('read-all');
    expect(workflow.concurrency?.group?.value).toBe('build-${{ github.ref }}');
    const job = workflow.jobs[0];
    expect([...(job?.permissions?.scopes.entries() ?? [])].map(([scope, entry]) => `${scope}=${entry.value}`)).toEqual(['contents=read', 'packages=write']);
    expect(job?.concurrency?.cancelInProgress?.value).toBe('true');
    expect(job?.timeoutMinutes?.value).toBe('90');
    expect(workflow.problems).toEqual([]);
  });
});

describe('parseWorkflow: bad input never throws', () => {
  it.each([
    ['a syntax error', 'on: push\njobs: build: {}\n', 'syntax'],
    ['an unclosed flow sequence', 'on: [push\njobs: {}\n', 'syntax'],
    ['a tab indentation', 'on: push\njobs:\n\tbuild: {}\n', 'syntax'],
    ['duplicate keys', 'on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n', 'duplicate-key'],
    ['a list at the top', '- a\n- b\n', 'structure'],
    ['an empty file', '', 'structure'],
    ['steps that are not a list', 'on: push\njobs:\n  a:\n    steps: nope\n', 'structure'],
    ['two documents', 'on: push\njobs: {}\n---\non: pull_request\n', 'syntax'],
  ])('turns %s into a problem with a line', (_label, text, kind) => {
    const workflow = parseWorkflow('w.yml', text);
    expect(workflow.problems.map((problem) => problem.kind)).toContain(kind);
    for (const problem of workflow.problems) {
      expect(problem.range.start.line).toBeGreaterThanOrEqual(1);
      expect(problem.message).toMatch(/^[a-z"%]/);
    }
  });

  it('reports duplicate keys at the second key and keeps the first', () => {
    const workflow = parseWorkflow('w.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n');
    expect(workflow.jobs.map((job) => [job.id, job.runsOn[0]?.value])).toEqual([['a', 'x']]);
    expect(workflow.problems[0]?.range.start.line).toBe(5);
  });
});

describe('parseWorkflow: comments', () => {
  it('collects YAML comments but not # inside run: bodies', () => {
    const workflow = parseWorkflow('w.yml', [
      '# fallback: switch driver to docker-container if cloud is down',
      'on: push # trailing',
      'jobs:',
      '  a:',
      '    steps:',
      '      - run: |',
      '          echo # shell comment',
    ].join('\n'));
    expect(workflow.comments).toEqual([
      { line: 1, text: 'fallback: switch driver to docker-container if cloud is down' },
      { line: 2, text: 'trailing' },
    ]);
  });
});

describe('parseWorkflow: never throws (property)', () => {
  // Lines from real workflows, shuffled, re-indented and mixed with noise: the model must come
  // back with problems, never an exception, and every position must be inside the file.
  const line = fc.oneof(
    fc.constantFrom(
      'on:', 'on: push', '  push:', '    paths:', "      - 'gpu/**'", 'jobs:', '  build:', '    runs-on: ubuntu-24.04',
      '    steps:', '      - uses: actions/checkout@v4', '      - run: |', '          docker build -f gpu/Dockerfile .',
      '      - run: >-', '          echo ${{ github.sha }}', '        with:', '          driver: cloud', '      - run: "a \\" b"',
      "      - run: 'it''s'", '%YAML 1.1', '---', '  build:', '- a', '{', '[', '"', "'", '\t- x', '#c', '', '&a x', '*a', '!!str x',
    ),
    fc.string({ maxLength: 20 }),
  );
  it('models any text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), line), { maxLength: 25 }), (lines) => {
        const text = lines.map(([indent, content]) => `${' '.repeat(indent)}${content}`).join('\n');
        const workflow = parseWorkflow('w.yml', text);
        const lastLine = workflow.lines.lineCount + 1;
        for (const problem of workflow.problems) {
          expect(problem.range.start.line).toBeGreaterThanOrEqual(1);
          expect(problem.range.start.line).toBeLessThanOrEqual(lastLine);
        }
        for (const job of workflow.jobs) {
          for (const step of job.steps) {
            for (const command of step.run?.shell?.commands ?? []) {
              expect(command.range.start.line).toBeGreaterThanOrEqual(1);
              expect(command.range.end.line).toBeLessThanOrEqual(lastLine);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseWorkflow: hostile and non-workflow YAML', () => {
  /** A "billion laughs" document: ten levels of nine aliases each (9^9 copies if expanded). */
  function aliasBomb(): string {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let level = 1; level < 10; level++) {
      text += `a${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]\n`;
    }
    return `${text}on: push\njobs:\n  build:\n    runs-on: *a9\n    env: *a9\n    steps: *a9\n`;
  }

  it('reports an alias bomb without expanding it', () => {
    const workflow = parseWorkflow('w.yml', aliasBomb());
    const bomb = workflow.problems.find((problem) => problem.kind === 'alias');
    expect(bomb?.message).toMatch(/alias bomb/);
    expect(bomb?.range.start.line).toBe(2);
    // The job is still modelled; its steps are aliases of lists, not mappings.
    expect(workflow.jobs.map((job) => job.id)).toEqual(['build']);
  });

  it('follows anchors and aliases GitHub accepts, and reports merge keys it does not', () => {
    const text = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - &checkout',
      '        uses: actions/checkout@v7',
      '      - *checkout',
      '  test:',
      '    <<: &defaults {runs-on: ubuntu-24.04}',
      '    steps: []',
    ].join('\n');
    const workflow = parseWorkflow('w.yml', text);
    expect(workflow.jobs[0]?.steps.map((step) => step.uses?.raw)).toEqual(['actions/checkout@v7', 'actions/checkout@v7']);
    expect(workflow.problems.filter((problem) => problem.kind === 'alias')).toEqual([]);
    const merged = parseWorkflow('w.yml', `x: &d {runs-on: ubuntu-24.04}\non: push\njobs:\n  test:\n    <<: *d\n    steps: []\n`);
    expect(merged.problems.map((problem) => [problem.kind, problem.range.start.line])).toEqual([['alias', 5]]);
  });

  it.each([
    ['an empty file', '', 'workflow file is empty', 1],
    ['a comment-only file', '# nothing yet\n', 'workflow file is empty', 1],
    ['a list', '- push\n- build\n', 'workflow is not a mapping of keys (name, on, jobs)', 1],
    ['a dependabot-like file', 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n', 'file has neither "on" nor "jobs", so it is not a workflow (keys: "version", "updates"); GitHub reports it as an invalid workflow', 1],
  ])('reports %s as one structure problem', (_name, text, message, line) => {
    const workflow = parseWorkflow('w.yml', text);
    expect(workflow.problems.map((problem) => [problem.message, problem.range.start.line])).toEqual([[message, line]]);
  });

  it('records plain values that read differently than written, with their keys', () => {
    const text = [
      'on: push',
      'jobs:',
      '  test:',
      '    timeout-minutes: 30.0',
      '    strategy:',
      '      matrix:',
      '        python: [3.9, 3.10, "3.11"]',
      '    steps:',
      '      - uses: actions/setup-python@v6',
      '        with:',
      '          python-version: 3.10',
      '          allow-prereleases: yes',
      '          cache: pip',
      '          node: 010',
      '          on: off',
    ].join('\n');
    const workflow = parseWorkflow('w.yml', text);
    expect(workflow.valueTraps.map((trap) => [trap.kind, trap.key, trap.source, trap.read, trap.range.start.line])).toEqual([
      ['number', 'python', '3.10', '3.1', 7],
      ['number', 'python-version', '3.10', '3.1', 11],
      ['boolean', 'allow-prereleases', 'yes', 'true', 12],
      ['number', 'node', '010', '10', 14],
      ['boolean', 'on', 'off', 'false', 15],
    ]);
    // The model keeps what the author wrote.
    expect(workflow.jobs[0]?.steps[0]?.with.get('python-version')?.value).toBe('3.10');
  });

  it('models any unicode text without throwing (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const workflow = parseWorkflow('w.yml', text);
        for (const problem of workflow.problems) {
          expect(problem.range.start.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
