/** baseimg's own version, read from package.json (one level up from both src/ and dist/). */
import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** The package version, e.g. `0.1.0`. */
export function version(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
