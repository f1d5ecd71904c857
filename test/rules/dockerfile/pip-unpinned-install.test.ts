import { describe, expect, it } from 'vitest';
import { pipUnpinnedInstall } from '../../../src/rules/dockerfile/pip-unpinned-install.js';
import { lintLines } from './lint.js';

const from = 'FROM python:3.11-slim\n';

describe('dockerfile/pip-unpinned-install', () => {
  it.each([
    'pip install --no-cache-dir numpy==1.26.4',
    'pip install --no-cache-dir "torch===2.4.1+cu124"',
    'pip install --no-cache-dir "numpy~=1.26.0"',
    'pip install --no-cache-dir "numpy==1.26.4; python_version < \'3.12\'"',
    'pip install --no-cache-dir .',
    'pip install --no-cache-dir ./src/pkg ../shared',
    'pip install --no-cache-dir src/pkg',
    'pip install --no-cache-dir /wheels/*.whl',
    'pip install --no-cache-dir https://github.com/org/repo/archive/v1.0.tar.gz',
    'pip install --no-cache-dir "mypkg @ git+https://github.com/org/mypkg@v1.0"',
    'pip install --no-cache-dir git+ssh://git@github.com/org/repo.git@3f1c2a9',
    'pip install --no-cache-dir -r requirements.txt',
    'pip install --no-cache-dir --requirement=requirements.txt',
    'pip install --no-cache-dir -e .',
    'pip install --no-cache-dir -U pip setuptools wheel',
    'pip install --no-cache-dir --constraint constraints.txt torch',
    'pip install --no-cache-dir --no-index --find-links=/wheels torch',
    'pip install --no-cache-dir torch==${TORCH_VERSION}',
    'pip install --no-cache-dir $PACKAGES',
  ])('accepts %s', async (command) => {
    expect(await lintLines(pipUnpinnedInstall, `${from}RUN ${command}\n`)).toEqual([]);
  });

  it.each([
    ['pip install --no-cache-dir torch', '"torch"'],
    ['pip install --no-cache-dir setuptools', '"setuptools"'],
    ['pip install --no-cache-dir "numpy>=1.26,<2"', '"numpy>=1.26,<2" (a range is not a pin)'],
    ['pip install --no-cache-dir "numpy!=2.0.0"', '"numpy!=2.0.0" (a range is not a pin)'],
    ['pip install --no-cache-dir git+ssh://git@github.com/org/repo.git', '"git+ssh://git@github.com/org/repo.git"'],
    ['pip install --no-cache-dir -i https://pypi.org/simple flash-attn', '"flash-attn"'],
    ['uv pip install --system --no-cache vllm', '"vllm"'],
  ])('reports %s', async (command, quoted) => {
    const lines = await lintLines(pipUnpinnedInstall, `${from}RUN ${command}\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`does not pin ${quoted}`);
  });
});
