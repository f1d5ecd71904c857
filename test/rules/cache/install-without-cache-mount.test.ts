import { describe, expect, it } from 'vitest';
import { installWithoutCacheMount } from '../../../src/rules/cache/install-without-cache-mount.js';
import { reviewFiles } from '../../helpers.js';

const SYNTAX = '# syntax=docker/dockerfile:1.7\n';

async function findings(files: Record<string, string>) {
  const result = await reviewFiles(files, { rules: [installWithoutCacheMount] });
  return result.findings.filter((finding) => finding.ruleId === installWithoutCacheMount.id);
}

function applyFix(text: string, fix: { edits: { start: number; end: number; newText: string }[] }): string {
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  }
  return out;
}

describe('cache/install-without-cache-mount', () => {
  it('stays silent without BuildKit (the cleanup rules speak then)', async () => {
    expect(await findings({ Dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n' })).toEqual([]);
  });

  it('speaks when a workflow builds the Dockerfile with buildx', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: Dockerfile',
    ].join('\n');
    const result = await findings({ Dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n', '.github/workflows/build.yaml': workflow });
    expect(result).toHaveLength(1);
  });

  it.each([
    ['PIP_CACHE_DIR', 'ENV PIP_CACHE_DIR=/cache/pip\nRUN --mount=type=cache,target=/cache/pip pip install torch==2.9.1'],
    ['--cache-dir', 'RUN --mount=type=cache,target=/cache/pip pip install --cache-dir /cache/pip torch==2.9.1'],
    ['a whole ~/.cache', 'RUN --mount=type=cache,target=/root/.cache uv pip install --system torch==2.9.1'],
    ['a non-root home', 'USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install --user torch==2.9.1'],
    ['only /var/lib/apt mounted', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl'],
  ])('accepts a cache mount via %s', async (_name, body) => {
    expect(await findings({ Dockerfile: `${SYNTAX}FROM python:3.13-slim\n${body}\n` })).toEqual([]);
  });

  it('reports once per tool and RUN, and its fix adds the mount after RUN', async () => {
    const dockerfile = `${SYNTAX}FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && apt-get install -y git && pip install --no-cache-dir torch==2.9.1\n`;
    const result = await findings({ Dockerfile: dockerfile });
    expect(result.map((finding) => finding.message.split(' ').slice(0, 2).join(' '))).toEqual(['apt-get install', 'pip install']);
    const fixed = applyFix(dockerfile, result[0]?.fix ?? { edits: [] });
    expect(fixed.split('\n')[2]).toBe('RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl && apt-get install -y git && pip install --no-cache-dir torch==2.9.1');
    expect(result[0]?.fix?.safety).toBe('unsafe');
  });

  it('does not ask to remove docker-clean when an earlier RUN did', async () => {
    const result = await findings({ Dockerfile: `${SYNTAX}FROM ubuntu:24.04\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update && apt-get install -y curl\n` });
    expect(result[0]?.message).not.toContain('docker-clean');
  });

  it('gives no fix for a non-root user whose home it cannot name', async () => {
    const result = await findings({ Dockerfile: `${SYNTAX}FROM python:3.13-slim\nUSER app\nRUN pip install --user torch==2.9.1\n` });
    expect(result[0]?.message).toContain('<home of user "app">');
    expect(result[0]?.fix).toBeUndefined();
  });
});
