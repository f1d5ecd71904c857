import { describe, expect, it } from 'vitest';
import { aptListsNotCleaned } from '../../../src/rules/dockerfile/apt-lists-not-cleaned.js';
import { lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/apt-lists-not-cleaned', () => {
  it.each([
    'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/lists',
    'RUN apt-get update && apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/* /var/cache/apt/*',
    'RUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists/"*',
    'RUN apt-get update && apt-get install -y curl && apt-get distclean',
    'RUN apt-get install -y curl',
  ])('accepts %j', async (line) => {
    expect(await lintLines(aptListsNotCleaned, `${from}${line}\n`)).toEqual([]);
  });

  it.each([
    'RUN apt-get update && apt-get install -y curl',
    'RUN apt update && apt install -y curl && apt clean',
    'RUN apt-get update && apt-get install -y curl && rm -rf /var/cache/apt/archives/*',
    'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y git',
  ])('reports %j', async (line) => {
    expect(await lintLines(aptListsNotCleaned, `${from}${line}\n`)).toHaveLength(1);
  });

  it('stays silent in BuildKit builds, where the cache-mount rule speaks', async () => {
    expect(await lintLines(aptListsNotCleaned, `# syntax=docker/dockerfile:1\n${from}RUN apt-get update && apt-get install -y curl\n`)).toEqual([]);
  });
});
