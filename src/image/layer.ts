/**
 * One layer blob, streamed: decompressed on the fly (gzip through node:zlib, zstd through fzstd,
 * chosen by magic bytes) and parsed in place (tar-parser.ts) into a compact per-layer index: one key, size
 * and type per member, the whiteouts and opaque directories, and the packages of any package
 * database the layer carries. Nothing is written anywhere; file contents are read and dropped,
 * except the package databases, which are parsed as soon as they end.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { InputError } from '../errors.js';
import { archiveError, type ArchiveLimits } from './limits.js';
import { captureKind, parseDpkgStatus, parseOsRelease, parsePackageJson, parsePythonMetadata, type CaptureKind, type OsRelease, type RawPackage } from './packages.js';
import { normalizeMemberPath, resolveLinkTarget, type PathTable } from './paths.js';
import { TarFormatError, TarParser, type BodySink, type TarHeader } from './tar-parser.js';
import type { LayerCompression } from './types.js';

/** Member types in the index. */
export const FILE = 0;
export const DIR = 1;
export const SYMLINK = 2;
export const HARDLINK = 3;
export const OTHER = 4;
export const WHITEOUT = 5;

/** Shared by every layer of one archive, so caps hold for the archive as a whole. */
export interface Budget {
  limits: ArchiveLimits;
  entries: number;
  paths: PathTable;
}

/** The compact index of one layer, in tar order. */
export interface LayerIndex {
  member: string;
  compression: LayerCompression;
  storedBytes: number;
  contentBytes: number;
  files: number;
  whiteouts: number;
  count: number;
  keys: Float64Array;
  sizes: Float64Array;
  types: Uint8Array;
  /** Directories whose lower contents this layer hides (`.wh..wh..opq`). */
  opaqueDirs: number[];
  packages: { key: number; packages: RawPackage[] }[];
  osReleases: { key: number; os: OsRelease }[];
}

/** Counts one tar member against the archive's cap. */
export function countEntry(budget: Budget, member: string): void {
  budget.entries += 1;
  if (budget.entries > budget.limits.maxEntries) {
    throw archiveError(`archive has more than ${budget.limits.maxEntries} tar entries (limit maxEntries); refusing to index it`, member);
  }
}

/** The compression of a blob from its first bytes: gzip `1f 8b`, zstd `28 b5 2f fd`, tar `ustar` at 257. */
export function sniffCompression(head: Buffer): LayerCompression | 'json' | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return 'gzip';
  }
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    return 'zstd';
  }
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') {
    return 'none';
  }
  // An empty layer is a tar of only end-of-archive blocks (1024 zero bytes).
  if (head.length >= 512 && head.subarray(0, 512).every((byte) => byte === 0)) {
    return 'none';
  }
  const text = head.toString('latin1', 0, Math.min(head.length, 64)).trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    return 'json';
  }
  return null;
}

/** fzstd's streaming decompressor as a Node transform (Node 20 has no zstd in zlib). */
class ZstdDecompress extends Transform {
  private readonly decoder = new Decompress((data) => {
    // fzstd may hand out views of its own window; copy before handing downstream.
    this.push(Buffer.from(data));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      callback();
    } catch (error) {
      callback(new Error(`zstd: ${(error as Error).message}`));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(new Error(`zstd: ${(error as Error).message}`));
    }
  }
}

class Growable {
  count = 0;
  keys = new Float64Array(256);
  sizes = new Float64Array(256);
  types = new Uint8Array(256);

  push(key: number, size: number, type: number): void {
    if (this.count === this.keys.length) {
      const length = this.keys.length * 2;
      const keys = new Float64Array(length);
      keys.set(this.keys);
      const sizes = new Float64Array(length);
      sizes.set(this.sizes);
      const types = new Uint8Array(length);
      types.set(this.types);
      this.keys = keys;
      this.sizes = sizes;
      this.types = types;
    }
    this.keys[this.count] = key;
    this.sizes[this.count] = size;
    this.types[this.count] = type;
    this.count += 1;
  }
}

/**
 * Where the outer parser hands a layer blob's bytes, synchronously. `write` returns false when
 * the decompressor's buffer is full: the caller then waits for `drain` before writing more.
 * An uncompressed layer is parsed inside `write` itself, with no stream or copy in between.
 */
export interface LayerSink {
  write(chunk: Buffer): boolean;
  end(): void;
  drain(): Promise<void>;
  /** The index, or an InputError naming the member. */
  done: Promise<LayerIndex>;
}

