/** The JSON renderer, schema version 1 (src/report/json.ts, docs/output.md). */
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_VERSION, renderJson } from '../../src/report/json.js';
import { sampleResult } from './sample.js';

type Json = Record<string, unknown>;

function parse(text: string): Json {
  return JSON.parse(text) as Json;
}

describe('renderJson', () => {
  const text = renderJson(sampleResult(), { version: '1.2.3' });
  const document = parse(text);

  it('is version 1, 2-space indented, with a trailing newline', () => {
    expect(JSON_SCHEMA_VERSION).toBe(1);
    expect(document.schemaVersion).toBe(1);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('has exactly the documented top-level fields, in order', () => {
    expect(Object.keys(document)).toEqual(['schemaVersion', 'tool', 'summary', 'scope', 'families', 'tools', 'findings']);
    expect(document.tool).toEqual({ name: 'baseimg', version: '1.2.3' });
    expect(document.summary).toEqual({ findings: 3, errors: 1, warnings: 1, info: 1 });
    expect(document.scope).toEqual({ dockerfiles: 2, scripts: 1, workflows: 1, requirements: 1 });
    expect(document.tools).toEqual({ shellcheck: '0.10.0', actionlint: null });
  });

  it('maps families with "." for the repository root context', () => {
    expect(document.families).toEqual([
      { name: 'gpu', dockerfile: 'docker/gpu/Dockerfile', context: '.', requirements: ['requirements.txt'], workflows: ['.github/workflows/gpu.yml'], scripts: ['build.sh'] },
      { name: 'cpu', dockerfile: 'docker/cpu/Dockerfile', context: 'docker/cpu', requirements: [], workflows: [], scripts: [] },
    ]);
  });

  it('maps every finding field by field, optional fields only when present', () => {
    const findings = document.findings as Json[];
    expect(findings).toEqual([
      {
        ruleId: 'dockerfile/apt-without-no-install-recommends',
        severity: 'warning',
        message: 'apt-get install in stage "build" lacks --no-install-recommends',
        file: 'docker/gpu/Dockerfile',
        line: 4,
        column: 5,
        endLine: 6,
        endColumn: 32,
        docs: 'docs/rules.md#dockerfileapt-without-no-install-recommends',
        fix: { description: 'add --no-install-recommends', safety: 'safe' },
      },
      {
        ruleId: 'supply-chain/curl-pipe-to-shell',
        severity: 'error',
        message: 'curl output piped to "sh" | without a checksum',
        file: 'docker/gpu/Dockerfile',
        line: 9,
        column: 5,
        endLine: 9,
        endColumn: 9,
        docs: 'docs/rules.md#supply-chaincurl-pipe-to-shell',
        related: [{ file: 'build.sh', line: 3, column: 1, message: 'the same download in the build script' }],
      },
      {
        ruleId: 'shell/shellcheck',
        severity: 'info',
        message: 'SC2086: Double quote to prevent globbing and word splitting.',
        file: 'my scripts/build.sh',
        line: 3,
        column: 8,
        endLine: 3,
        endColumn: 8,
        code: 'SC2086',
        docs: 'docs/rules.md#shellshellcheck',
      },
    ]);
    // Key order is part of the format (diff-friendly output).
    expect(Object.keys(findings[0] ?? {})).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'docs', 'fix']);
    expect(Object.keys(findings[2] ?? {})).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'code', 'docs']);
  });

  it('does not leak internal fields (edits, ranges, root)', () => {
    expect(text).not.toContain('"edits"');
    expect(text).not.toContain('"range"');
    expect(text).not.toContain('/tmp/repo');
    expect(text).not.toContain('"target"');
  });

  it('is byte-for-byte stable for the same input', () => {
    expect(renderJson(sampleResult(), { version: '1.2.3' })).toBe(text);
  });

  it('keeps findings in the order review() sorted them', () => {
    const files = (document.findings as Json[]).map((entry) => `${String(entry.file)}:${String(entry.line)}`);
    expect(files).toEqual(['docker/gpu/Dockerfile:4', 'docker/gpu/Dockerfile:9', 'my scripts/build.sh:3']);
  });

  it('writes null when ShellCheck did not run and an empty list without findings', () => {
    const result = sampleResult([]);
    result.tools = { shellcheck: null };
    const empty = parse(renderJson(result, { version: '0.0.0' }));
    expect(empty.tools).toEqual({ shellcheck: null, actionlint: null });
    expect(empty.findings).toEqual([]);
    expect(empty.summary).toEqual({ findings: 0, errors: 0, warnings: 0, info: 0 });
  });
});
