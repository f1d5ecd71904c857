/** ShellCheck's `--format=json1` output (ShellCheck 0.7+), strict about the fields we use. */
import { z } from 'zod';

/** One ShellCheck comment. */
export const shellcheckComment = z.object({
  file: z.string(),
  line: z.number().int(),
  endLine: z.number().int(),
  column: z.number().int(),
  endColumn: z.number().int(),
  level: z.enum(['error', 'warning', 'info', 'style']),
  code: z.number().int(),
  message: z.string(),
});

/** The whole json1 document. */
export const shellcheckOutput = z.object({
  comments: z.array(shellcheckComment),
});

/** A parsed ShellCheck comment. */
export type ShellcheckComment = z.infer<typeof shellcheckComment>;
