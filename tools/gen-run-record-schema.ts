/** Writes schema/run-record.schema.json from the zod definition (test/engine/record.test.ts checks it is fresh). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { runRecord } from '../src/engine/record.schema.js';

/** The JSON Schema text for bench run records. */
export function renderRunRecordSchema(): string {
  const schema = { ...z.toJSONSchema(runRecord, { target: 'draft-2020-12' }), title: 'baseimg bench run record' };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(join(import.meta.dirname, '..', 'schema', 'run-record.schema.json'), renderRunRecordSchema());
}
