import { describe, expect, it } from 'vitest';
import { looksLikeSecretName, secretInArgOrEnv } from '../../../src/rules/dockerfile/secret-in-arg-or-env.js';
import { lintLines } from './lint.js';

describe('dockerfile/secret-in-arg-or-env', () => {
  // BuildKit's test: a `_`-delimited word of the name is a secret word, no word is an allow word.
  it.each([
    'API_KEY', 'apikey', 'KEY', 'GITHUB_TOKEN', 'HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'db_passwd', 'PWORD',
    'AUTH', 'BASIC_AUTH_HEADER', 'GOOGLE_APPLICATION_CREDENTIALS', 'DOCKER_CREDENTIAL', 'API_KEY_ID', 'SECRET_MESSAGE', 'ApiKey',
  ])('flags %s', (name) => {
    expect(looksLikeSecretName(name)).toBe(true);
  });

  it.each([
    'SSH_PUBLIC_KEY', 'GPG_KEY_FILE', 'NVIDIA_KEY_VERSION', 'PUBLIC_TOKEN', 'MONKEY', 'KEYRING', 'api-key', 'ApiKeyName',
    'TOKENIZERS_PARALLELISM', 'AUTHOR', 'PASSWORDLESS', 'CUDA_VERSION', 'SECRETS',
  ])('accepts %s', (name) => {
    expect(looksLikeSecretName(name)).toBe(false);
  });

  it('reports every name of a multi-name ARG and ENV on its own', async () => {
    expect(await lintLines(secretInArgOrEnv, 'FROM ubuntu:22.04\nARG NPM_TOKEN PIP_VERSION\nENV A=1 NGC_API_KEY=x\n')).toEqual([
      '2: ARG "NPM_TOKEN" looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN) instead',
      '3: ENV "NGC_API_KEY" looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=ngc_api_key,env=NGC_API_KEY) instead',
    ]);
  });

  it('accepts OpenPGP key ids and fingerprints under a gpg/pgp name, but not hex under other secret names', async () => {
    const text = [
      'FROM debian:bookworm-slim',
      'ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305',
      'ARG PGP_KEYS="0xA4A9406876FCBD3C456770C88C718D3B5072E1F5 B42F6819007F00F88E364FD4036A9C25BF357DD4"',
      'ENV GPG_KEY_ID=A4A9406876FCBD3C',
      'ENV API_KEY=7169605F62C751356D054A26A821E680E5FA6305',
      'ARG GPG_KEY=hunter2',
      'ARG GPG_PASSPHRASE_KEY',
      '',
    ].join('\n');
    expect(await lintLines(secretInArgOrEnv, text)).toEqual([
      '5: ENV "API_KEY" looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=api_key,env=API_KEY) instead',
      '6: ARG "GPG_KEY" looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=gpg_key,env=GPG_KEY) instead',
      '7: ARG "GPG_PASSPHRASE_KEY" looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=gpg_passphrase_key,env=GPG_PASSPHRASE_KEY) instead',
    ]);
  });
});
