/**
 * Streaming analysis of an image archive (`docker save` output, legacy or Docker 25+ OCI layout,
 * or an OCI archive from skopeo) in one pass and without touching the disk.
 *
 * The manifest may come after the layers in the stream, so every layer blob is indexed as it goes
 * by (layer.ts) and the image is put together at the end: layer order from manifest.json or
 * index.json, history from the config, then the layers are applied in order to a merged
 * filesystem to get per-layer added/modified/removed bytes, the final bytes and the waste.
 * Definitions (and how they differ from dive's) are in docs/image-analysis.md. Both the outer tar
 * and the layers go through the in-place parser of tar-parser.ts (tar-stream is not used here):
 * an uncompressed layer's bytes are parsed straight from the input chunks, without a stream,
 * copy or callback chain per member.
 */
import type { Readable } from 'node:stream';
import type { ZodType } from 'zod';
import { InputError } from '../errors.js';
import { dockerManifest, imageConfig, ociIndex, ociManifest, type ImageConfig } from './archive.schema.js';
import { countEntry, createLayerSink, DIR, FILE, sniffCompression, WHITEOUT, type Budget, type LayerIndex, type LayerSink } from './layer.js';
import { archiveError, resolveLimits, type ArchiveLimits } from './limits.js';
import { toFoundPackage, type OsRelease } from './packages.js';
import { normalizeMemberPath, PathTable, resolveLinkTarget } from './paths.js';
import { TarFormatError, TarParser, type BodySink, type TarHeader } from './tar-parser.js';
import type { ArchiveFormat, DirectorySize, FoundPackage, ImageAnalysis, LayerAnalysis } from './types.js';
import { UnwantedCollector } from './unwanted.js';

export interface AnalyzeOptions {
  /** Caps on entries, sizes and captured files; see limits.ts. */
  limits?: Partial<ArchiveLimits>;
  /** Which image of a multi-image archive (a RepoTag); the first one when absent. */
  reference?: string;
  /** How many directories `biggestDirectories` lists. */
  topDirectories?: number;
}

// Packed value of the merged filesystem: ((size * 8 + type) * 1024 + layer). Sizes fit 40 bits
// (limits.ts), types 3 bits, layers 10 bits: 53 bits, an exact double.
const LAYER_SPACE = 1024;
const TYPE_SPACE = 8;
const pack = (size: number, type: number, layer: number): number => (size * TYPE_SPACE + type) * LAYER_SPACE + layer;
const layerOf = (packed: number): number => packed % LAYER_SPACE;
const typeOf = (packed: number): number => Math.floor(packed / LAYER_SPACE) % TYPE_SPACE;
const sizeOf = (packed: number): number => Math.floor(packed / (LAYER_SPACE * TYPE_SPACE));

const SNIFF_BYTES = 512;

/** What the outer tar held, before the image is put together. */
interface Collected {
  json: Map<string, unknown>;
  layers: Map<string, LayerIndex>;
  /** Outer symlinks (legacy archives link identical layer.tar files). */
  aliases: Map<string, string>;
  members: Set<string>;
}

/** Analyses an image archive read from `input`; rejects with an InputError on any bad or over-limit archive. */
export async function analyzeImageArchive(input: Readable, options: AnalyzeOptions = {}): Promise<ImageAnalysis> {
  const limits = resolveLimits(options.limits);
  const budget: Budget = { limits, entries: 0, paths: new PathTable() };
  const collected = await readOuter(input, budget);
  return assemble(collected, budget, options);
}

/** How many bytes of input may wait, read but not yet parsed, so that reading overlaps parsing. */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * Reads the outer tar with the same in-place parser as the layers (tar-parser.ts), so a layer's
 * bytes go from the input chunk straight into its own parser, with no stream object per member.
 * Input chunks are queued and parsed on a later turn of the event loop: the producer (a file
 * read, a pipe) then already fetches the next chunk while this one is parsed.
 */
