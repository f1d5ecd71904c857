/**
 * What the real-engine tests need: a Docker engine with a BuildKit-capable client, busybox-static for
 * `FROM scratch` images, and a Debian root made by debootstrap and imported as a base image. Without
 * them the tests skip with a message; BASEIMG_REQUIRE_DOCKER=1 (CI) turns the skip into a failure.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEngine, type Engine } from '../../src/engine/docker.js';
import { runProcess } from '../../src/tools/process.js';

export const requireDocker = process.env.BASEIMG_REQUIRE_DOCKER === '1';

async function probe(): Promise<Engine | null> {
  try {
    const engine = await findEngine();
    if (engine.mode === 'legacy') {
      throw new Error(`${engine.client} cannot build with BuildKit`);
    }
    return engine;
  } catch (error) {
    if (requireDocker) {
      throw new Error(`BASEIMG_REQUIRE_DOCKER=1 but no usable Docker engine: ${(error as Error).message}`);
    }
    console.warn(`no Docker engine with BuildKit answered (${(error as Error).message}): the engine tests are skipped (BASEIMG_REQUIRE_DOCKER=1 turns the skip into a failure)`);
    return null;
  }
}

/** The engine, or null when the engine tests skip. */
export const engine = await probe();

/** A build context for the busybox image: the fixture Dockerfile, /bin/busybox, an input file. */
export async function busyboxContext(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path));
  if (!busybox) {
    throw new Error('busybox-static is not installed (/bin/busybox): apt-get install busybox-static');
  }
  const root = await mkdtemp(join(tmpdir(), 'baseimg-engine-'));
  await copyFile(join(import.meta.dirname, '..', 'fixtures', 'engine', 'busybox', 'Dockerfile'), join(root, 'Dockerfile'));
  await copyFile(busybox, join(root, 'busybox'));
  await writeFile(join(root, 'input.txt'), 'hello\n');
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

const cacheDir = process.env.BASEIMG_TEST_CACHE ?? join(homedir(), '.cache', 'baseimg', 'engine-test');

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * Imports a debootstrapped bookworm minbase root as an image and returns its reference. The root
 * tarball is cached (BASEIMG_TEST_CACHE, default ~/.cache/baseimg/engine-test), so only the first
 * run pays for debootstrap; the import is skipped when the engine already has that tarball's image.
 */
export async function debianBase(client: string): Promise<string> {
  const tarball = join(cacheDir, 'bookworm-minbase.tar.gz');
  if (!existsSync(tarball)) {
    await mkdir(cacheDir, { recursive: true });
    const root = await mkdtemp(join(tmpdir(), 'baseimg-rootfs-'));
    try {
      const mirror = process.env.BASEIMG_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
      const boot = await runProcess('debootstrap', ['--variant=minbase', 'bookworm', root, mirror], { timeoutMs: 15 * 60_000 });
      if (boot.code !== 0) {
        throw new Error(`debootstrap failed: ${boot.stderr.slice(-2000)}`);
      }
      // The downloaded .debs are not part of a minbase image.
      const pack = await runProcess('sh', ['-c', 'tar -C "$1" --exclude="./var/cache/apt/archives/*.deb" -c . | gzip -1 > "$2"', 'sh', root, `${tarball}.tmp`], { timeoutMs: 10 * 60_000 });
      if (pack.code !== 0) {
        throw new Error(`packing the root failed: ${pack.stderr}`);
      }
      await rename(`${tarball}.tmp`, tarball);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const reference = `baseimg-test/bookworm-minbase:${(await sha256(tarball)).slice(0, 12)}`;
  const present = await runProcess(client, ['image', 'inspect', reference], { timeoutMs: 30_000 });
  if (present.code !== 0) {
    const imported = await runProcess(client, ['import', tarball, reference], { timeoutMs: 10 * 60_000 });
    if (imported.code !== 0) {
      throw new Error(`docker import failed: ${imported.stderr}`);
    }
  }
  return reference;
}
