/**
 * Builds image archives in memory for the analysis tests: layer tars with tar-stream, wrapped
 * as a legacy docker-archive or an OCI layout (optionally with Docker 25's manifest.json), each
 * layer stored plain, gzip or zstd. zstd needs the `zstd` program (Debian package zstd).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface Member {
  path: string;
  /** Content, or a size for zero-filled content. */
  content?: string | Buffer;
  size?: number;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export type Compression = 'none' | 'gzip' | 'zstd';

/** A tar of the members, in order. */
export async function tarOf(members: Member[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const member of members) {
    const type = member.type ?? 'file';
    if (type === 'file') {
      const body = typeof member.content === 'string' ? Buffer.from(member.content) : member.content ?? Buffer.alloc(member.size ?? 0);
      pack.entry({ name: member.path, type, size: body.length, mode: 0o644, mtime: new Date(0) }, body);
    } else {
      pack.entry({ name: member.path, type, linkname: member.linkname, mode: 0o755, mtime: new Date(0) });
    }
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export function zstdAvailable(): boolean {
  return spawnSync('zstd', ['--version']).status === 0;
}

export function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') {
    return gzipSync(data);
  }
  if (compression === 'zstd') {
    const result = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1024 ** 3 });
    if (result.status !== 0) {
      throw new Error(`zstd failed: ${result.stderr.toString()}`);
    }
    return result.stdout;
  }
  return data;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface ArchiveOptions {
  layout: 'docker-archive' | 'oci' | 'docker25';
  compression?: Compression;
  /** Put manifest.json / index.json after the layers in the stream. */
  manifestLast?: boolean;
  tag?: string;
  /** created_by per layer. */
  history?: string[];
}

/** An image archive of the given layer tars (base first). */
export async function archiveOf(layers: Buffer[], options: ArchiveOptions): Promise<Buffer> {
  const compression = options.compression ?? 'none';
  const diffIds = layers.map((layer) => `sha256:${sha256(layer)}`);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [
      { created_by: 'LABEL x=1', empty_layer: true },
      ...layers.map((_, i) => ({ created_by: options.history?.[i] ?? `RUN step ${i}` })),
    ],
  });
  const configHex = sha256(config);
  const tag = options.tag ?? 'example/app:1';
  const head: Member[] = [];
  const body: Member[] = [];
  if (options.layout === 'docker-archive') {
    layers.forEach((layer, i) => {
      body.push({ path: `${sha256(layer)}/`, type: 'directory' });
      body.push({ path: `${sha256(layer)}/VERSION`, content: '1.0' });
      body.push({ path: `${sha256(layer)}/json`, content: `{"id":"${i}"}` });
      body.push({ path: `${sha256(layer)}/layer.tar`, content: compress(layer, compression) });
    });
    body.push({ path: `${configHex}.json`, content: config });
    head.push({ path: 'manifest.json', content: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [tag], Layers: layers.map((layer) => `${sha256(layer)}/layer.tar`) }]) });
    head.push({ path: 'repositories', content: '{}' });
  } else {
    const blobs = layers.map((layer) => compress(layer, compression));
    const mediaType = compression === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : `application/vnd.oci.image.layer.v1.tar+${compression}`;
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: blobs.map((blob) => ({ mediaType, digest: `sha256:${sha256(blob)}`, size: blob.length })),
    });
    const manifestHex = sha256(manifest);
    body.push({ path: 'blobs/', type: 'directory' });
    body.push({ path: 'blobs/sha256/', type: 'directory' });
    blobs.forEach((blob) => body.push({ path: `blobs/sha256/${sha256(blob)}`, content: blob }));
    body.push({ path: `blobs/sha256/${configHex}`, content: config });
    body.push({ path: `blobs/sha256/${manifestHex}`, content: manifest });
    head.push({ path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
    head.push({
      path: 'index.json',
      content: JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${manifestHex}`, size: manifest.length, annotations: { 'io.containerd.image.name': `docker.io/${tag}`, 'org.opencontainers.image.ref.name': '1' } }],
      }),
    });
    if (options.layout === 'docker25') {
      head.push({ path: 'manifest.json', content: JSON.stringify([{ Config: `blobs/sha256/${configHex}`, RepoTags: [tag], Layers: blobs.map((blob) => `blobs/sha256/${sha256(blob)}`) }]) });
    }
  }
  return tarOf(options.manifestLast ? [...body, ...head] : [...head, ...body]);
}

/** A readable that hands the buffer out in chunks of `size` bytes, like a pipe would. */
export function streamOf(buffer: Buffer, size = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= buffer.length) {
        this.push(null);
        return;
      }
      this.push(buffer.subarray(offset, offset + size));
      offset += size;
    },
  });
}

/**
 * One ustar header, hand-encoded so tests can declare sizes no body follows (a terabyte) and
 * generate a million members quickly. Sizes over 8 GiB use the base-256 form GNU tar writes.
 */
export function ustarHeader(name: string, size: number, type = '0', linkname = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  if (size < 8 ** 11) {
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  } else {
    header[124] = 0x80;
    let rest = size;
    for (let i = 135; i > 124; i -= 1) {
      header[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write(linkname, 157, 100, 'utf8');
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i += 1) {
    sum += header[i] ?? 0;
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** The zero padding after a member body of `size` bytes. */
export function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/**
 * A docker-archive whose single layer holds `count` empty files, generated lazily so the test
 * never holds the ~`count * 512` bytes in memory.
 */
export function manyEntriesArchive(count: number): Readable {
  const layerSize = count * 512 + 1024;
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', RepoTags: [], Layers: ['l/layer.tar'] }]));
  let state: 'head' | 'body' | 'tail' | 'done' = 'head';
  let produced = 0;
  return new Readable({
    read() {
      if (state === 'head') {
        state = 'body';
        this.push(Buffer.concat([ustarHeader('manifest.json', manifest.length), manifest, padding(manifest.length), ustarHeader('l/layer.tar', layerSize)]));
        return;
      }
      if (state === 'body') {
        const batch: Buffer[] = [];
        for (let i = 0; i < 2048 && produced < count; i += 1, produced += 1) {
          batch.push(emptyFileHeader(produced));
        }
        if (produced >= count) {
          state = 'tail';
        }
        this.push(Buffer.concat(batch));
        return;
      }
      if (state === 'tail') {
        state = 'done';
        this.push(Buffer.alloc(1024 + 1024));
        return;
      }
      this.push(null);
    },
  });
}

const TEMPLATE = ustarHeader('d/f', 0);
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 32 : byte), 0) - 'd/f'.charCodeAt(0) - '/'.charCodeAt(0) - 'f'.charCodeAt(0);

/** The header of empty regular file `d/f<n>`, patched from a template (a million of them must be cheap). */
function emptyFileHeader(n: number): Buffer {
  const header = Buffer.from(TEMPLATE);
  const name = `d/f${n}`;
  header.write(name, 0, 'latin1');
  let sum = TEMPLATE_SUM;
  for (let i = 0; i < name.length; i += 1) {
    sum += name.charCodeAt(i);
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}