function readOuter(input: Readable, budget: Budget): Promise<Collected> {
  const { limits } = budget;
  const collected: Collected = { json: new Map(), layers: new Map(), aliases: new Map(), members: new Set() };
  const started = new Set<string>();
  const pendingLayers: Promise<void>[] = [];
  /** A decompressor that asked the reader to wait. */
  let blocked: LayerSink | null = null;
  let failOuter: (error: Error) => void = () => undefined;

  const onEntry = (header: TarHeader): BodySink | null => {
    const member = header.name;
    countEntry(budget, member);
    if (header.size > limits.maxEntryBytes) {
      throw archiveError(`archive member declares ${header.size} bytes, over the limit of ${limits.maxEntryBytes} (maxEntryBytes)`, member);
    }
    const path = normalizeMemberPath(member, member, limits.maxPathLength);
    if (header.type === '2' || header.type === '1') {
      const target = resolveLinkTarget(path, header.linkname, header.type === '1' ? 'hardlink' : 'symlink');
      if (target === null || (header.type === '2' && header.linkname.startsWith('/'))) {
        throw archiveError(`link '${path}' -> '${header.linkname}' points outside the archive`, member);
      }
      collected.aliases.set(path, target);
      collected.members.add(path);
      return null;
    }
    // Old tars mark directories with a trailing slash on a regular-file type.
    if ((header.type !== '0' && header.type !== '7') || member.endsWith('/')) {
      return null;
    }
    collected.members.add(path);
    const isBlob = /^blobs\/[^/]+\/[^/]+$/.test(path) || /^[^/]+\/layer\.tar$/.test(path);
    const isJson = path === 'manifest.json' || path === 'index.json' || /^[^/]+\.json$/.test(path);
    if (!isBlob && !isJson) {
      return null;
    }
    return memberSink(path, member, header.size, isBlob);
  };

  /** Collects a member's first bytes, then decides from them whether it is JSON, a layer, or neither. */
  const memberSink = (path: string, member: string, size: number, isBlob: boolean): BodySink => {
    let state: 'head' | 'json' | 'layer' | 'skip' = 'head';
    let chunks: Buffer[] = [];
    let length = 0;
    let layer: LayerSink | null = null;
    const decide = (): void => {
      const head = chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks);
      const kind = isBlob ? sniffCompression(head) : 'json';
      if (kind === 'json') {
        if (size > limits.maxJsonBytes) {
          throw archiveError(`JSON document of ${size} bytes is over the limit of ${limits.maxJsonBytes} (maxJsonBytes)`, member);
        }
        state = 'json';
        return;
      }
      chunks = [];
      if (kind === null) {
        // Not a layer and not JSON (a signature, an attestation payload): not needed.
        state = 'skip';
        return;
      }
      if (!started.has(path) && started.size >= limits.maxLayers) {
        throw archiveError(`archive has more than ${limits.maxLayers} layer blobs (limit maxLayers)`, member);
      }
      started.add(path);
      state = 'layer';
      layer = createLayerSink(path, kind, size, budget);
      // A decompressed layer fails on its own time: stop reading at once, not at the end of the input.
      pendingLayers.push(layer.done.then((index) => {
        collected.layers.set(path, index);
      }, (error: Error) => {
        failOuter(error);
      }));
      write(head);
    };
    const write = (chunk: Buffer): void => {
      if (layer && !layer.write(chunk)) {
        blocked = layer;
      }
    };
    return {
      data(chunk) {
        if (state === 'layer') {
          write(chunk);
        } else if (state === 'head' || state === 'json') {
          // The input's chunks are the reader's to keep; a view is enough.
          chunks.push(chunk);
          length += chunk.length;
          if (state === 'head' && length >= SNIFF_BYTES && size > SNIFF_BYTES) {
            decide();
          }
        }
      },
      end() {
        if (state === 'head') {
          decide();
        }
        if (state === 'layer') {
          layer?.end();
        } else if (state === 'json') {
          const text = (chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks)).toString('utf8');
          chunks = [];
          try {
            collected.json.set(path, JSON.parse(text));
          } catch (error) {
            if (!isBlob) {
              throw archiveError(`invalid JSON: ${(error as Error).message}`, member);
            }
          }
        }
      },
    };
  };

  const parser = new TarParser(onEntry);
  return new Promise<Collected>((resolve, reject) => {
    let failed = false;
    let ended = false;
    let running = false;
    const queue: Buffer[] = [];
    let head = 0;
    let queued = 0;
    const fail = (error: Error): void => {
      if (failed) {
        return;
      }
      failed = true;
      queue.length = 0;
      // Stop reading the producer (docker save): the caller kills it.
      input.destroy();
      if (error instanceof InputError) {
        reject(error);
      } else if (error instanceof TarFormatError && /truncated/.test(error.message)) {
        reject(archiveError('archive is truncated (the tar stream ended inside an entry)'));
      } else {
        reject(archiveError(`cannot read the archive: ${error.message}`));
      }
    };
    const pump = async (): Promise<void> => {
      running = true;
      try {
        while (!failed && head < queue.length) {
          const chunk = queue[head] as Buffer;
          queue[head] = EMPTY;
          head += 1;
          queued -= chunk.length;
          parser.write(chunk);
          if (head === queue.length) {
            queue.length = 0;
            head = 0;
          }
          if (queued < READ_AHEAD_BYTES && input.isPaused()) {
            input.resume();
          }
          if (blocked) {
            const waiting: LayerSink = blocked;
            blocked = null;
            await waiting.drain();
          }
        }
        if (!failed && ended) {
          parser.finish();
          for (const pending of pendingLayers) {
            await pending;
          }
          if (!failed) {
            resolve(collected);
          }
        }
      } catch (error) {
        fail(error as Error);
      } finally {
        running = false;
      }
    };
    const schedule = (): void => {
      if (!running && !failed) {
        running = true;
        setImmediate(() => void pump());
      }
    };
    input.on('data', (chunk: Buffer | string) => {
      if (failed) {
        return;
      }
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      queue.push(bytes);
      queued += bytes.length;
      if (queued >= READ_AHEAD_BYTES) {
        input.pause();
      }
      schedule();
    });
    input.on('end', () => {
      ended = true;
      schedule();
    });
    input.on('error', fail);
    failOuter = fail;
  });
}

