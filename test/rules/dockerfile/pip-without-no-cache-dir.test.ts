import { describe, expect, it } from 'vitest';
import { pipWithoutNoCacheDir } from '../../../src/rules/dockerfile/pip-without-no-cache-dir.js';
import { fixed, lintLines } from './lint.js';

const from = 'FROM python:3.11-slim\n';

describe('dockerfile/pip-without-no-cache-dir', () => {
  it.each([
    'RUN pip install --no-cache-dir torch==2.4.1',
    'RUN PIP_NO_CACHE_DIR=false pip install torch==2.4.1',
    'RUN export PIP_NO_CACHE_DIR=1 && pip install torch==2.4.1',
    'RUN pip install torch==2.4.1 && rm -rf ~/.cache/pip',
    'RUN pip install torch==2.4.1 && rm -rf "$HOME/.cache"',
    'RUN python3 -m pip install torch==2.4.1 && python3 -m pip cache purge',
    'RUN uv pip install --system -n torch==2.4.1',
    'RUN UV_NO_CACHE=1 uv pip install --system torch==2.4.1',
    'RUN pipx install black==24.8.0',
    'RUN pip download torch==2.4.1 -d /wheels',
    'ARG PIP_NO_CACHE_DIR=1\nRUN pip install torch==2.4.1',
    'RUN pip config set global.no-cache-dir true\nRUN pip install torch==2.4.1',
  ])('accepts %j', async (lines) => {
    expect(await lintLines(pipWithoutNoCacheDir, `${from}${lines}\n`)).toEqual([]);
  });

  it.each([
    'RUN pip install torch==2.4.1',
    'RUN pip install torch==2.4.1 && rm -rf /tmp/*',
    'RUN UV_NO_CACHE=0 uv pip install --system torch==2.4.1',
    'ENV PIP_NO_CACHE_DIR=\nRUN pip install torch==2.4.1',
  ])('reports %j', async (lines) => {
    expect(await lintLines(pipWithoutNoCacheDir, `${from}${lines}\n`)).toHaveLength(1);
  });

  it('stays silent when a workflow builds the image with buildx (cache-mount advice instead)', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: Dockerfile',
      '',
    ].join('\n');
    expect(await lintLines(pipWithoutNoCacheDir, { Dockerfile: `${from}RUN pip install torch==2.4.1\n`, '.github/workflows/build.yml': workflow })).toEqual([]);
  });

  it('adds --no-cache-dir after install (and --no-cache for uv)', async () => {
    expect(await fixed(pipWithoutNoCacheDir, `${from}RUN python -m pip install -U pip && uv pip install --system numpy==1.26.4\n`))
      .toBe(`${from}RUN python -m pip install --no-cache-dir -U pip && uv pip install --no-cache --system numpy==1.26.4\n`);
  });
});
