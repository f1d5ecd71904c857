/**
 * Hostile and broken archives (issue item 9): each must end in a clear InputError, in bounded
 * time and memory, and nothing may be written: the analysis has no file-system access at all,
 * which the last test checks on the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { analyzeImageArchive } from '../../src/image/analyze.js';
import { archiveOf, manyEntriesArchive, padding, streamOf, tarOf, ustarHeader } from './archives.js';

async function failure(input: Readable | Buffer, limits?: Parameters<typeof analyzeImageArchive>[1]): Promise<InputError> {
  const stream = Buffer.isBuffer(input) ? streamOf(input) : input;
  const error = await analyzeImageArchive(stream, limits).then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const layerWith = async (...members: Parameters<typeof tarOf>[0]): Promise<Buffer> => archiveOf([await tarOf(members)], { layout: 'docker-archive' });

describe('bad archives', () => {
  it('refuses a member that climbs out with ../', async () => {
    const archive = await tarOf([{ path: 'ok/../../evil', content: 'x' }]);
    expect((await failure(archive)).message).toMatch(/climbs out of the root/);
  });

  it('refuses an absolute path inside a layer', async () => {
    const error = await failure(await layerWith({ path: '/etc/passwd', content: 'root' }));
    expect(error.message).toMatch(/absolute path '\/etc\/passwd'/);
    expect(error.file).toMatch(/layer\.tar$/);
  });

  it('refuses ../ inside a layer', async () => {
    expect((await failure(await layerWith({ path: 'a/../../etc/passwd', content: 'root' }))).message).toMatch(/climbs out/);
  });

  it('refuses a symbolic link that escapes the root, and accepts absolute link targets', async () => {
    expect((await failure(await layerWith({ path: 'etc/x', type: 'symlink', linkname: '../../../etc/passwd' }))).message)
      .toMatch(/symbolic link 'etc\/x' -> '..\/..\/..\/etc\/passwd' points outside the image root/);
    const fine = await analyzeImageArchive(streamOf(await layerWith({ path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' })));
    expect(fine.layers).toHaveLength(1);
  });

  it('refuses a hard link that escapes the root', async () => {
    expect((await failure(await layerWith({ path: 'x', type: 'link', linkname: '../outside' }))).message).toMatch(/hard link 'x'.*outside the image root/);
  });

  it('refuses an outer symlink pointing out of the archive', async () => {
    expect((await failure(await tarOf([{ path: 'l/layer.tar', type: 'symlink', linkname: '/etc/passwd' }]))).message).toMatch(/points outside the archive/);
  });

  it('refuses a member declaring a terabyte before reading it', async () => {
    const archive = Buffer.concat([ustarHeader('blobs/sha256/aa', 1e12), Buffer.alloc(4096)]);
    const error = await failure(archive);
    expect(error.message).toMatch(/declares 1000000000000 bytes, over the limit/);
  });

  it('refuses a terabyte file inside a layer', async () => {
    const layer = Buffer.concat([ustarHeader('big', 1e12), Buffer.alloc(4096)]);
    const archive = await tarOf([{ path: 'l/layer.tar', content: layer }]);
    expect((await failure(archive)).message).toMatch(/layer member 'big' declares 1000000000000 bytes/);
  });

  it('stops at the entry cap on a million empty entries, with bounded memory', async () => {
    const before = process.memoryUsage().rss;
    const error = await failure(manyEntriesArchive(1_000_100));
    expect(error.message).toMatch(/more than 1000000 tar entries \(limit maxEntries\)/);
    // The index of a million paths is tens of megabytes; a Map of objects would be far more.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 ** 2);
  });

  it('honours a lower entry cap', async () => {
    expect((await failure(manyEntriesArchive(5000), { limits: { maxEntries: 1000 } })).message).toMatch(/more than 1000 tar entries/);
  });

  it('reports a truncated gzip layer', async () => {
    const layer = gzipSync(await tarOf([{ path: 'a', size: 200_000 }, { path: 'b', content: 'x'.repeat(50_000) }]));
    const archive = await tarOf([{ path: 'l/layer.tar', content: layer.subarray(0, Math.floor(layer.length / 2)) }]);
    const error = await failure(archive);
    expect(error.message).toMatch(/truncated|unexpected end/i);
    expect(error.file).toBe('l/layer.tar');
  });

  it('reports a truncated archive', async () => {
    const archive = await layerWith({ path: 'a', size: 100_000 });
    expect((await failure(archive.subarray(0, 60_000))).message).toMatch(/truncated/);
  });

  it('reports a manifest naming a layer the archive lacks', async () => {
    const manifest = JSON.stringify([{ Config: 'c.json', RepoTags: [], Layers: ['missing/layer.tar'] }]);
    const archive = await tarOf([{ path: 'manifest.json', content: manifest }, { path: 'c.json', content: '{"rootfs":{"diff_ids":[]}}' }]);
    expect((await failure(archive)).message).toMatch(/manifest names layer 'missing\/layer.tar', which the archive does not contain/);
  });

  it('reports a manifest naming a config the archive lacks', async () => {
    const archive = await tarOf([{ path: 'manifest.json', content: JSON.stringify([{ Config: 'gone.json', Layers: ['x/layer.tar'] }]) }]);
    expect((await failure(archive)).message).toMatch(/config 'gone.json'/);
  });

  it('refuses a huge JSON config before reading it', async () => {
    const config = `{"pad":"${'x'.repeat(17 * 1024 * 1024)}"}`;
    const archive = await tarOf([{ path: 'manifest.json', content: '[]' }, { path: `${'a'.repeat(64)}.json`, content: config }]);
    const error = await failure(archive);
    expect(error.message).toMatch(/JSON document of \d+ bytes is over the limit of 16777216 \(maxJsonBytes\)/);
  });

  it('reports something that is not an image archive', async () => {
    expect((await failure(await tarOf([{ path: 'hello.txt', content: 'hi' }]))).message).toMatch(/neither manifest.json nor index.json/);
    expect((await failure(Buffer.from('not a tar at all'.repeat(100)))).message).toMatch(/cannot read the archive|truncated/);
  });

  it('reports a manifest.json that is not the docker save schema', async () => {
    expect((await failure(await tarOf([{ path: 'manifest.json', content: '{"Config":1}' }]))).message).toMatch(/unexpected JSON/);
  });

  it('keeps a layer-sized padding check honest (helper sanity)', () => {
    expect(padding(1).length).toBe(511);
    expect(padding(512).length).toBe(0);
  });

  it('has no file-system or process access in the analysis code', () => {
    const dir = join(import.meta.dirname, '../../src/image');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/from 'node:(?:fs|fs\/promises|child_process)'/);
    }
  });
});
