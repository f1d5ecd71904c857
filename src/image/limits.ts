/**
 * Caps that keep the archive analysis bounded in memory and time whatever the input: a hostile
 * or broken archive (a declared size of a terabyte, millions of empty entries, a huge JSON config)
 * ends with a clear InputError instead of an exhausted process. Every cap can be raised by the
 * caller; the defaults fit the largest CUDA/PyTorch images we know of with room to spare.
 */
import { InputError } from '../errors.js';

export interface ArchiveLimits {
  /** Tar entries over the whole archive, outer and all layers together. */
  maxEntries: number;
  /** The declared size of any one tar entry (outer blob or file inside a layer). */
  maxEntryBytes: number;
  /** Characters of one path inside a layer (Linux PATH_MAX is 4096). */
  maxPathLength: number;
  /** A JSON document of the archive (manifest.json, index.json, an OCI manifest, the image config). */
  maxJsonBytes: number;
  /**
   * A package database captured for the SBOM (`/var/lib/dpkg/status`, a `status.d` stanza, a
   * node_modules package.json, os-release). Python METADATA is read only up to this size, its
   * headers come first and the long description after them is not needed.
   */
  maxCaptureBytes: number;
  /** Layers of the image (the overlay filesystem stops at 128). */
  maxLayers: number;
}

/** Defaults; docs/image-analysis.md lists them. */
export const DEFAULT_LIMITS: ArchiveLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 256 * 1024 ** 3,
  maxPathLength: 4096,
  maxJsonBytes: 16 * 1024 ** 2,
  maxCaptureBytes: 64 * 1024 ** 2,
  maxLayers: 1000,
};

/** The largest entry size the packed per-path index can hold (sizes are stored in 40 bits). */
export const HARD_MAX_ENTRY_BYTES = 2 ** 40 - 1;

/** The error every archive problem becomes; `file` names the archive member at fault. */
export function archiveError(message: string, member = 'image archive'): InputError {
  return new InputError(message, member);
}

/** Fills in defaults and refuses caps the index cannot represent. */
export function resolveLimits(partial: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  if (limits.maxEntryBytes > HARD_MAX_ENTRY_BYTES) {
    throw archiveError(`maxEntryBytes ${limits.maxEntryBytes} is over the supported ${HARD_MAX_ENTRY_BYTES}`, 'options');
  }
  if (limits.maxLayers > 1023) {
    throw archiveError(`maxLayers ${limits.maxLayers} is over the supported 1023`, 'options');
  }
  return limits;
}
