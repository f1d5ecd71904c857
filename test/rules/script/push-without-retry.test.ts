import { describe, expect, it } from 'vitest';
import { pushWithoutRetry } from '../../../src/rules/script/push-without-retry.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];

describe('script/push-without-retry', () => {
  it.each([
    ['a build without push', sh(...HEAD, 'docker build --pull -t x .')],
    ['an attempt loop', sh(...HEAD, 'for attempt in 1 2 3; do docker push x && break; sleep 5; done')],
    ['a brace range', sh(...HEAD, 'for i in {1..5}; do docker push x && break; done')],
    ['a C-style loop', sh(...HEAD, 'for ((i = 0; i < 3; i++)); do docker push x && break; done')],
    ['until', sh(...HEAD, 'until docker push x; do sleep 5; done')],
    ['a retry function', sh(...HEAD, 'with_retries() { "$@"; }', 'with_retries docker push x')],
    ['a loop inside the function that pushes', sh(...HEAD, 'push() { while :; do docker push "$1" && return; sleep 1; done; }', 'push x')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(pushWithoutRetry, text)).toEqual([]);
  });

  it.each([
    ['docker push', sh(...HEAD, 'docker push x'), '"docker push" has no retry'],
    ['a loop over tags', sh(...HEAD, 'for tag in "$@"; do docker push "$tag"; done'), '"docker push"'],
    ['buildx build --push', sh(...HEAD, 'docker buildx build --pull --push -t x .'), '"docker buildx build --push"'],
    ['an output that pushes', sh(...HEAD, 'docker buildx build --pull -o type=registry -t x .'), '"docker buildx build --push"'],
    ['a bake array with --push', sh(...HEAD, 'bake=(docker buildx bake --pull)', 'bake+=(--push)', '"${bake[@]}"'), '"docker buildx bake --push"'],
    ['imagetools create', sh(...HEAD, 'docker buildx imagetools create -t x:b x:a'), '"docker buildx imagetools create"'],
  ])('reports %s', async (_, text, says) => {
    const [finding, ...rest] = await scriptFindings(pushWithoutRetry, text);
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toContain(says);
  });
});
