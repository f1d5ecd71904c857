import { describe, expect, it } from 'vitest';
import { sudoInRun } from '../../../src/rules/dockerfile/sudo-in-run.js';
import { fixed, lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/sudo-in-run', () => {
  it('removes a bare sudo when the RUN runs as root (unsafe fix)', async () => {
    expect(await fixed(sudoInRun, `${from}USER root\nRUN sudo apt-get update && sudo -E make install\n`))
      .toBe(`${from}USER root\nRUN apt-get update && sudo -E make install\n`);
  });

  it('offers no fix when USER is not root', async () => {
    const input = `${from}USER 1000\nRUN sudo mkdir -p /opt/models\n`;
    expect(await fixed(sudoInRun, input)).toBe(input);
  });

  it('follows USER across stages', async () => {
    const dockerfile = `${from}USER app\n\nFROM ubuntu:22.04 AS base\nUSER app\n\nFROM base\nUSER root\nRUN sudo ls\n`;
    expect(await lintLines(sudoInRun, dockerfile)).toEqual(['9: sudo in stage "#2" is redundant: the RUN already runs as "root"; drop sudo']);
  });

  it.each([
    'RUN echo sudo',
    'RUN apt-get install -y --no-install-recommends sudo',
    'RUN visudo -c',
  ])('accepts %s', async (line) => {
    expect(await lintLines(sudoInRun, `${from}${line}\n`)).toEqual([]);
  });

  it('sees sudo behind env', async () => {
    expect(await lintLines(sudoInRun, `${from}RUN env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl\n`)).toHaveLength(1);
  });
});
