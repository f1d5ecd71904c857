/** Schemas of the knowledge files: every fact carries its source and the date it was checked. */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Provenance every fact carries. */
export const provenance = z.object({
  source: z.string().url(),
  checked: isoDate,
});

/** One runtime line's end-of-life date. */
export const runtimeEol = provenance.extend({
  runtime: z.enum(['nodejs', 'python', 'ubuntu', 'debian']),
  line: z.string(),
  eol: isoDate,
});

/** `runtimes.json`. */
export const runtimesFile = z.object({
  description: z.string(),
  runtimes: z.array(runtimeEol),
});

/** One end-of-life fact. */
export type RuntimeEol = z.infer<typeof runtimeEol>;
