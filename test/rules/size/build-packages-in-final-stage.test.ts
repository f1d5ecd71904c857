import { describe, expect, it } from 'vitest';
import { buildPackageKind, aptPackageName } from '../../../src/rules/lib/build-packages.js';
import { buildPackagesInFinalStage } from '../../../src/rules/size/build-packages-in-final-stage.js';
import { reviewFiles } from '../../helpers.js';

async function messages(run: string): Promise<string[]> {
  const result = await reviewFiles({ Dockerfile: `FROM ubuntu:24.04\n${run}\n` }, { rules: [buildPackagesInFinalStage] });
  return result.findings.filter((finding) => finding.ruleId === buildPackagesInFinalStage.id).map((finding) => `${finding.severity} ${finding.message}`);
}

describe('build package classification', () => {
  it.each([
    ['build-essential', 'toolchain'], ['gcc-13', 'toolchain'], ['g++', 'toolchain'], ['clang-18', 'toolchain'],
    ['ninja-build', 'toolchain'], ['cuda-nvcc-12-8', 'toolchain'], ['cuda-toolkit-12-8', 'toolchain'], ['golang-1.22-go', 'toolchain'],
    ['libssl-dev', 'headers'], ['python3-dev', 'headers'], ['libcudnn9-dev-cuda-12', 'headers'], ['libglib2.0-dev-bin', 'headers'],
    ['openssl-devel', 'headers'], ['git', 'vcs'],
    ['udev', null], ['libdevmapper1.02.1', null], ['libgl1', null], ['cuda-libraries-12-8', null], ['cuda-runtime-12-8', null], ['python3', null],
  ])('%s -> %s', (name, kind) => {
    expect(buildPackageKind(name)).toBe(kind);
  });

  it.each([
    ['gcc=4:13.2.0-7ubuntu1', 'gcc'], ['libssl-dev:amd64', 'libssl-dev'], ['cmake/noble-backports', 'cmake'], ['Python3-Dev', 'python3-dev'],
  ])('package name of %s is %s', (argument, name) => {
    expect(aptPackageName(argument)).toBe(name);
  });
});

describe('size/build-packages-in-final-stage', () => {
  it.each([
    ['a purge in the same RUN', 'RUN apt-get install -y gcc libc6-dev && pip install psutil && apt-get remove -y gcc libc6-dev'],
    ['the apt-mark auto pattern', "RUN apt-get install -y make && make install && apt-mark auto '.*' > /dev/null && apt-get purge -y --auto-remove"],
    ['apt-mark auto of the packages and autoremove', 'RUN apt-get install -y cmake && apt-mark auto cmake && apt-get autoremove -y'],
    ['a dynamic package list', 'RUN apt-get install -y $BUILD_PACKAGES'],
    ['local .deb files', 'RUN apt-get install -y ./cuda-keyring_1.1-1_all.deb'],
  ])('passes %s', async (_name, run) => {
    expect(await messages(run)).toEqual([]);
  });

  it('reports apt-mark auto without an autoremove', async () => {
    expect(await messages('RUN apt-get install -y cmake && apt-mark auto cmake')).toHaveLength(1);
  });

  it('reports git at info level, apart from the toolchain (findings sort by message)', async () => {
    expect(await messages('RUN apt-get install -y git gcc')).toEqual([
      expect.stringMatching(/^info apt-get install adds "git" to stage "#0"/),
      expect.stringMatching(/^warning apt-get install adds build-only packages "gcc" to stage "#0", the final stage/),
    ]);
  });

  it('shortens long lists', async () => {
    const [message] = await messages('RUN apt-get install -y gcc g++ make cmake ninja-build pkg-config libssl-dev libffi-dev');
    expect(message).toContain('"pkg-config" and 2 more');
  });
});
