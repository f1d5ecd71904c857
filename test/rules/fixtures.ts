/** Finding the cases of a rule's fixture folder. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The cases of one rule's fixture folder: `bad*` and `good*` entries, minus sidecars. */
export function fixtureCases(folder: string): { name: string; kind: 'bad' | 'good'; path: string }[] {
  if (!existsSync(folder)) {
    return [];
  }
  return readdirSync(folder)
    .filter((name) => /^(bad|good)/.test(name) && !/\.(expected|config\.json)$/.test(name) && !/\.fixed(\.|$)/.test(name))
    .sort()
    .map((name) => ({ name, kind: name.startsWith('bad') ? 'bad' : 'good', path: join(folder, name) }));
}

