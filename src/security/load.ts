/**
 * Reads scanner report files: detects the scanner from the JSON's shape, validates it, and turns
 * every problem into an InputError naming the file (and the line, for JSON syntax errors).
 */
import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { isGrypeReport, readGrype } from './readers/grype.js';
import { isPipAuditReport, readPipAudit } from './readers/pip-audit.js';
import { isTrivyReport, readTrivy } from './readers/trivy.js';
import type { ScanReport } from './vulnerability.js';

// Scanner reports of large images run to tens of megabytes; past this something is wrong with
// the file, and parsing it whole would hold several times its size in memory.
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** Reads one report file. */
export async function loadScanReport(path: string): Promise<ScanReport> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InputError(`cannot read scanner report: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, path);
  }
  if (size > MAX_REPORT_BYTES) {
    throw new InputError(`scanner report is ${size} bytes, more than the ${MAX_REPORT_BYTES} baseimg reads`, path);
  }
  const text = await readFile(path, 'utf8');
  return parseScanReport(text, path);
}

/** Parses the text of one report. */
export function parseScanReport(text: string, file: string): ScanReport {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`not JSON: ${(error as Error).message}`, file, jsonErrorLine(text, (error as Error).message));
  }
  try {
    if (isTrivyReport(json)) {
      return readTrivy(json, file);
    }
    if (isGrypeReport(json)) {
      return readGrype(json, file);
    }
    if (isPipAuditReport(json)) {
      return readPipAudit(json, file);
    }
  } catch (error) {
    const issues = (error as z.ZodError).issues;
    if (Array.isArray(issues) && issues.length > 0) {
      const first = issues[0]!;
      throw new InputError(`not a valid scanner report: ${first.path.join('.') || '(top level)'}: ${first.message}`, file);
    }
    throw error;
  }
  throw new InputError('not a report of a known scanner (expected trivy --format json, grype -o json or pip-audit -f json)', file);
}

/**
 * The line of a JSON syntax error. Node 20's JSON.parse names no position for most errors, so the
 * text is read again with the yaml parser (JSON is YAML 1.2 flow syntax), which locates unclosed
 * brackets and stray tokens; when it finds nothing (a `#` line is a YAML comment) no line is given.
 */
function jsonErrorLine(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) {
    return text.slice(0, Number(position[1])).split('\n').length;
  }
  // A file that does not even start like JSON (a Markdown or HTML report given by mistake).
  const start = /\S/.exec(text);
  if (start && !'{["-0123456789tfn'.includes(start[0])) {
    return text.slice(0, start.index).split('\n').length;
  }
  const error = parseDocument(text, { prettyErrors: true }).errors[0];
  return error?.linePos?.[0].line;
}
