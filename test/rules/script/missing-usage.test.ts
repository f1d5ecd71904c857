import { describe, expect, it } from 'vitest';
import { missingUsage } from '../../../src/rules/script/missing-usage.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];

describe('script/missing-usage', () => {
  it.each([
    ['a non-build script', sh(...HEAD, 'X=${X:-1}', 'echo "$X"')],
    ['a usage function naming every variable', sh(...HEAD, 'usage() { echo "TAG (default latest)"; }', 'TAG=${TAG:-latest}', 'docker build -t "x:$TAG" .')],
    ['lower-case locals and ambient variables', sh(...HEAD, 'usage() { echo usage; }', 'f() { local v=${1:-}; echo "${v:-x}"; }', 'docker build -f "${HOME:-/root}/Dockerfile" .')],
    ['a help branch printing the header', sh('#!/usr/bin/env bash', '# TAG: the tag', 'set -euo pipefail', 'case ${1:-} in --help) sed -n 2p "$0" ;; esac', 'docker build -t "${TAG:-x}" .')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(missingUsage, text)).toEqual([]);
  });

  it('names the variables of a script without usage text', async () => {
    const [finding] = await scriptFindings(missingUsage, sh(...HEAD, 'REPO=${REPO:-a/b}', ': "${TAG:=latest}"', 'docker build -t "$REPO:$TAG" .'));
    expect(finding?.range.start.line).toBe(1);
    expect(finding?.message).toBe('build script has no usage text (no usage() function, no -h|--help branch); it should list the environment variables it reads: REPO, TAG');
  });

  it('names the variables the usage text leaves out', async () => {
    const [finding] = await scriptFindings(missingUsage, sh(...HEAD, 'usage() {', '  echo "REPO  repository"', '}', 'REPO=${REPO:-a/b}', 'PLATFORM=${PLATFORM-linux/amd64}', 'docker build --platform "$PLATFORM" -t "$REPO" .'));
    expect(finding?.range.start.line).toBe(3);
    expect(finding?.message).toContain('does not mention "PLATFORM"');
    expect(finding?.message).not.toContain('"REPO"');
  });
});
