import { describe, expect, it } from 'vitest';
import { consistentInstructionCasing } from '../../../src/rules/dockerfile/consistent-instruction-casing.js';
import { duplicateStageName } from '../../../src/rules/dockerfile/duplicate-stage-name.js';
import { fromAsCasing } from '../../../src/rules/dockerfile/from-as-casing.js';
import { redundantTargetPlatform } from '../../../src/rules/dockerfile/redundant-target-platform.js';
import { reservedStageName } from '../../../src/rules/dockerfile/reserved-stage-name.js';
import { stageNameCasing } from '../../../src/rules/dockerfile/stage-name-casing.js';
import { fixed, lint, lintLines } from './lint.js';

describe('dockerfile/stage-name-casing', () => {
  it('lowercases the name and its literal references', async () => {
    const dockerfile = [
      'FROM golang:1.22 AS Tools.Build',
      'FROM Tools.Build AS test',
      'COPY --from=Tools.Build /go/bin /bin',
      'RUN --mount=type=bind,from=Tools.Build,target=/t ls /t',
      '',
    ].join('\n');
    expect(await fixed(stageNameCasing, dockerfile)).toBe(dockerfile.replaceAll('Tools.Build', 'tools.build'));
  });
});

describe('dockerfile/from-as-casing', () => {
  it('fixes the AS keyword', async () => {
    expect(await fixed(fromAsCasing, 'FROM ubuntu:22.04 as base\n')).toBe('FROM ubuntu:22.04 AS base\n');
  });
});

describe('dockerfile/duplicate-stage-name', () => {
  it('points at the first stage of that name', async () => {
    const [finding, ...rest] = await lint(duplicateStageName, 'FROM a:1 AS x\nFROM b:1 AS y\nFROM c:1 AS X\nFROM d:1 AS x\n');
    expect(rest).toHaveLength(1);
    expect(finding?.range.start.line).toBe(3);
    expect(finding?.related?.[0]?.range.start.line).toBe(1);
  });
});

describe('dockerfile/reserved-stage-name', () => {
  it('accepts FROM scratch and names that only contain a reserved word', async () => {
    expect(await lintLines(reservedStageName, 'FROM scratch AS scratch-export\nFROM ubuntu:22.04 AS build-context\n')).toEqual([]);
  });
});

describe('dockerfile/redundant-target-platform', () => {
  it('removes the flag', async () => {
    expect(await fixed(redundantTargetPlatform, 'FROM --platform=$TARGETPLATFORM ubuntu:22.04 AS base\n')).toBe('FROM ubuntu:22.04 AS base\n');
  });

  it('accepts BUILDPLATFORM and platform strings that merely contain the variable', async () => {
    expect(await lintLines(redundantTargetPlatform, 'FROM --platform=$BUILDPLATFORM a:1\nFROM --platform=${TARGETPLATFORM:-linux/amd64} b:1\n')).toEqual([]);
  });
});

describe('dockerfile/consistent-instruction-casing', () => {
  it('breaks a tie towards upper case and fixes the rest', async () => {
    expect(await fixed(consistentInstructionCasing, 'FROM ubuntu:22.04\nrun echo hi\nCopy a /b\nuser nobody\nCMD ["x"]\n'))
      .toBe('FROM ubuntu:22.04\nRUN echo hi\nCOPY a /b\nUSER nobody\nCMD ["x"]\n');
  });

  it('leaves unknown keywords to dockerfile/unknown-instruction', async () => {
    expect(await lintLines(consistentInstructionCasing, 'FROM ubuntu:22.04\nRunn echo hi\n')).toEqual([]);
  });
});
