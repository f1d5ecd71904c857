import { describe, expect, it } from 'vitest';
import { aptMissingYes } from '../../../src/rules/dockerfile/apt-missing-yes.js';
import { fixed, lintLines } from './lint.js';

const from = 'FROM debian:bookworm-slim\n';

describe('dockerfile/apt-missing-yes', () => {
  it.each([
    'RUN apt-get install -y curl',
    'RUN apt-get install -qy curl',
    'RUN apt-get -q -q install curl',
    'RUN apt-get --quiet=2 install curl',
    'RUN apt-get -oAPT::Get::Assume-Yes=1 install curl',
    'RUN apt-get install --dry-run curl',
    'RUN yes | DEBIAN_FRONTEND=noninteractive apt-get install curl',
    'RUN aptitude install -y curl',
    'RUN apt-get update',
    'RUN apt-get clean',
    'RUN apt-get source --download-only ffmpeg',
  ])('accepts %s', async (line) => {
    expect(await lintLines(aptMissingYes, `${from}${line}\n`)).toEqual([]);
  });

  it.each([
    'RUN apt-get install curl',
    'RUN apt-get -q install curl',
    'RUN DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends curl',
    'RUN apt-get --force-yes install curl',
    'RUN apt install curl',
    'RUN apt-get autoremove --purge',
    'RUN apt-get build-dep ffmpeg',
  ])('reports %s', async (line) => {
    expect(await lintLines(aptMissingYes, `${from}${line}\n`)).toHaveLength(1);
  });

  it('inserts -y after the subcommand', async () => {
    expect(await fixed(aptMissingYes, `${from}RUN apt-get -o Acquire::Retries=3 install --no-install-recommends curl\n`))
      .toBe(`${from}RUN apt-get -o Acquire::Retries=3 install -y --no-install-recommends curl\n`);
  });
});
