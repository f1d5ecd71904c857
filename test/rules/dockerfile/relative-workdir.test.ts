import { describe, expect, it } from 'vitest';
import { relativeWorkdir } from '../../../src/rules/dockerfile/relative-workdir.js';
import { lintLines } from './lint.js';

describe('dockerfile/relative-workdir', () => {
  it.each([
    'FROM ubuntu:22.04\nWORKDIR /opt/app\n',
    'FROM ubuntu:22.04\nWORKDIR "/opt/my app"\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n',
    'FROM ubuntu:22.04\nARG ROOT=/srv\nWORKDIR $ROOT/app\n',
    'FROM ubuntu:22.04\nWORKDIR ${UNSET_DIR}\n',
    'FROM ubuntu:22.04 AS base\nWORKDIR /opt\n\nFROM base\nWORKDIR app\n',
  ])('accepts %j', async (dockerfile) => {
    expect(await lintLines(relativeWorkdir, dockerfile)).toEqual([]);
  });

  it.each([
    'FROM ubuntu:22.04\nWORKDIR app\n',
    'FROM ubuntu:22.04\nWORKDIR "app"\n',
    'FROM ubuntu:22.04\nENV APP=app\nWORKDIR ${APP}/src\n',
    'FROM ubuntu:22.04 AS base\nRUN true\n\nFROM base\nWORKDIR app\n',
  ])('reports %j', async (dockerfile) => {
    expect(await lintLines(relativeWorkdir, dockerfile)).toHaveLength(1);
  });
});
