import { describe, expect, it } from 'vitest';
import { analyzeImageArchive } from '../../src/image/analyze.js';
import type { ImageAnalysis } from '../../src/image/types.js';
import { archiveOf, streamOf, tarOf, zstdAvailable, type ArchiveOptions, type Compression } from './archives.js';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const STATUS_0 = [
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\nInstalled-Size: 12986\nDescription: GNU C Library\n multi-line description\n',
  'Package: oldpkg\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n',
].join('\n');
const STATUS_2 = [
  STATUS_0,
  'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.2.13.dfsg-1\nInstalled-Size: 168\n',
  'Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10+deb12u5\n',
].join('\n');
const METADATA = 'Metadata-Version: 2.1\nName: Requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nlong description\nName: not-this\n';
const PACKAGE_JSON = JSON.stringify({ name: '@scope/left-pad', version: '1.3.0', license: 'MIT' });

const bytes = (text: string): number => Buffer.byteLength(text);

async function layers(): Promise<Buffer[]> {
  return [
    await tarOf([
      { path: 'bin/', type: 'directory' },
      { path: 'bin/busybox', size: 1000 },
      { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
      { path: 'bin/ls', type: 'link', linkname: 'bin/busybox' },
      { path: 'etc/os-release', content: OS_RELEASE },
      { path: 'etc/conf', size: 100 },
      { path: 'var/lib/dpkg/status', content: STATUS_0 },
      { path: 'usr/lib/python3/site-packages/foo/tests/test_a.py', size: 50 },
      { path: 'usr/include/x.h', size: 30 },
      { path: 'opt/big/a', size: 300 },
      { path: 'opt/big/sub/b', size: 200 },
      { path: 'keep/file', size: 10 },
    ]),
    await tarOf([
      { path: 'opt/.wh.big', size: 0 },
      { path: 'etc/conf', size: 120 },
      { path: 'data/blob', size: 500 },
      { path: 'usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA', content: METADATA },
      { path: 'app/node_modules/@scope/left-pad/package.json', content: PACKAGE_JSON },
      { path: 'var/lib/apt/lists/deb.debian.org_InRelease', size: 40 },
      { path: 'usr/lib/python3/site-packages/foo/__pycache__/x.cpython-311.pyc', size: 20 },
    ]),
    await tarOf([
      // The opaque marker hides lower children of data/ even though data/new comes first.
      { path: 'data/new', size: 70 },
      { path: 'data/.wh..wh..opq', size: 0 },
      { path: 'bin/busybox', size: 1000 },
      { path: 'var/lib/dpkg/status', content: STATUS_2 },
      { path: 'etc/.wh.conf', size: 0 },
    ]),
  ];
}

async function analyze(options: ArchiveOptions): Promise<ImageAnalysis> {
  return analyzeImageArchive(streamOf(await archiveOf(await layers(), options), 7_000));
}

/** What must not depend on the layout, the compression or the member order. */
function essence(analysis: ImageAnalysis): unknown {
  return {
    layers: analysis.layers.map(({ compression: _c, storedBytes: _s, ...rest }) => rest),
    finalBytes: analysis.finalBytes,
    totalLayerBytes: analysis.totalLayerBytes,
    wastedBytes: analysis.wastedBytes,
    biggestDirectories: analysis.biggestDirectories,
    unwanted: analysis.unwanted,
    packages: analysis.packages,
    architecture: analysis.architecture,
  };
}

describe('analyzeImageArchive on a synthetic three-layer image', () => {
  it('computes per-layer bytes, waste counted once, and the final filesystem', async () => {
    const analysis = await analyze({ layout: 'docker-archive' });
    expect(analysis.format).toBe('docker-archive');
    expect(analysis.repoTags).toEqual(['example/app:1']);
    expect(analysis.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(analysis.architecture).toBe('amd64');
    const [l0, l1, l2] = analysis.layers;
    const base = 1000 + bytes(OS_RELEASE) + 100 + bytes(STATUS_0) + 50 + 30 + 300 + 200 + 10;
    expect(l0).toMatchObject({ index: 0, contentBytes: base, addedBytes: base, modifiedBytes: 0, removedBytes: 0, files: 9, whiteouts: 0, createdBy: 'RUN step 0', compression: 'none' });
    expect(l1).toMatchObject({ addedBytes: 500 + bytes(METADATA) + bytes(PACKAGE_JSON) + 40 + 20, modifiedBytes: 120, removedBytes: 500, whiteouts: 1 });
    expect(l2).toMatchObject({ addedBytes: 70, modifiedBytes: 1000 + bytes(STATUS_2), removedBytes: 500 + 120, whiteouts: 2 });
    const final = 1000 + bytes(OS_RELEASE) + bytes(STATUS_2) + 50 + 30 + 10 + bytes(METADATA) + bytes(PACKAGE_JSON) + 40 + 20 + 70;
    expect(analysis.finalBytes).toBe(final);
    // Shadowed: busybox's first copy, etc/conf twice (100 shadowed, 120 deleted), the old dpkg status;
    // deleted: opt/big (500, a whole directory) and data/blob (500, behind an opaque directory).
    expect(analysis.wastedBytes).toBe(1000 + 100 + 120 + bytes(STATUS_0) + 500 + 500);
    expect(analysis.totalLayerBytes).toBe(analysis.finalBytes + analysis.wastedBytes);
    expect(analysis.efficiency).toBeCloseTo(final / analysis.totalLayerBytes, 10);
  });

  it('lists the biggest final directories and files that should not ship', async () => {
    const analysis = await analyze({ layout: 'docker-archive' });
    expect(analysis.biggestDirectories[0]).toEqual({ path: '/bin', bytes: 1000 });
    expect(analysis.biggestDirectories.map((dir) => dir.path)).not.toContain('/opt');
    expect(analysis.biggestDirectories.find((dir) => dir.path === '/data')).toEqual({ path: '/data', bytes: 70 });
    const kinds = Object.fromEntries(analysis.unwanted.map((entry) => [entry.kind, [entry.files, entry.bytes]]));
    expect(kinds).toEqual({ 'test-folders': [1, 50], 'apt-lists': [1, 40], headers: [1, 30], pycache: [1, 20] });
    expect(analysis.unwanted.find((entry) => entry.kind === 'headers')?.examples).toEqual(['/usr/include/x.h']);
  });

  it('finds only packages whose database is visible in the final filesystem', async () => {
    const analysis = await analyze({ layout: 'docker-archive' });
    expect(analysis.distro).toMatchObject({ id: 'debian', versionId: '12' });
    expect(analysis.packages.map((pkg) => pkg.purl)).toEqual([
      'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12',
      'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12',
      'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12',
      'pkg:npm/%40scope/left-pad@1.3.0',
      'pkg:pypi/requests@2.31.0',
    ]);
    const libc = analysis.packages.find((pkg) => pkg.name === 'libc6');
    expect(libc).toMatchObject({ ecosystem: 'deb', sizeBytes: 12986 * 1024, location: '/var/lib/dpkg/status' });
    expect(analysis.packages.find((pkg) => pkg.ecosystem === 'pypi')).toMatchObject({ location: '/usr/lib/python3/site-packages/requests-2.31.0.dist-info', licenses: ['Apache 2.0'] });
  });

  it('drops packages whose database a later layer deletes', async () => {
    const image = await archiveOf([
      await tarOf([{ path: 'var/lib/dpkg/status', content: STATUS_2 }, { path: 'srv/x-1.0.dist-info/METADATA', content: 'Name: x\nVersion: 1.0\n' }]),
      await tarOf([{ path: 'var/lib/dpkg/.wh.status', size: 0 }, { path: 'srv/.wh..wh..opq', size: 0 }]),
    ], { layout: 'docker-archive' });
    const analysis = await analyzeImageArchive(streamOf(image));
    expect(analysis.packages).toEqual([]);
    expect(analysis.finalBytes).toBe(0);
    expect(analysis.efficiency).toBe(0);
  });

  const layouts: ArchiveOptions['layout'][] = ['docker-archive', 'oci', 'docker25'];
  const compressions: Compression[] = zstdAvailable() ? ['none', 'gzip', 'zstd'] : ['none', 'gzip'];
  if (!zstdAvailable()) {
    it.skip('zstd layers (the zstd program is not installed: apt-get install zstd)', () => undefined);
  }
  it.each(layouts.flatMap((layout) => compressions.flatMap((compression) => [false, true].map((manifestLast) => ({ layout, compression, manifestLast })))))(
    'gives the same analysis for $layout, $compression layers, manifest last: $manifestLast',
    async ({ layout, compression, manifestLast }) => {
      const reference = await analyze({ layout: 'docker-archive' });
      const analysis = await analyze({ layout, compression, manifestLast });
      expect(analysis.format).toBe(layout === 'docker-archive' ? 'docker-archive' : 'oci-layout');
      expect(analysis.layers.map((layer) => layer.compression)).toEqual([compression, compression, compression]);
      if (compression !== 'none') {
        expect(analysis.layers[0]?.storedBytes).toBeLessThan(analysis.layers[0]?.contentBytes ?? 0);
      }
      expect(analysis.repoTags[0]).toMatch(/example\/app:1$/);
      expect(essence(analysis)).toEqual(essence(reference));
    },
  );
});
