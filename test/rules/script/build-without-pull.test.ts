import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/fix/edits.js';
import { buildWithoutPull } from '../../../src/rules/script/build-without-pull.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];
const BAKE = 'target "app" {\n  context = "."\n  pull = true\n}\ntarget "other" {\n  context = "."\n}\ngroup "default" {\n  targets = ["app"]\n}\n';

describe('script/build-without-pull', () => {
  it.each([
    ['--pull', sh(...HEAD, 'docker build --pull -t x .')],
    ['--pull=false (a deliberate choice)', sh(...HEAD, 'docker buildx build --pull=false -t x .')],
    ['arguments from "$@"', sh(...HEAD, 'docker build "$@" .')],
    ['a bake target with pull = true', sh(...HEAD, 'docker buildx bake app'), { 'docker-bake.hcl': BAKE }],
    ['the default bake group, all pulling', sh(...HEAD, 'docker buildx bake'), { 'docker-bake.hcl': BAKE }],
    ['a run function with the flag', sh(...HEAD, 'run() { "$@"; }', 'run env A=1 docker build --pull .')],
  ])('accepts %s', async (_, text, extra: Record<string, string> = {}) => {
    expect(await scriptFindings(buildWithoutPull, text, extra)).toEqual([]);
  });

  it.each([
    ['docker build', 'docker build -t x .', 'docker build --pull -t x .'],
    ['docker image build', 'docker image build -t x .', 'docker image build --pull -t x .'],
    ['buildx with a global flag', 'docker --context ci buildx build -t x .', 'docker --context ci buildx build --pull -t x .'],
    ['a bake target without pull', 'docker buildx bake other', 'docker buildx bake --pull other'],
    ['through a function', 'run() { "$@"; }\nrun timeout 600 docker build .', 'run() { "$@"; }\nrun timeout 600 docker build --pull .'],
  ])('fixes %s', async (_, line, fixed) => {
    const text = sh(...HEAD, line);
    const [finding, ...rest] = await scriptFindings(buildWithoutPull, text, { 'docker-bake.hcl': BAKE });
    expect(rest).toEqual([]);
    expect(finding?.fix?.safety).toBe('safe');
    expect(applyEdits(text, finding?.fix?.edits ?? [])).toBe(sh(...HEAD, fixed));
  });
});