const EMPTY = Buffer.alloc(0);

function parseJson<T>(schema: ZodType<T>, value: unknown, member: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw archiveError(`unexpected JSON at '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}`, member);
  }
  return result.data;
}

const blobPath = (digest: string): string => {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
};

interface ImagePlan {
  format: ArchiveFormat;
  configMember: string;
  layerMembers: string[];
  repoTags: string[];
  imageId: string | null;
}

/** Finds which config and layers make the image: manifest.json first, else index.json. */
function plan(collected: Collected, options: AnalyzeOptions): ImagePlan {
  const format: ArchiveFormat = collected.members.has('oci-layout') || collected.json.has('index.json') ? 'oci-layout' : 'docker-archive';
  const manifestJson = collected.json.get('manifest.json');
  if (manifestJson !== undefined) {
    const entries = parseJson(dockerManifest, manifestJson, 'manifest.json');
    const entry = (options.reference ? entries.find((candidate) => candidate.RepoTags?.includes(options.reference ?? '')) : undefined) ?? entries[0];
    // Docker 25.0.0 wrote empty layer lists (moby/moby#47065); index.json is the fallback then.
    if (entry && (entry.Layers?.length ?? 0) > 0) {
      const configMember = normalizeMemberPath(entry.Config, 'manifest.json', 4096);
      const idMatch = /^(?:blobs\/sha256\/)?([0-9a-f]{64})(?:\.json)?$/.exec(configMember);
      return {
        format,
        configMember,
        layerMembers: (entry.Layers ?? []).map((layer) => normalizeMemberPath(layer, 'manifest.json', 4096)),
        repoTags: entry.RepoTags ?? [],
        imageId: idMatch?.[1] ? `sha256:${idMatch[1]}` : null,
      };
    }
  }
  const indexJson = collected.json.get('index.json');
  if (indexJson === undefined) {
    throw archiveError('archive has neither manifest.json nor index.json; is it the output of docker save?');
  }
  let index = parseJson(ociIndex, indexJson, 'index.json');
  const repoTags: string[] = [];
  for (let depth = 0; depth < 4; depth += 1) {
    const manifests = (index.manifests ?? []).filter((descriptor) =>
      descriptor.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && descriptor.platform?.os !== 'unknown');
    const chosen = manifests[0];
    if (!chosen) {
      throw archiveError('index.json lists no image manifest', 'index.json');
    }
    const name = chosen.annotations?.['io.containerd.image.name'] ?? chosen.annotations?.['org.opencontainers.image.ref.name'];
    if (name && depth === 0) {
      repoTags.push(name);
    }
    const member = blobPath(chosen.digest);
    const json = collected.json.get(member);
    if (json === undefined) {
      throw archiveError(`index names manifest ${chosen.digest}, which the archive does not contain`, member);
    }
    if (typeof json === 'object' && json !== null && 'manifests' in json) {
      index = parseJson(ociIndex, json, member);
      continue;
    }
    const manifest = parseJson(ociManifest, json, member);
    return {
      format,
      configMember: blobPath(manifest.config.digest),
      layerMembers: (manifest.layers ?? []).map((layer) => blobPath(layer.digest)),
      repoTags,
      imageId: manifest.config.digest,
    };
  }
  throw archiveError('image indexes nest too deeply', 'index.json');
}

