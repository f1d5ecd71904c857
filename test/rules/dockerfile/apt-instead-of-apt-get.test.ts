import { describe, expect, it } from 'vitest';
import { aptInsteadOfAptGet } from '../../../src/rules/dockerfile/apt-instead-of-apt-get.js';
import { fixed, lintLines } from './lint.js';

describe('dockerfile/apt-instead-of-apt-get', () => {
  it.each([
    ['FROM ubuntu:24.04\nRUN apt install -y curl\n', 'FROM ubuntu:24.04\nRUN apt-get install -y curl\n'],
    ['FROM ubuntu:24.04\nRUN sudo -E apt install -y curl\n', 'FROM ubuntu:24.04\nRUN sudo -E apt-get install -y curl\n'],
    ['FROM ubuntu:24.04\nRUN DEBIAN_FRONTEND=noninteractive apt install -y tzdata\n', 'FROM ubuntu:24.04\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata\n'],
    ['FROM ubuntu:24.04\nRUN DEBIAN_FRONTEND=noninteractive \\\n    apt install -y tzdata\n', 'FROM ubuntu:24.04\nRUN DEBIAN_FRONTEND=noninteractive \\\n    apt-get install -y tzdata\n'],
    ['FROM ubuntu:24.04\nRUN /usr/bin/apt update\n', 'FROM ubuntu:24.04\nRUN /usr/bin/apt-get update\n'],
    ['# syntax=docker/dockerfile:1\nFROM ubuntu:24.04\nRUN <<EOF\napt update\n  apt install -y curl\nEOF\n', '# syntax=docker/dockerfile:1\nFROM ubuntu:24.04\nRUN <<EOF\napt-get update\n  apt-get install -y curl\nEOF\n'],
  ])('fixes %j', async (input, output) => {
    expect(await fixed(aptInsteadOfAptGet, input)).toBe(output);
  });

  it('offers no fix where apt-get has no such subcommand or the RUN is exec form', async () => {
    const input = 'FROM ubuntu:24.04\nRUN apt search cuda\nRUN ["apt", "install", "-y", "curl"]\n';
    expect(await fixed(aptInsteadOfAptGet, input)).toBe(input);
    expect(await lintLines(aptInsteadOfAptGet, input)).toEqual([
      '2: apt search in stage "#0" uses apt\'s unstable CLI; use apt-cache search',
      '3: apt install in stage "#0" uses apt\'s unstable CLI; use "apt-get install"',
    ]);
  });

  it('ignores apt-get, apt-cache, apt-key and apt-mark', async () => {
    expect(await lintLines(aptInsteadOfAptGet, 'FROM ubuntu:24.04\nRUN apt-get update && apt-cache policy curl && apt-key list && apt-mark hold curl\n')).toEqual([]);
  });
});
