/** Schema of usage.json: the naming facts the necessity audit reads (kept apart from the rule knowledge). */
import { z } from 'zod';

const provenance = { source: z.string().url(), checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) };

/** The whole file. */
export const usageFile = z.object({
  description: z.string(),
  imports: z.array(z.object({ module: z.string().min(1), distributions: z.array(z.string().min(1)).min(1), ...provenance }).strict()),
  commands: z.array(z.object({ package: z.string().min(1), commands: z.array(z.string().min(1)).min(1), ...provenance }).strict()),
  runtimeData: z.array(z.object({ package: z.string().min(1), what: z.string().min(1), ...provenance }).strict()),
  heavy: z.array(z.object({ package: z.string().min(1), what: z.string().min(1), ...provenance }).strict()),
}).strict();

/** The validated usage facts. */
export type UsageFacts = z.infer<typeof usageFile>;
