/** Writes schema/baseimg.config.schema.json from the zod definition (the meta-test checks it is fresh). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { config } from '../src/repo/config.schema.js';

/** The JSON Schema text for baseimg.config. */
export function renderConfigSchema(): string {
  const schema = { ...z.toJSONSchema(config, { target: 'draft-2020-12' }), title: 'baseimg configuration' };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(join(import.meta.dirname, '..', 'schema', 'baseimg.config.schema.json'), renderConfigSchema());
}
