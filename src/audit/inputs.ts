/**
 * The I/O half of the necessity audit: reads the use-site files and, when a bench run record of
 * the family exists, the package sizes from its SBOM (records read by engine/records.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { readRunRecordFiles, runsFolder } from '../engine/records.js';
import usageJson from '../knowledge/usage.json' with { type: 'json' };
import { usageFile, type UsageFacts } from '../knowledge/usage.schema.js';
import { normalizeName } from '../parse/requirements.js';
import type { ImageFamily, Repo } from '../repo/repo.js';
import { useSitePaths, type UseSite } from './necessity.js';

// Workload and test files are small; a larger file is data, not code that names packages.
const MAX_USE_SITE_BYTES = 1024 * 1024;

/** The bundled usage facts, validated. */
export function loadUsageFacts(): UsageFacts {
  return usageFile.parse(usageJson);
}

/** Reads the use sites of a family. Missing files are skipped (a test command may name a script outside the repository). */
export async function readUseSites(repo: Repo, family: ImageFamily): Promise<UseSite[]> {
  const patterns = repo.config.audit?.workloads ?? [];
  const isWorkload = patterns.length > 0 ? picomatch(patterns, { dot: true }) : null;
  const workloads = isWorkload ? [...repo.files].filter((file) => isWorkload(file)).sort() : [];
  const sites: UseSite[] = [];
  for (const { file, role } of useSitePaths(repo, family, workloads)) {
    try {
      const text = await readFile(join(repo.root, file), 'utf8');
      if (text.length <= MAX_USE_SITE_BYTES) {
        sites.push({ file, text, role });
      }
    } catch {
      // Not in the repository: nothing to read.
    }
  }
  return sites;
}

/** Package sizes from the newest finished run record of the family, keyed `apt:<name>` / `pypi:<name>`. */
export async function readRecordSizes(root: string, family: string): Promise<{ sizes: Map<string, number>; record: string | null; skipped: string[] }> {
  const { records, skipped } = await readRunRecordFiles(runsFolder(root));
  for (const { name, data } of records.reverse()) {
    const packages = recordPackages(data, family);
    if (packages) {
      const sizes = new Map<string, number>();
      for (const found of packages) {
        const ecosystem = found.ecosystem === 'deb' ? 'apt' : found.ecosystem;
        sizes.set(`${ecosystem}:${ecosystem === 'pypi' ? normalizeName(found.name) : found.name}`, found.sizeBytes);
      }
      return { sizes, record: `.baseimg/runs/${name}`, skipped };
    }
  }
  return { sizes: new Map(), record: null, skipped };
}

interface SizedPackage {
  ecosystem: string;
  name: string;
  sizeBytes: number;
}

/** The sized packages of a record of `family` that finished, or null. */
function recordPackages(record: unknown, family: string): SizedPackage[] | null {
  if (typeof record !== 'object' || record === null) {
    return null;
  }
  const value = record as { family?: unknown; status?: unknown; image?: { analysis?: { packages?: unknown } }; analysis?: { packages?: unknown } };
  if (value.family !== family || (typeof value.status === 'string' && value.status !== 'ok')) {
    return null;
  }
  const packages = value.image?.analysis?.packages ?? value.analysis?.packages;
  if (!Array.isArray(packages)) {
    return null;
  }
  return packages.filter((found): found is SizedPackage => typeof found === 'object' && found !== null && typeof found.name === 'string' && typeof found.ecosystem === 'string' && typeof found.sizeBytes === 'number');
}
