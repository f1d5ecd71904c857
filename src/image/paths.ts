/**
 * Interned paths. Every directory path and every base name is stored once, and a file is the
 * number `dirId * NAME_SPACE + nameId`, so the per-path index of a layer is a few typed arrays
 * and the merged filesystem a Map of numbers to numbers: a million paths cost tens of megabytes,
 * not the hundreds a Map of full path strings to objects would.
 */
import { archiveError } from './limits.js';

const NAME_SPACE = 2 ** 26;

/** The root directory's id. */
export const ROOT_DIR = 0;

export class PathTable {
  private readonly dirIds = new Map<string, number>([['', ROOT_DIR]]);
  private readonly dirPaths: string[] = [''];
  private readonly parents: number[] = [-1];
  private readonly nameIds = new Map<string, number>();
  private readonly names: string[] = [];
  private lastDir = '';
  private lastDirId = ROOT_DIR;

  /** The id of a directory path ('' = root, no leading or trailing slash), interning its parents too. */
  dir(path: string): number {
    const known = this.dirIds.get(path);
    if (known !== undefined) {
      return known;
    }
    const slash = path.lastIndexOf('/');
    const parent = this.dir(slash < 0 ? '' : path.slice(0, slash));
    const id = this.dirPaths.length;
    if (id >= NAME_SPACE * 2) {
      throw archiveError('too many distinct directories for the path index');
    }
    this.dirIds.set(path, id);
    this.dirPaths.push(path);
    this.parents.push(parent);
    return id;
  }

  /** The id of a directory path when it was ever seen as a parent, else undefined. */
  findDir(path: string): number | undefined {
    return this.dirIds.get(path);
  }

  parentOf(dirId: number): number {
    return this.parents[dirId] ?? -1;
  }

  dirPath(dirId: number): string {
    return this.dirPaths[dirId] ?? '';
  }

  /** The key of a normalised relative path (see normalizeMemberPath). */
  key(path: string): number {
    const slash = path.lastIndexOf('/');
    let dirId = ROOT_DIR;
    if (slash >= 0) {
      // Tar members come grouped by directory: reuse the last one's id without slicing or hashing.
      if (slash === this.lastDir.length && path.startsWith(this.lastDir)) {
        dirId = this.lastDirId;
      } else {
        const dir = path.slice(0, slash);
        dirId = this.dir(dir);
        this.lastDir = dir;
        this.lastDirId = dirId;
      }
    }
    const base = slash < 0 ? path : path.slice(slash + 1);
    let nameId = this.nameIds.get(base);
    if (nameId === undefined) {
      nameId = this.names.length;
      if (nameId >= NAME_SPACE) {
        throw archiveError('too many distinct file names for the path index');
      }
      this.nameIds.set(base, nameId);
      this.names.push(base);
    }
    return dirId * NAME_SPACE + nameId;
  }

  dirOfKey(key: number): number {
    return Math.floor(key / NAME_SPACE);
  }

  nameOfKey(key: number): string {
    return this.names[key % NAME_SPACE] ?? '';
  }

  /** The path of a key, relative, without a leading slash. */
  pathOfKey(key: number): string {
    const dir = this.dirPaths[this.dirOfKey(key)] ?? '';
    const name = this.nameOfKey(key);
    return dir === '' ? name : `${dir}/${name}`;
  }

  /** True when `dirId` is `ancestor` or lies below it. */
  isWithin(dirId: number, ancestor: number): boolean {
    for (let current = dirId; current >= 0; current = this.parents[current] ?? -1) {
      if (current === ancestor) {
        return true;
      }
    }
    return false;
  }
}

/**
 * Normalises a tar member name to a relative path without `.`, empty segments or a trailing
 * slash; '' is the root itself. Absolute names and `..` that climbs above the root are refused:
 * no producer of image archives writes them, and a consumer that extracted them would write
 * outside its target (the tar-slip attack).
 */
export function normalizeMemberPath(name: string, member: string, maxLength: number): string {
  if (name.length > maxLength) {
    throw archiveError(`path of ${name.length} characters is over the limit of ${maxLength}: '${name.slice(0, 80)}...'`, member);
  }
  // Nearly every name is already clean, at most with a `./` prefix or a directory's trailing
  // slash: checking that in one pass over the characters costs no allocation, unlike the split.
  const start = name.startsWith('./') ? 2 : 0;
  const end = name.length - start > 1 && name.charCodeAt(name.length - 1) === 47 ? name.length - 1 : name.length;
  if (isClean(name, start, end)) {
    return start === 0 && end === name.length ? name : name.slice(start, end);
  }
  if (name.startsWith('/')) {
    throw archiveError(`absolute path '${name}' in archive; expected a path relative to the root`, member);
  }
  if (name.includes('\0')) {
    throw archiveError(`path with a NUL byte '${name.replace(/\0/g, '\\0')}'`, member);
  }
  const out: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') {
      continue;
    }
    if (segment === '..') {
      if (out.length === 0) {
        throw archiveError(`path '${name}' climbs out of the root with '..'`, member);
      }
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return out.join('/');
}

/** True when name[start, end) is non-empty and has no empty, `.` or `..` segment and no NUL. */
function isClean(name: string, start: number, end: number): boolean {
  let segment = start;
  for (let i = start; i <= end; i += 1) {
    const code = i < end ? name.charCodeAt(i) : 47;
    if (code === 0) {
      return false;
    }
    if (code === 47) {
      const length = i - segment;
      if (length === 0 || (length <= 2 && name.charCodeAt(segment) === 46 && (length === 1 || name.charCodeAt(segment + 1) === 46))) {
        return false;
      }
      segment = i + 1;
    }
  }
  return true;
}

/**
 * Where a link points, as a normalised path, or null when it climbs out of the root. Symbolic
 * link targets are relative to the link's directory unless absolute (absolute targets resolve
 * inside the image root); hard link targets are member names relative to the root. Docker's own
 * layer extraction refuses both kinds of escape (moby pkg/archive, "breakout" errors).
 */
export function resolveLinkTarget(linkPath: string, target: string, kind: 'symlink' | 'hardlink'): string | null {
  let base: string[];
  if (kind === 'hardlink' || target.startsWith('/')) {
    base = [];
  } else {
    base = linkPath.split('/').slice(0, -1);
  }
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') {
      continue;
    }
    if (segment === '..') {
      if (base.length === 0) {
        return null;
      }
      base.pop();
      continue;
    }
    base.push(segment);
  }
  return base.join('/');
}