function resolveMember(collected: Collected, member: string): string {
  let current = member;
  for (let hops = 0; hops < 8 && collected.aliases.has(current); hops += 1) {
    current = collected.aliases.get(current) ?? current;
  }
  return current;
}

function assemble(collected: Collected, budget: Budget, options: AnalyzeOptions): ImageAnalysis {
  const image = plan(collected, options);
  const configJson = collected.json.get(resolveMember(collected, image.configMember));
  if (configJson === undefined) {
    throw archiveError(`manifest names config '${image.configMember}', which the archive does not contain`, image.configMember);
  }
  const config: ImageConfig = parseJson(imageConfig, configJson, image.configMember);
  const indexes = image.layerMembers.map((member) => {
    const index = collected.layers.get(resolveMember(collected, member));
    if (!index) {
      throw archiveError(`manifest names layer '${member}', which the archive does not contain`, member);
    }
    return index;
  });
  const diffIds = config.rootfs?.diff_ids ?? [];
  const history = (config.history ?? []).filter((entry) => entry.empty_layer !== true);
  const { paths } = budget;

  const merged = new Map<number, number>();
  const layers: LayerAnalysis[] = [];
  indexes.forEach((index, layer) => {
    let addedBytes = 0;
    let modifiedBytes = 0;
    let removedBytes = 0;
    // Deletions first: whiteouts and opaque markers hide lower layers only, whatever their tar order.
    const subtrees = new Set<number>(index.opaqueDirs);
    for (let i = 0; i < index.count; i += 1) {
      if (index.types[i] !== WHITEOUT) {
        continue;
      }
      const key = index.keys[i] ?? 0;
      const previous = merged.get(key);
      if (previous !== undefined) {
        if (typeOf(previous) === FILE) {
          removedBytes += sizeOf(previous);
        }
        merged.delete(key);
      }
      const dir = paths.findDir(paths.pathOfKey(key));
      if (dir !== undefined) {
        subtrees.add(dir);
      }
    }
    removedBytes += removeSubtrees(merged, paths, subtrees);
    for (let i = 0; i < index.count; i += 1) {
      const type = index.types[i] ?? 0;
      if (type === WHITEOUT) {
        continue;
      }
      const key = index.keys[i] ?? 0;
      const size = index.sizes[i] ?? 0;
      const previous = merged.get(key);
      if (previous !== undefined && typeOf(previous) === DIR && type !== DIR) {
        // A non-directory over a directory replaces the whole tree.
        const dir = paths.findDir(paths.pathOfKey(key));
        if (dir !== undefined) {
          removeSubtrees(merged, paths, new Set([dir]));
        }
      }
      if (type === FILE) {
        if (previous === undefined) {
          addedBytes += size;
        } else {
          modifiedBytes += size;
        }
      }
      merged.set(key, pack(size, type, layer));
    }
    layers.push({
      index: layer,
      digest: diffIds[layer] ?? digestFromMember(index.member),
      compression: index.compression,
      storedBytes: index.storedBytes,
      contentBytes: index.contentBytes,
      files: index.files,
      addedBytes,
      modifiedBytes,
      removedBytes,
      whiteouts: index.whiteouts + index.opaqueDirs.length,
      createdBy: history[layer]?.created_by ?? null,
    });
  });

  let finalBytes = 0;
  const direct = new Map<number, number>();
  const unwanted = new UnwantedCollector();
  for (const [key, packed] of merged) {
    if (typeOf(packed) !== FILE) {
      continue;
    }
    const size = sizeOf(packed);
    finalBytes += size;
    const dir = paths.dirOfKey(key);
    direct.set(dir, (direct.get(dir) ?? 0) + size);
    unwanted.add(paths.pathOfKey(key), size);
  }
  const totals = new Map<number, number>();
  for (const [dir, bytes] of direct) {
    for (let current = dir; current >= 0; current = paths.parentOf(current)) {
      totals.set(current, (totals.get(current) ?? 0) + bytes);
    }
  }
  const biggestDirectories: DirectorySize[] = [...totals]
    .filter(([dir]) => dir !== 0)
    .map(([dir, bytes]) => ({ path: `/${paths.dirPath(dir)}`, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, options.topDirectories ?? 20);

  const visible = (key: number, layer: number): boolean => {
    const packed = merged.get(key);
    return packed !== undefined && typeOf(packed) === FILE && layerOf(packed) === layer;
  };
  let os: OsRelease | null = null;
  for (const preferred of ['etc/os-release', 'usr/lib/os-release']) {
    indexes.forEach((index, layer) => {
      for (const found of index.osReleases) {
        if (os === null && paths.pathOfKey(found.key) === preferred && visible(found.key, layer)) {
          os = found.os;
        }
      }
    });
  }
  const packages: FoundPackage[] = [];
  const seen = new Set<string>();
  indexes.forEach((index, layer) => {
    for (const found of index.packages) {
      if (!visible(found.key, layer)) {
        continue;
      }
      for (const raw of found.packages) {
        const pkg = toFoundPackage(raw, os);
        const id = `${pkg.purl} ${pkg.location}`;
        if (!seen.has(id)) {
          seen.add(id);
          packages.push(pkg);
        }
      }
    }
  });
  packages.sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || a.location.localeCompare(b.location));

  const totalLayerBytes = layers.reduce((sum, layer) => sum + layer.contentBytes, 0);
  return {
    format: image.format,
    imageId: image.imageId,
    repoTags: image.repoTags,
    architecture: config.architecture ?? null,
    os: config.os ?? null,
    layers,
    finalBytes,
    totalLayerBytes,
    wastedBytes: totalLayerBytes - finalBytes,
    efficiency: totalLayerBytes === 0 ? 1 : finalBytes / totalLayerBytes,
    biggestDirectories,
    unwanted: unwanted.result(),
    packages,
    distro: os,
  };
}

/** Removes every merged entry inside the given directories; returns the regular-file bytes removed. */
function removeSubtrees(merged: Map<number, number>, paths: PathTable, roots: Set<number>): number {
  if (roots.size === 0) {
    return 0;
  }
  let removed = 0;
  const memo = new Map<number, boolean>();
  const inside = (dir: number): boolean => {
    const known = memo.get(dir);
    if (known !== undefined) {
      return known;
    }
    let result = false;
    for (let current = dir; current >= 0; current = paths.parentOf(current)) {
      if (roots.has(current)) {
        result = true;
        break;
      }
      const cached = memo.get(current);
      if (cached !== undefined) {
        result = cached;
        break;
      }
    }
    memo.set(dir, result);
    return result;
  };
  for (const [key, packed] of merged) {
    if (inside(paths.dirOfKey(key))) {
      if (typeOf(packed) === FILE) {
        removed += sizeOf(packed);
      }
      merged.delete(key);
    }
  }
  return removed;
}

function digestFromMember(member: string): string {
  const match = /^blobs\/([^/]+)\/([^/]+)$/.exec(member);
  return match ? `${match[1]}:${match[2]}` : member;
}
