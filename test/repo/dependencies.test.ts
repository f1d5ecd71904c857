/** The dependency inventory (src/repo/dependencies.ts): what it reads from Dockerfiles, scripts and requirements files. */
import { afterEach, describe, expect, it } from 'vitest';
import { dependencyInventory, type Dependency } from '../../src/repo/dependencies.js';
import { discover } from '../../src/repo/discover.js';
import { tempRepo } from '../helpers.js';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function inventory(files: Record<string, string>): Promise<Dependency[]> {
  const repo = await tempRepo(files);
  cleanup = repo.cleanup;
  const model = await discover(repo.root);
  return dependencyInventory(model).families.flatMap((family) => family.dependencies);
}

function brief(dependency: Dependency | undefined): string {
  return dependency ? `${dependency.ecosystem} ${dependency.name} ${dependency.version ?? '-'} ${dependency.pin} @${dependency.versionAt.file}:${dependency.versionAt.range.start.line}${dependency.channel ? ` ${dependency.channel}` : ''}` : 'missing';
}

describe('dependency inventory', () => {
  it('expands versions held in ARGs and points at the ARG', async () => {
    const deps = await inventory({
      'gpu/Dockerfile': [
        'FROM ubuntu:24.04',
        'ARG TORCH_VERSION=2.9.1',
        'ARG FFMPEG_VERSION=6.1.1',
        'RUN pip install torch==${TORCH_VERSION} --extra-index-url https://download.pytorch.org/whl/cu128',
        'RUN curl -fsSLo /tmp/f.tar.xz https://ffmpeg.org/releases/ffmpeg-${FFMPEG_VERSION}.tar.xz',
        'RUN git clone --depth 1 --branch n12.1.14.0 https://github.com/FFmpeg/nv-codec-headers.git',
        'RUN apt-get install -y libnvinfer10=10.14.1.48-1+cuda12.9 curl',
        '',
      ].join('\n'),
    });
    expect(brief(deps.find((dependency) => dependency.name === 'torch'))).toBe('pypi torch 2.9.1 exact @gpu/Dockerfile:2 cu128');
    expect(brief(deps.find((dependency) => dependency.name === 'ffmpeg'))).toBe('source ffmpeg 6.1.1 exact @gpu/Dockerfile:3');
    expect(brief(deps.find((dependency) => dependency.name === 'nv-codec-headers'))).toBe('source nv-codec-headers 12.1.14.0 exact @gpu/Dockerfile:6');
    expect(brief(deps.find((dependency) => dependency.name === 'libnvinfer10'))).toBe('apt libnvinfer10 10.14.1.48-1+cuda12.9 exact @gpu/Dockerfile:7');
    expect(brief(deps.find((dependency) => dependency.name === 'curl'))).toBe('apt curl - unpinned @gpu/Dockerfile:7');
  });

  it('follows scripts a RUN executes and requirements includes with constraints', async () => {
    const deps = await inventory({
      'cpu/Dockerfile': [
        'FROM python:3.12-slim',
        'COPY scripts/deps.sh /tmp/deps.sh',
        'RUN bash /tmp/deps.sh',
        'COPY cpu/requirements.txt /tmp/requirements.txt',
        'RUN pip install -r /tmp/requirements.txt',
        '',
      ].join('\n'),
      'scripts/deps.sh': '#!/bin/sh\nset -e\nwget -q https://github.com/cisco/openh264/archive/refs/tags/v2.4.1.tar.gz\napt-get install -y libopus-dev\n',
      'cpu/requirements.txt': '-r requirements-base.txt\n-c constraints.txt\npydantic>=2\n',
      'cpu/requirements-base.txt': 'torch==2.9.1+cpu\n',
      'cpu/constraints.txt': 'pydantic==2.14.3\n',
    });
    expect(brief(deps.find((dependency) => dependency.name === 'openh264'))).toBe('source openh264 2.4.1 exact @scripts/deps.sh:3');
    expect(brief(deps.find((dependency) => dependency.name === 'libopus-dev'))).toBe('apt libopus-dev - unpinned @scripts/deps.sh:4');
    expect(brief(deps.find((dependency) => dependency.name === 'torch'))).toBe('pypi torch 2.9.1 exact @cpu/requirements-base.txt:1 cpu');
    const pydantic = deps.find((dependency) => dependency.name === 'pydantic' && dependency.via === 'requirements');
    expect(pydantic?.pin).toBe('range');
    expect(pydantic?.constrainedBy?.version).toBe('2.14.3');
    expect(brief(deps.find((dependency) => dependency.name === 'cpython'))).toBe('binary cpython 3.12 exact @cpu/Dockerfile:1');
  });
});
