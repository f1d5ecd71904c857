import { describe, expect, it } from 'vitest';
import { aptUpdateWithoutInstall } from '../../../src/rules/dockerfile/apt-update-without-install.js';
import { lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/apt-update-without-install', () => {
  it.each([
    'RUN apt-get update && apt-get install -y curl',
    'RUN apt-get update && apt-get build-dep -y ffmpeg',
    'RUN apt-get update && apt-cache policy cuda-toolkit-12-4',
    'RUN apt-get update && ./install-deps.sh',
    'RUN apt-get update && curl -fsSL https://deb.nodesource.com/setup_20.x | bash -',
    'RUN apt-get install -y ./cuda-keyring_1.1-1_all.deb',
  ])('accepts %j', async (line) => {
    expect(await lintLines(aptUpdateWithoutInstall, `${from}${line}\n`)).toEqual([]);
  });

  it.each([
    'RUN apt-get update',
    'RUN apt update -qq',
    'RUN ["apt-get", "update"]',
    'RUN apt-get update && add-apt-repository -y ppa:deadsnakes/ppa',
    'RUN apt-get install -y curl && apt-get update',
  ])('reports %j', async (line) => {
    expect(await lintLines(aptUpdateWithoutInstall, `${from}${line}\n`)).toHaveLength(1);
  });

  it('names the line of the earlier update', async () => {
    expect(await lintLines(aptUpdateWithoutInstall, `${from}RUN apt-get update && apt-get install -y curl\nRUN sudo apt-get install -y git\n`))
      .toEqual(['3: apt-get install in stage "#0" relies on the apt-get update at line 2 in an earlier RUN; run apt-get update in this RUN']);
  });
});
