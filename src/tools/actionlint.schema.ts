/** What the embedded actionlint hands back, checked before anything downstream reads it. */
import { z } from 'zod';

/** One actionlint error as its WebAssembly build returns it (the playground's fields; more are ignored). */
export const actionlintError = z.object({
  message: z.string(),
  /** 1-based; 0 when actionlint has no position (YAML errors without a line). */
  line: z.number().int(),
  column: z.number().int(),
  /** The rule that reported it: `syntax-check`, `expression`, `runner-label`, ... */
  kind: z.string(),
});

/** The reply for one file: its errors, or why the embedded build could not lint it. */
export const actionlintFileReply = z.object({
  path: z.string(),
  errors: z.array(actionlintError).nullable(),
  crash: z.string().nullable(),
});

/** A parsed actionlint error. */
export type ActionlintError = z.infer<typeof actionlintError>;
