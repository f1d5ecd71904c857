/**
 * Package databases read while the layers stream by: which files to capture, and parsers for
 * their text. A captured file is parsed at once and only the package list is kept, so a dpkg
 * status file in every apt layer does not pile up in memory. Which copies count (only those
 * visible in the final filesystem) is decided later by the archive analysis.
 * Sources: research/anchors-measurement.md b5.4 (dpkg, syft's globs) and b5.5 (Python).
 */
import { PackageURL } from 'packageurl-js';
import type { Distro, FoundPackage } from './types.js';

export type CaptureKind = 'dpkg-status' | 'dpkg-status-d' | 'python-metadata' | 'npm-package' | 'os-release';

/** A package as its database says, before the distribution (needed for deb purls) is known. */
export interface RawPackage {
  ecosystem: FoundPackage['ecosystem'];
  name: string;
  version: string;
  architecture: string | null;
  sizeBytes: number | null;
  location: string;
  licenses: string[];
}

/** The fields of os-release the SBOM uses. */
export type OsRelease = Distro;

const DPKG_STATUS = /(?:^|\/)var\/lib\/dpkg\/status$/;
const DPKG_STATUS_D = /(?:^|\/)var\/lib\/dpkg\/status\.d\/[^/]+$/;
const PYTHON_METADATA = /[^/]\.(?:dist-info\/METADATA|egg-info\/PKG-INFO)$|[^/]\.egg-info$/;
const NPM_PACKAGE = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
const OS_RELEASE = /^(?:etc|usr\/lib)\/os-release$/;

/** Which database a regular file is, or null when it is not one we read. */
export function captureKind(path: string): CaptureKind | null {
  // Called for every regular file: rule out most names with a few suffix checks before the patterns.
  if (!(path.endsWith('status') || path.endsWith('METADATA') || path.endsWith('PKG-INFO') || path.endsWith('.egg-info')
    || path.endsWith('package.json') || path.endsWith('os-release') || path.includes('dpkg/status.d/'))) {
    return null;
  }
  if (DPKG_STATUS.test(path)) {
    return 'dpkg-status';
  }
  if (DPKG_STATUS_D.test(path)) {
    // distroless keeps `<name>.md5sums` beside the stanzas.
    return path.endsWith('.md5sums') ? null : 'dpkg-status-d';
  }
  if (PYTHON_METADATA.test(path)) {
    return 'python-metadata';
  }
  if (NPM_PACKAGE.test(path)) {
    return 'npm-package';
  }
  if (OS_RELEASE.test(path)) {
    return 'os-release';
  }
  return null;
}

/** RFC 822 style fields of one stanza; continuation lines (leading space or tab) are joined. */
function fields(stanza: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: string[] | null = null;
  for (const line of stanza.split('\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = null;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    last = out.get(key) ?? [];
    last.push(value);
    out.set(key, last);
  }
  return out;
}

function first(map: Map<string, string[]>, key: string): string | null {
  return map.get(key)?.[0] ?? null;
}

/** dpkg status (`/var/lib/dpkg/status`, many stanzas) or a distroless `status.d` file (one or more). */
export function parseDpkgStatus(text: string, location: string): RawPackage[] {
  const out: RawPackage[] = [];
  for (const stanza of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const map = fields(stanza);
    const name = first(map, 'package');
    const version = first(map, 'version');
    if (!name || !version) {
      continue;
    }
    // `deinstall ok config-files` (dpkg `rc`) and half-installed packages are not installed.
    const status = first(map, 'status');
    if (status !== null && !/\binstalled$/.test(status)) {
      continue;
    }
    if (status !== null && status.startsWith('deinstall')) {
      continue;
    }
    // Debian Policy 5.6.20: Installed-Size is in kibibytes, rounded up.
    const size = Number.parseInt(first(map, 'installed-size') ?? '', 10);
    out.push({
      ecosystem: 'deb',
      name,
      version,
      architecture: first(map, 'architecture'),
      sizeBytes: Number.isFinite(size) ? size * 1024 : null,
      location,
      licenses: [],
    });
  }
  return out;
}

/** A Python `METADATA` / `PKG-INFO` (headers up to the first blank line). */
export function parsePythonMetadata(text: string, location: string): RawPackage[] {
  const head = text.replace(/\r\n/g, '\n').split(/\n\n/, 1)[0] ?? '';
  const map = fields(head);
  const name = first(map, 'name');
  const version = first(map, 'version');
  if (!name || !version) {
    return [];
  }
  const expression = first(map, 'license-expression');
  const license = first(map, 'license');
  const licenses = expression ? [expression] : license && license !== 'UNKNOWN' && !license.includes('\n') ? [license] : [];
  return [{ ecosystem: 'pypi', name, version, architecture: null, sizeBytes: null, location, licenses }];
}

/** A `node_modules/<name>/package.json`; files that are not valid JSON or lack a name/version are skipped. */
export function parsePackageJson(text: string, location: string): RawPackage[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof json !== 'object' || json === null) {
    return [];
  }
  const record = json as Record<string, unknown>;
  if (typeof record.name !== 'string' || typeof record.version !== 'string' || record.name === '' || record.version === '') {
    return [];
  }
  const license = record.license;
  const licenses = typeof license === 'string' ? [license] : typeof license === 'object' && license !== null && typeof (license as { type?: unknown }).type === 'string' ? [(license as { type: string }).type] : [];
  return [{ ecosystem: 'npm', name: record.name, version: record.version, architecture: null, sizeBytes: null, location, licenses }];
}

/** `/etc/os-release` (shell-style KEY=value lines, values optionally quoted). */
export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) {
      values.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
    }
  }
  return {
    id: values.get('ID')?.toLowerCase() ?? null,
    idLike: (values.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: values.get('VERSION_ID') ?? null,
    prettyName: values.get('PRETTY_NAME') ?? null,
  };
}

/** PEP 503 name normalisation, as the pypi purl type asks. */
export function normalizePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Turns a raw package into the contract's FoundPackage, with its purl. */
export function toFoundPackage(raw: RawPackage, os: OsRelease | null): FoundPackage {
  let purl: string;
  if (raw.ecosystem === 'deb') {
    // The purl deb namespace is the vendor: the os-release ID when the image says, else debian.
    const vendor = os?.id ?? 'debian';
    const qualifiers: Record<string, string> = {};
    if (raw.architecture) {
      qualifiers.arch = raw.architecture;
    }
    if (os?.id && os.versionId) {
      qualifiers.distro = `${os.id}-${os.versionId}`;
    }
    purl = new PackageURL('deb', vendor, raw.name.toLowerCase(), raw.version, qualifiers, undefined).toString();
  } else if (raw.ecosystem === 'pypi') {
    purl = new PackageURL('pypi', undefined, normalizePythonName(raw.name), raw.version, undefined, undefined).toString();
  } else {
    const scoped = /^(@[^/]+)\/(.+)$/.exec(raw.name);
    purl = new PackageURL('npm', scoped?.[1], scoped?.[2] ?? raw.name, raw.version, undefined, undefined).toString();
  }
  const found: FoundPackage = { ecosystem: raw.ecosystem, name: raw.name, version: raw.version, purl, sizeBytes: raw.sizeBytes, location: raw.location };
  if (raw.licenses.length > 0) {
    found.licenses = raw.licenses;
  }
  return found;
}
