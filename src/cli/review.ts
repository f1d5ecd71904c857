/** `baseimg review`: flags -> review() -> renderer -> exit code. */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { review, type ReviewResult } from '../review.js';
import { atLeast } from '../rules/finding.js';
import { version } from '../version.js';
import { parseCommand } from './args.js';
import type { Io } from './main.js';

const FORMATS = ['text', 'json', 'sarif', 'md'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
const EXTENSION: Record<Format, string> = { text: 'txt', json: 'json', sarif: 'sarif', md: 'md' };

/** Parses `review` flags, runs the review, writes the output, returns the exit code. */
export async function reviewCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, path } = parseCommand('review', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    out: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'fail-on': { type: 'string', default: 'error' },
    'no-shellcheck': { type: 'boolean', default: false },
    'no-actionlint': { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  }
  const failOn = values['fail-on'] as (typeof FAIL_ON)[number];
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of error, warning, info, never, got "${values['fail-on']}"`);
  }
  const result = await review({
    path,
    ...(values.config ? { configPath: values.config } : {}),
    ...(values['no-shellcheck'] ? { shellcheck: 'off' as const } : {}),
    ...(values['no-actionlint'] ? { actionlint: 'off' as const } : {}),
    ...(values['no-cache'] ? { cache: false } : {}),
  });
  const color = values['no-color'] ? false : (values.color ?? (io.isTTY && values.out === undefined && !process.env.NO_COLOR));
  const output = render(result, format, color);
  if (values.out) {
    const target = await outputPath(values.out, format);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, output);
    } catch (error) {
      // A path the user gave that cannot be written is a usage problem, not a bug in baseimg.
      throw new UsageError(`cannot write --out ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    io.stderr(`baseimg: wrote ${target}\n`);
  } else {
    io.stdout(output);
  }
  if (failOn === 'never') {
    return 0;
  }
  return result.findings.some((finding) => atLeast(finding.severity, failOn)) ? 1 : 0;
}

function render(result: ReviewResult, format: Format, color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(result, { version: version() });
    case 'sarif':
      return renderSarif(result, { version: version() });
    case 'md':
      return renderMarkdown(result);
    case 'text':
      return renderText(result, { color });
  }
}

/** `--out` names a file, or a folder (existing, or ending in /) that receives `review.<ext>`. */
async function outputPath(out: string, format: Format): Promise<string> {
  const isFolder = out.endsWith('/') || (await stat(out).then((info) => info.isDirectory(), () => false));
  return isFolder ? join(out, `review.${EXTENSION[format]}`) : out;
}
