import { describe, expect, it } from 'vitest';
import { isSecretName, secretEchoed } from '../../../src/rules/script/secret-echoed.js';
import { scriptFindings, sh } from './helpers.js';

const HEAD = ['#!/usr/bin/env bash', 'set -euo pipefail'];

describe('script/secret-echoed', () => {
  it.each([
    ['GITHUB_TOKEN', true], ['REGISTRY_PASSWORD', true], ['AWS_SECRET_ACCESS_KEY', true], ['API_KEY', true], ['DOCKER_CREDENTIALS', true],
    ['SSH_KEY_PATH', false], ['KEY_ID', false], ['TOKEN_URL', false], ['GPG_KEY_FINGERPRINT', false], ['MONKEY', false], ['IMAGE_TAG', false],
  ])('isSecretName(%s) is %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });

  it.each([
    ['a secret piped into a command', sh(...HEAD, 'printf "%s" "$TOKEN" | docker login -u u --password-stdin r')],
    ['a secret written to a file', sh(...HEAD, 'echo "$NPM_TOKEN" > .npmrc')],
    ['tracing turned off before the secret', sh(...HEAD, 'set -x', 'docker build .', 'set +x', 'curl -u "u:$PASSWORD" https://x')],
    ['echo of a non-secret', sh(...HEAD, 'echo "tag $IMAGE_TAG"')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(secretEchoed, text)).toEqual([]);
  });

  it.each([
    ['echo to stderr', sh(...HEAD, 'echo "token: $GH_TOKEN" >&2'), 3, 'echo prints secret variable "GH_TOKEN"'],
    ['printf', sh(...HEAD, 'printf "%s\\n" "${DOCKER_PASSWORD}"'), 3, 'printf prints secret variable "DOCKER_PASSWORD"'],
    ['set -o xtrace', sh(...HEAD, 'set -o xtrace', 'curl -H "X: $API_SECRET" https://x'), 4, '"set -x" is on'],
    ['set -eux, a cluster with x', sh(...HEAD, 'set -eux', 'git clone "https://$GIT_TOKEN@host/r"'), 4, 'GIT_TOKEN'],
    ['docker login --password', sh(...HEAD, 'docker login --password="$P" -u u r'), 3, 'expected --password-stdin'],
  ])('reports %s', async (_, text, line, says) => {
    const [finding, ...rest] = await scriptFindings(secretEchoed, text);
    expect(rest).toEqual([]);
    expect(finding?.range.start.line).toBe(line);
    expect(finding?.message).toContain(says);
  });
});
