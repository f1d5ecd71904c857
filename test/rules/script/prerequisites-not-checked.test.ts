import { describe, expect, it } from 'vitest';
import { prerequisitesNotChecked } from '../../../src/rules/script/prerequisites-not-checked.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];

describe('script/prerequisites-not-checked', () => {
  it.each([
    ['no docker call', sh(...HEAD, 'echo hello')],
    ['docker info before a local build', sh(...HEAD, 'docker info >/dev/null', 'docker build --pull .')],
    ['type docker', sh(...HEAD, 'type docker >/dev/null', 'docker build --pull .')],
    ['a preflight function with login', sh(...HEAD, 'preflight() {', '  command -v docker', '  docker buildx version', '  docker login ghcr.io', '}', 'preflight', 'docker buildx build --push -t x .')],
    ['checks in an array-built bake', sh(...HEAD, 'docker version', 'docker buildx inspect --bootstrap', 'bake=(docker buildx bake)', '"${bake[@]}"')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(prerequisitesNotChecked, text)).toEqual([]);
  });

  it.each([
    ['nothing checked', sh(...HEAD, 'docker build .'), ['docker ("command -v docker"'], ['buildx', 'login']],
    ['buildx unchecked', sh(...HEAD, 'command -v docker', 'docker buildx build .'), ['buildx ("docker buildx version")'], ['docker (', 'login']],
    ['push without login check', sh(...HEAD, 'docker info', 'docker build .', 'docker push x'), ['registry login'], ['buildx']],
    ['check after the build', sh(...HEAD, 'docker build .', 'command -v docker'), ['docker ("command -v docker"'], []],
    ['through a run function', sh(...HEAD, 'run() { echo "+ $*"; "$@"; }', 'run timeout 60 docker image push x'), ['docker ("command -v', 'registry login'], []],
  ])('reports %s', async (_, text, says, notSays) => {
    const [finding, ...rest] = await scriptFindings(prerequisitesNotChecked, text);
    expect(rest).toEqual([]);
    for (const part of says) {
      expect(finding?.message).toContain(part);
    }
    for (const part of notSays) {
      expect(finding?.message).not.toContain(part);
    }
  });
});
