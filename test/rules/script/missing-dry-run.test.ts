import { describe, expect, it } from 'vitest';
import { missingDryRun } from '../../../src/rules/script/missing-dry-run.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];

describe('script/missing-dry-run', () => {
  it.each([
    ['a script that does not build', sh(...HEAD, 'docker run --rm x true')],
    ['a DRY_RUN variable', sh(...HEAD, 'if [[ ${DRY_RUN:-0} == 1 ]]; then echo docker build .; else docker build .; fi')],
    ['a -n option', sh(...HEAD, 'case $1 in -n) noop=1 ;; esac', 'docker build .')],
    ['getopts with n', sh(...HEAD, 'while getopts "nh" opt; do :; done', 'docker build .')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(missingDryRun, text)).toEqual([]);
  });

  it('reports at the first build call', async () => {
    const findings = await scriptFindings(missingDryRun, sh(...HEAD, 'echo start', 'docker tag a b', 'docker push b'));
    expect(findings.map((finding) => [finding.range.start.line, finding.message])).toEqual([
      [4, 'script runs "docker tag" with no dry-run mode; expected a --dry-run option or DRY_RUN variable that prints the docker commands instead of running them'],
    ]);
  });
});
