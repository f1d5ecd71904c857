import { describe, expect, it } from 'vitest';
import { dockerignoreMissing } from '../../../src/rules/context/dockerignore-missing.js';
import { reviewFiles } from '../../helpers.js';

const ROOT_COPY = 'FROM ubuntu:24.04\nCOPY scripts/entrypoint.sh /usr/local/bin/\n';

async function messages(files: Record<string, string>): Promise<string[]> {
  const result = await reviewFiles({ 'scripts/entrypoint.sh': '#!/bin/sh\nexec "$@"\n', ...files }, { rules: [dockerignoreMissing] });
  return result.findings.filter((finding) => finding.ruleId === dockerignoreMissing.id).map((finding) => `${finding.file}: ${finding.message}`);
}

describe('context/dockerignore-missing', () => {
  it.each([
    ['.git/', '.git/\n'],
    ['.*', '.*\n'],
    ['**/.git', '**/.git\n'],
  ])('accepts %s as excluding .git', async (_name, ignore) => {
    expect(await messages({ 'image/Dockerfile': ROOT_COPY, '.dockerignore': ignore })).toEqual([]);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile', async () => {
    expect(await messages({ 'image/Dockerfile': ROOT_COPY, 'image/Dockerfile.dockerignore': '.git\n', '.dockerignore': '*.md\n' })).toEqual([]);
    expect(await messages({ 'image/Dockerfile': ROOT_COPY, 'image/Dockerfile.dockerignore': '*.md\n', '.dockerignore': '.git\n' })).toEqual([
      'image/Dockerfile: "image/Dockerfile.dockerignore" does not exclude .git from build context "." (the repository root, inferred from its COPY sources); add it',
    ]);
  });

  it('names the workflow that sets the context', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: image/Dockerfile',
    ].join('\n');
    expect(await messages({ 'image/Dockerfile': 'FROM ubuntu:24.04\n', '.github/workflows/build.yaml': workflow })).toEqual([
      'image/Dockerfile: build context "." (the repository root, as .github/workflows/build.yaml builds it) has no .dockerignore, so every build sends the whole checkout, .git included; add a .dockerignore that excludes .git',
    ]);
  });

  it('lists what the repository has and the .dockerignore misses', async () => {
    const result = await messages({ Dockerfile: 'FROM python:3.13-slim\nCOPY . /app\n', '.dockerignore': '.git\n', 'app/__pycache__/main.cpython-313.pyc': 'x', 'build.log': 'x', '.env': 'TOKEN=x\n', '.env.example': 'TOKEN=\n' });
    expect(result).toEqual(['Dockerfile: ".dockerignore" does not exclude **/__pycache__, **/*.log, **/.env from build context "." (the repository root); add them']);
  });

  it('ignores a Dockerfile built from its own folder', async () => {
    expect(await messages({ 'image/Dockerfile': 'FROM ubuntu:24.04\nCOPY entrypoint.sh /\n', 'image/entrypoint.sh': '#!/bin/sh\n' })).toEqual([]);
  });
});