/** Starts indexing one layer blob named `member` (an outer archive path). */
export function createLayerSink(member: string, compression: LayerCompression, storedBytes: number, budget: Budget): LayerSink {
  const index = new Growable();
  const opaqueDirs: number[] = [];
  const packages: LayerIndex['packages'] = [];
  const osReleases: LayerIndex['osReleases'] = [];
  let contentBytes = 0;
  let files = 0;
  let whiteouts = 0;
  const { limits, paths } = budget;

  const capture = (kind: CaptureKind, key: number, path: string, size: number): BodySink => {
    // Python METADATA: the headers come first, so reading a prefix is enough.
    if (size > limits.maxCaptureBytes && kind !== 'python-metadata') {
      throw archiveError(`package database '/${path}' is ${size} bytes, over the capture limit of ${limits.maxCaptureBytes} (maxCaptureBytes)`, member);
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    return {
      data(chunk) {
        if (kept < limits.maxCaptureBytes) {
          const part = chunk.subarray(0, limits.maxCaptureBytes - kept);
          chunks.push(Buffer.from(part));
          kept += part.length;
        }
      },
      end() {
        const text = Buffer.concat(chunks).toString('utf8');
        const location = `/${path}`;
        if (kind === 'os-release') {
          osReleases.push({ key, os: parseOsRelease(text) });
          return;
        }
        const found = kind === 'python-metadata'
          ? parsePythonMetadata(text, location.replace(/\/(?:METADATA|PKG-INFO)$/, ''))
          : kind === 'npm-package'
            ? parsePackageJson(text, location)
            : parseDpkgStatus(text, location);
        if (found.length > 0) {
          packages.push({ key, packages: found });
        }
      },
    };
  };

  const onEntry = (header: TarHeader): BodySink | null => {
    countEntry(budget, member);
    const size = header.size;
    if (size > limits.maxEntryBytes) {
      throw archiveError(`layer member '${header.name}' declares ${size} bytes, over the limit of ${limits.maxEntryBytes} (maxEntryBytes)`, member);
    }
    const path = normalizeMemberPath(header.name, member, limits.maxPathLength);
    if (path === '') {
      return null;
    }
    const slash = path.lastIndexOf('/');
    if (path.startsWith('.wh.', slash + 1)) {
      const base = path.slice(slash + 1);
      const dir = slash < 0 ? '' : path.slice(0, slash);
      if (base === '.wh..wh..opq') {
        opaqueDirs.push(paths.dir(dir));
      } else if (!base.startsWith('.wh..wh.')) {
        // `.wh..wh.` names other than the opaque marker are aufs bookkeeping (plnk, aufs): not files.
        whiteouts += 1;
        index.push(paths.key(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`), 0, WHITEOUT);
      }
      return null;
    }
    const key = paths.key(path);
    switch (header.type) {
      case '0':
      case '7': {
        index.push(key, size, FILE);
        contentBytes += size;
        files += 1;
        const kind = captureKind(path);
        return kind ? capture(kind, key, path, size) : null;
      }
      case '5':
        index.push(key, 0, DIR);
        return null;
      case '2':
        if (resolveLinkTarget(path, header.linkname, 'symlink') === null) {
          throw archiveError(`symbolic link '${path}' -> '${header.linkname}' points outside the image root`, member);
        }
        index.push(key, 0, SYMLINK);
        return null;
      case '1':
        if (resolveLinkTarget(path, header.linkname, 'hardlink') === null) {
          throw archiveError(`hard link '${path}' -> '${header.linkname}' points outside the image root`, member);
        }
        index.push(key, 0, HARDLINK);
        return null;
      default:
        index.push(key, 0, OTHER);
        return null;
    }
  };

  const parser = new TarParser(onEntry);
  let resolveDone: (index: LayerIndex) => void = () => undefined;
  let rejectDone: (error: Error) => void = () => undefined;
  const done = new Promise<LayerIndex>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // The caller may stop writing after a failure; keep the rejection from going unhandled meanwhile.
  done.catch(() => undefined);
  let failure: Error | null = null;
  /** Records the first failure as an InputError naming the member, rejects `done`, and returns it. */
  const fail = (error: Error): Error => {
    if (failure) {
      return failure;
    }
    if (error instanceof InputError) {
      failure = error;
    } else {
      const truncated = error instanceof TarFormatError || /unexpected end of file/i.test(error.message);
      failure = archiveError(truncated && !(error instanceof TarFormatError) ? `layer blob is truncated (${error.message})` : `layer blob: ${error.message}`, member);
    }
    rejectDone(failure);
    return failure;
  };
  const parse = (chunk: Buffer): void => {
    try {
      parser.write(chunk);
    } catch (error) {
      throw fail(error as Error);
    }
  };
  const finish = (): void => {
    try {
      parser.finish();
    } catch (error) {
      throw fail(error as Error);
    }
    resolveDone({
      member,
      compression,
      storedBytes,
      contentBytes,
      files,
      whiteouts,
      count: index.count,
      keys: index.keys.subarray(0, index.count),
      sizes: index.sizes.subarray(0, index.count),
      types: index.types.subarray(0, index.count),
      opaqueDirs,
      packages,
      osReleases,
    });
  };
  if (compression === 'none') {
    return {
      write(chunk) {
        parse(chunk);
        return true;
      },
      end: finish,
      drain: () => Promise.resolve(),
      done,
    };
  }
  // Decompressed chunks are parsed as they come out; a parse error stops the decompressor.
  const decoder = compression === 'gzip' ? createGunzip({ chunkSize: 256 * 1024 }) : new ZstdDecompress({ highWaterMark: 1024 * 1024 });
  decoder.on('data', (chunk: Buffer) => {
    if (failure) {
      return;
    }
    try {
      parse(chunk);
    } catch {
      decoder.destroy();
    }
  });
  decoder.on('end', () => {
    if (!failure) {
      try {
        finish();
      } catch {
        // Already recorded by fail().
      }
    }
  });
  decoder.on('error', (error) => {
    fail(error);
  });
  return {
    write(chunk) {
      if (failure) {
        throw failure;
      }
      return decoder.write(chunk);
    },
    end() {
      if (failure) {
        throw failure;
      }
      decoder.end();
    },
    drain() {
      return new Promise<void>((resolve) => {
        if (failure || !decoder.writableNeedDrain) {
          resolve();
          return;
        }
        const settle = (): void => {
          decoder.off('drain', settle);
          decoder.off('close', settle);
          resolve();
        };
        decoder.on('drain', settle);
        decoder.on('close', settle);
      });
    },
    done,
  };
}
