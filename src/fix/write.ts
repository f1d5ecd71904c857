/**
 * Writing fixes: the only code in baseimg that changes the user's files (CONVENTIONS.md principle
 * 7). Every write is atomic (a temp file in the same folder, fsync, rename over the original, so an
 * interrupted run leaves the old file or the new one, never half of each), keeps the file mode,
 * the UTF-8 BOM and the line ends, and refuses any path that resolves outside the repository root.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { decodeText } from '../repo/discover.js';

/** The UTF-8 byte order mark; discovery strips it, so fixes are computed on the text after it. */
const BOM = '\uFEFF';

/** One file's planned change, as `planFixes` returns it. */
export interface FileWrite {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** Where the file moves to (a fix's rename); absent when it stays. */
  newPath?: string;
  /** The text the rules saw (BOM stripped, line ends as on disk). */
  before: string;
  /** The text to write, without the BOM. */
  after: string;
  /** Whether the file on disk starts with a UTF-8 BOM, which is written back. */
  bom: boolean;
  /** True for a file a fix creates (`before` is empty); writing refuses to replace one that exists. */
  created?: boolean;
}

/**
 * The absolute path of `path` (relative to `root`) after resolving symbolic links, or an
 * `InputError` naming it when it lies outside the root. A path that does not exist yet is judged
 * by its parent folder.
 */
export async function resolveInsideRoot(root: string, path: string): Promise<string> {
  const rootReal = await realpath(root);
  const absolute = resolve(rootReal, path);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    let parent: string;
    try {
      parent = await realpath(dirname(absolute));
    } catch {
      // A folder that does not exist yet cannot be a link out of the repository; judge the path itself.
      parent = dirname(absolute);
    }
    real = join(parent, basename(absolute));
  }
  const inside = relative(rootReal, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new InputError(`refusing to write ${path}: it resolves to ${real}, outside the repository root ${rootReal}`, path);
  }
  return real;
}

/** Reads a file the way discovery does: its text with the BOM stripped, and whether it had one. */
export async function readText(absolute: string, shown: string): Promise<{ text: string; bom: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw new InputError(`cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, shown);
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    throw new InputError(decoded.message, shown);
  }
  return { text: decoded.text, bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf };
}

/**
 * Replaces the file at `absolute` with `text` atomically, keeping its mode. The temp file lives in
 * the same folder so that the rename stays on one file system (rename(2) is atomic only there).
 */
export async function writeFileAtomic(absolute: string, text: string): Promise<void> {
  const { mode } = await stat(absolute);
  const temp = join(dirname(absolute), `.${basename(absolute)}.baseimg-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', mode & 0o7777);
    await handle.writeFile(text, 'utf8');
    // open()'s mode is filtered by the umask; chmod sets it exactly.
    await handle.chmod(mode & 0o7777);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, absolute);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(absolute));
}

/**
 * Creates a new file at `absolute` with `text`, atomically and without replacing anything: the
 * text goes to a temp file in the same folder first, which is then hard-linked to the final name.
 * link(2) fails with EEXIST when the name exists, so a file that appeared since planning is never
 * overwritten (rename(2) would replace it silently); the temp name is removed afterwards.
 */
export async function createFileAtomic(absolute: string, text: string): Promise<void> {
  await mkdir(dirname(absolute), { recursive: true });
  const temp = join(dirname(absolute), `.${basename(absolute)}.baseimg-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    // 0o666 filtered by the umask, as any editor or `touch` would create it.
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    try {
      await link(temp, absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new InputError(`refusing to create ${basename(absolute)}: it already exists`, absolute);
      }
      throw error;
    }
  } finally {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
  }
  await syncFolder(dirname(absolute));
}

/** Moves `from` to `to` (both relative to `root`), refusing to replace a file that exists. */
export async function renameInsideRoot(root: string, from: string, to: string): Promise<void> {
  const source = await resolveInsideRoot(root, from);
  const target = await resolveInsideRoot(root, to);
  const exists = await lstat(target).then(() => true, () => false);
  if (exists) {
    throw new InputError(`refusing to rename ${from} to ${to}: ${to} already exists`, from);
  }
  await mkdir(dirname(target), { recursive: true });
  await rename(source, target);
  await syncFolder(dirname(target));
}

/**
 * Writes planned changes under `root`: each file is checked to be inside the root and unchanged
 * since it was read for planning (else nothing of it is written), then replaced atomically and,
 * where a fix asked for it, renamed.
 */
export async function writeChanges(root: string, changes: readonly FileWrite[]): Promise<void> {
  // Check everything before writing anything, so that a refused path leaves the repository as it was.
  const targets: { change: FileWrite; absolute: string }[] = [];
  for (const change of changes) {
    const absolute = await resolveInsideRoot(root, change.path);
    if (change.newPath !== undefined) {
      await resolveInsideRoot(root, change.newPath);
    }
    if (change.created) {
      if (await lstat(absolute).then(() => true, () => false)) {
        throw new InputError(`refusing to create ${change.path}: it already exists`, change.path);
      }
      targets.push({ change, absolute });
      continue;
    }
    const current = await readText(absolute, change.path);
    if (current.text !== change.before || current.bom !== change.bom) {
      throw new InputError('file changed on disk since the fixes were planned; run baseimg fix again', change.path);
    }
    targets.push({ change, absolute });
  }
  for (const { change, absolute } of targets) {
    if (change.created) {
      await createFileAtomic(absolute, change.after);
      continue;
    }
    if (change.after !== change.before) {
      await writeFileAtomic(absolute, (change.bom ? BOM : '') + change.after);
    }
    if (change.newPath !== undefined && change.newPath !== change.path) {
      await renameInsideRoot(root, change.path, change.newPath);
    }
  }
}

/** fsync on the folder makes the rename itself durable; not every platform allows it. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse fsync on a folder; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
