/**
 * Reads the run records `baseimg bench` writes (`.baseimg/runs/*.json`, see writeRecord in
 * bench.ts) for the commands that cite them (matrix, audit). Records are read defensively: a file
 * that is not JSON is skipped with a note, never fatal; each caller validates the fields it needs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where bench writes its records, under a repository root. */
export function runsFolder(root: string): string {
  return join(root, '.baseimg', 'runs');
}

/** Every record file in `folder`, oldest first (names start with a UTC timestamp); a missing folder is no records. */
export async function readRunRecordFiles(folder: string): Promise<{ records: { name: string; data: unknown }[]; skipped: string[] }> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { records: [], skipped: [] };
  }
  const records: { name: string; data: unknown }[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    try {
      records.push({ name, data: JSON.parse(await readFile(join(folder, name), 'utf8')) as unknown });
    } catch (error) {
      skipped.push(`run record ${name} skipped: ${error instanceof SyntaxError ? 'not valid JSON' : String((error as NodeJS.ErrnoException).code ?? error)}`);
    }
  }
  return { records, skipped };
}
