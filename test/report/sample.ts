/** A hand-built review result for the renderer tests: two rules, three files, every optional field. */
import type { Range } from '../../src/parse/locations.js';
import type { ReviewResult } from '../../src/review.js';
import type { Finding, Severity } from '../../src/rules/finding.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

/** A rule with real-looking meta and no hooks. */
export function fakeRule(id: string, severity: Severity, extra: Partial<Rule['meta']> = {}): Rule {
  return defineRule({
    id,
    meta: {
      title: `Title of ${id}`,
      severity,
      rationale: `Why ${id} matters for CUDA base images: it keeps layers small and builds reproducible across rebuilds.`,
      remediation: `Fix ${id} like this.`,
      ...extra,
    },
    hooks: {},
  });
}

/** A range on one line. */
export function span(line: number, column = 1, endLine = line, endColumn = column + 4): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

/** A finding with defaults. */
export function finding(partial: Partial<Finding> & Pick<Finding, 'ruleId' | 'file'>): Finding {
  return { severity: 'warning', message: 'something is off', range: span(1), ...partial };
}

export const RULE_A = fakeRule('dockerfile/apt-without-no-install-recommends', 'warning', { hadolint: ['DL3015'], fixable: 'safe' });
export const RULE_B = fakeRule('supply-chain/curl-pipe-to-shell', 'error');
export const RULE_C = fakeRule('docs/missing-readme', 'info', { enabledByDefault: false });

/** A review of a small repository; findings sorted as review() sorts them. */
export function sampleResult(findings: Finding[] = sampleFindings()): ReviewResult {
  return {
    root: '/tmp/repo',
    findings,
    rules: [RULE_A, RULE_B, RULE_C],
    families: [
      { name: 'gpu', dockerfile: 'docker/gpu/Dockerfile', context: '', target: null, requirements: ['requirements.txt'], workflows: ['.github/workflows/gpu.yml'], scripts: ['build.sh'], test: null },
      { name: 'cpu', dockerfile: 'docker/cpu/Dockerfile', context: 'docker/cpu', target: 'runtime', requirements: [], workflows: [], scripts: [], test: 'test.sh' },
    ],
    counts: { dockerfiles: 2, scripts: 1, workflows: 1, requirements: 1 },
    tools: { shellcheck: { version: '0.10.0' } },
  };
}

export function sampleFindings(): Finding[] {
  return [
    finding({
      ruleId: RULE_A.id,
      file: 'docker/gpu/Dockerfile',
      severity: 'warning',
      message: 'apt-get install in stage "build" lacks --no-install-recommends',
      range: span(4, 5, 6, 32),
      fix: { description: 'add --no-install-recommends', safety: 'safe', edits: [{ file: 'docker/gpu/Dockerfile', start: 10, end: 10, newText: ' --no-install-recommends' }] },
    }),
    finding({
      ruleId: RULE_B.id,
      file: 'docker/gpu/Dockerfile',
      severity: 'error',
      message: 'curl output piped to "sh" | without a checksum',
      range: span(9, 5),
      related: [{ file: 'build.sh', range: span(3, 1), message: 'the same download in the build script' }],
    }),
    finding({
      ruleId: 'shell/shellcheck',
      file: 'my scripts/build.sh',
      severity: 'info',
      message: 'SC2086: Double quote to prevent globbing and word splitting.',
      range: span(3, 8, 3, 8),
      code: 'SC2086',
    }),
  ];
}
