/**
 * What the streaming image-archive analysis (src/image/) returns. The engine driver (src/engine/)
 * pipes `docker save` into `analyzeImageArchive(stream)` and stores this in run records, so the
 * shape is part of the run-record schema: change it together with docs/bench.md.
 */

/** The archive layout `docker save` (or skopeo) produced. */
export type ArchiveFormat = 'docker-archive' | 'oci-layout';

/** How a layer blob is stored, detected from its magic bytes. */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

/** One layer of the image, in manifest order (base first). */
export interface LayerAnalysis {
  index: number;
  /** Layer digest (`sha256:...`, the diff id or blob digest as the archive names it). */
  digest: string;
  compression: LayerCompression;
  /** Bytes of the layer blob as stored in the archive. */
  storedBytes: number;
  /** Uncompressed bytes of regular-file content the layer adds or replaces. */
  contentBytes: number;
  files: number;
  addedBytes: number;
  modifiedBytes: number;
  /** Bytes of lower-layer files this layer removes (whiteouts, opaque directories). */
  removedBytes: number;
  whiteouts: number;
  /** The history entry (`created_by`) that made the layer, when the config says. */
  createdBy: string | null;
}

/** A directory with the bytes it holds in the final filesystem. */
export interface DirectorySize {
  path: string;
  bytes: number;
}

/** A file kind that usually should not ship in a runtime image, and how much of it does. */
export interface UnwantedFiles {
  kind: 'headers' | 'static-libraries' | 'pycache' | 'apt-lists' | 'pip-cache' | 'uv-cache' | 'test-folders' | 'docs' | 'other';
  files: number;
  bytes: number;
  /** A few example paths. */
  examples: string[];
}

/** A package found in the final filesystem (dpkg, Python, npm). */
export interface FoundPackage {
  ecosystem: 'deb' | 'pypi' | 'npm';
  name: string;
  version: string;
  /** Package URL (purl). */
  purl: string;
  /** Installed size in bytes when the package database says. */
  sizeBytes: number | null;
  /** Where it was found (`/var/lib/dpkg/status`, a dist-info folder, a package.json). */
  location: string;
  licenses?: string[];
}

/** The analysis of one image archive. */
export interface ImageAnalysis {
  format: ArchiveFormat;
  /** Image config digest / id, when the archive names it. */
  imageId: string | null;
  repoTags: string[];
  architecture: string | null;
  os: string | null;
  layers: LayerAnalysis[];
  /** Bytes of all regular files in the final filesystem. */
  finalBytes: number;
  /** Sum of layer content bytes (what was shipped). */
  totalLayerBytes: number;
  /** Bytes shipped but not visible in the final filesystem (shadowed, deleted, duplicated), counted once. */
  wastedBytes: number;
  /** finalBytes / totalLayerBytes (1 = no waste); docs/bench.md defines it and compares it with dive's. */
  efficiency: number;
  biggestDirectories: DirectorySize[];
  unwanted: UnwantedFiles[];
  packages: FoundPackage[];
  /** The distribution from the final /etc/os-release (or /usr/lib/os-release), when the image has one. */
  distro?: Distro | null;
}

/** What os-release says about the image's distribution. */
export interface Distro {
  id: string | null;
  idLike: string[];
  versionId: string | null;
  prettyName: string | null;
}
