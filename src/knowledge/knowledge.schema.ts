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

/** A distribution codename and the version line it names (`bullseye` is Debian 11). */
export const distroCodename = provenance.extend({
  runtime: z.enum(['ubuntu', 'debian']),
  codename: z.string().regex(/^[a-z]+$/),
  line: z.string(),
});

/** `runtimes.json`. */
export const runtimesFile = z.object({
  description: z.string(),
  runtimes: z.array(runtimeEol),
  codenames: z.array(distroCodename).default([]),
});

/** One codename fact. */
export type DistroCodename = z.infer<typeof distroCodename>;

/** One end-of-life fact. */
export type RuntimeEol = z.infer<typeof runtimeEol>;

/** The current major of one GitHub Action (`owner/repo`, lower case). */
export const actionMajor = provenance.extend({
  action: z.string().regex(/^[a-z0-9][a-z0-9-]*\/[a-z0-9._-]+$/),
  currentMajor: z.number().int().nonnegative(),
  /** First release of the current major. */
  released: isoDate,
  /** Newest tag seen when checked. */
  latest: z.string().regex(/^v\d+(\.\d+)*$/),
  runtime: z.string().optional(),
  /** What changed in the current major that an upgrade must watch for. */
  breaking: z.string().optional(),
});

/** `actions.json`. */
export const actionsFile = z.object({
  description: z.string(),
  actions: z.array(actionMajor),
});

/** One action's current major. */
export type ActionMajor = z.infer<typeof actionMajor>;
