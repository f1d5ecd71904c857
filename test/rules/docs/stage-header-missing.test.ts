import { describe, expect, it } from 'vitest';
import { headerFields, stageHeaderMissing } from '../../../src/rules/docs/stage-header-missing.js';
import { reviewFiles } from '../../helpers.js';

function fields(...lines: string[]): string[] {
  return [...headerFields(lines.map((text, index) => ({ line: index + 1, text })))].sort();
}

async function findings(dockerfile: string): Promise<string[]> {
  const result = await reviewFiles({ Dockerfile: dockerfile }, { rules: [stageHeaderMissing] });
  return result.findings.filter((finding) => finding.ruleId === stageHeaderMissing.id).map((finding) => `${finding.range.start.line}: ${finding.message}`);
}

describe('docs/stage-header-missing field labels', () => {
  it.each([
    [['Stage: build'], ['Stage']],
    [['Stage name: build'], ['Stage']],
    [['- stage name: build'], ['Stage']],
    [['* Purpose: x'], ['Purpose']],
    [['**Purpose**: x'], ['Purpose']],
    [['Inputs (ARG/COPY): PYTHON_VERSION'], ['Inputs']],
    [['Input: none'], ['Inputs']],
    [['Outputs (artifacts copied to next stage): /opt/python'], ['Outputs']],
    [['Why: x'], ['Why']],
    [['Why this design: x'], ['Why']],
    [['Why this design was chosen: x'], ['Why']],
    [['Rationale: x'], ['Why']],
    [['Risks: x'], ['Risks']],
    [['Risks/constraints: x'], ['Risks']],
    [['Main risks/constraints: x'], ['Risks']],
    [['CONSTRAINTS: x'], ['Risks']],
    [['===== Stage: build ====='], ['Stage']],
  ])('%j -> %j', (lines, expected) => {
    expect(fields(...lines)).toEqual(expected);
  });

  it.each([
    ['Stage build'],
    ['This stage: builds python'],
    ['see https://docs.docker.com/build/building/multi-stage/'],
    ['Purposes of this file are many'],
  ])('%j is no field', (line) => {
    expect(fields(line)).toEqual([]);
  });
});

describe('docs/stage-header-missing', () => {
  it('reads the header above global ARGs for the first stage', async () => {
    expect(await findings([
      '# Stage: runtime',
      '# Purpose: x',
      '# Inputs: PYTHON_VERSION',
      '# Outputs: the image',
      '# Why: x',
      '# Risks: x',
      'ARG PYTHON_VERSION=3.13.11',
      'FROM python:${PYTHON_VERSION}-slim',
      'RUN true',
    ].join('\n'))).toEqual([]);
  });

  it('does not count pragmas as a header', async () => {
    expect(await findings('# hadolint ignore=DL3007\nFROM ubuntu:latest\n')).toEqual([
      '2: stage "#0" has no header comment; add one above FROM with Stage, Purpose, Inputs, Outputs, Why, Risks',
    ]);
  });

  it('skips alias stages that only name an image', async () => {
    const header = '# Stage: app\n# Purpose: x\n# Inputs: x\n# Outputs: x\n# Why: x\n# Risks: x\n';
    expect(await findings(`FROM ghcr.io/astral-sh/uv:0.9.5 AS uv\n\n${header}FROM python:3.13-slim\nCOPY --from=uv /uv /bin/uv\n`)).toEqual([]);
  });
});
