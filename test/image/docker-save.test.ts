/**
 * The analysis on real archives: a small multi-stage FROM scratch image built by the real
 * dockerd, streamed straight from `docker save`, and the same image converted by skopeo to an
 * OCI archive (gzip and zstd layers) must give the same layers, waste and final bytes.
 * Without an engine the tests skip with a message; BASEIMG_REQUIRE_DOCKER=1 makes that a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImageArchive } from '../../src/image/analyze.js';
import type { ImageAnalysis } from '../../src/image/types.js';

// Debian's client builds with classic BuildKit; a newer client first on PATH may lack buildx.
const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path));
const engine = spawnSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' });
const hasEngine = engine.status === 0 && Boolean(BUSYBOX);
const skopeo = spawnSync('skopeo', ['--version']).status === 0;
const reason = !BUSYBOX ? 'no static busybox (apt-get install busybox-static)' : `no Docker engine (${(engine.stderr || engine.error?.message || '').trim().split('\n')[0]})`;

if (!hasEngine && process.env.BASEIMG_REQUIRE_DOCKER === '1') {
  throw new Error(`BASEIMG_REQUIRE_DOCKER=1 but ${reason}`);
}

const TAG = `baseimg-test/image-analysis:${process.pid}`;
const DOCKERFILE = `FROM scratch AS build
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /out /out/gone && echo hello > /out/hello && /bin/busybox dd if=/dev/zero of=/out/zero bs=1024 count=64 && echo x > /out/gone/x"]
FROM scratch
COPY busybox /bin/busybox
COPY --from=build /out /out
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox dd if=/dev/zero of=/junk bs=1024 count=100 && /bin/busybox rm /out/hello && /bin/busybox rm -r /out/gone"]
RUN ["/bin/busybox", "rm", "-f", "/junk"]
`;

function essence(analysis: ImageAnalysis): unknown {
  return {
    layers: analysis.layers.map((layer) => ({ digest: layer.digest, contentBytes: layer.contentBytes, files: layer.files, addedBytes: layer.addedBytes, modifiedBytes: layer.modifiedBytes, removedBytes: layer.removedBytes, whiteouts: layer.whiteouts, createdBy: layer.createdBy })),
    finalBytes: analysis.finalBytes,
    wastedBytes: analysis.wastedBytes,
    biggestDirectories: analysis.biggestDirectories,
  };
}

describe.skipIf(!hasEngine)('docker save of a real image', () => {
  let dir = '';
  let saved = '';
  let fromPipe: ImageAnalysis;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baseimg-image-'));
    copyFileSync(BUSYBOX ?? '', join(dir, 'busybox'));
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    const build = spawnSync(DOCKER, ['build', '--network=host', '-q', '-t', TAG, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    if (build.status !== 0) {
      throw new Error(`docker build failed: ${build.stderr}`);
    }
    const save = spawn(DOCKER, ['save', TAG], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => save.on('close', resolve));
    fromPipe = await analyzeImageArchive(save.stdout);
    expect(await exited).toBe(0);
    saved = join(dir, 'image.tar');
    expect(spawnSync(DOCKER, ['save', '-o', saved, TAG]).status).toBe(0);
  }, 180_000);

  afterAll(() => {
    spawnSync(DOCKER, ['rmi', '-f', TAG]);
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures layers, waste and the final filesystem from the piped stream', () => {
    const busybox = statSync(BUSYBOX ?? '').size;
    expect(fromPipe.repoTags).toEqual([TAG]);
    expect(fromPipe.layers).toHaveLength(4);
    const [copy, out, junk, rm] = fromPipe.layers;
    expect(copy).toMatchObject({ contentBytes: busybox, addedBytes: busybox, files: 1 });
    expect(copy?.createdBy).toMatch(/COPY busybox/);
    expect(out).toMatchObject({ contentBytes: 64 * 1024 + 6 + 2, files: 3 });
    // `rm /out/hello` and `rm -r /out/gone` are whiteouts in the third layer, /junk's in the fourth.
    expect(junk).toMatchObject({ addedBytes: 100 * 1024, removedBytes: 6 + 2, whiteouts: 2 });
    expect(rm).toMatchObject({ contentBytes: 0, removedBytes: 100 * 1024, whiteouts: 1 });
    expect(fromPipe.finalBytes).toBe(busybox + 64 * 1024);
    expect(fromPipe.wastedBytes).toBe(100 * 1024 + 6 + 2);
    expect(fromPipe.biggestDirectories[0]).toEqual({ path: '/bin', bytes: busybox });
  });

  it('gives the same analysis for the saved file', async () => {
    const fromFile = await analyzeImageArchive(createReadStream(saved));
    expect(essence(fromFile)).toEqual(essence(fromPipe));
  });

  for (const compression of ['gzip', 'zstd'] as const) {
    it.skipIf(!skopeo)(`gives the same analysis after skopeo converts it to an OCI archive with ${compression} layers`, async () => {
      const oci = join(dir, `image-${compression}.oci.tar`);
      const copy = spawnSync('skopeo', ['copy', '--dest-compress-format', compression, `docker-archive:${saved}`, `oci-archive:${oci}`], { encoding: 'utf8' });
      expect(copy.status, copy.stderr).toBe(0);
      const analysis = await analyzeImageArchive(createReadStream(oci));
      expect(analysis.format).toBe('oci-layout');
      expect(analysis.layers.map((layer) => layer.compression)).toEqual([compression, compression, compression, compression]);
      expect(essence(analysis)).toEqual(essence(fromPipe));
    }, 120_000);
  }
});

// Only without an engine: a placeholder that puts the reason in the test report.
if (!hasEngine) {
  describe('docker save of a real image (skipped)', () => {
    it.skip(`needs a Docker engine: ${reason}`, () => undefined);
  });
}
