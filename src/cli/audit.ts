/** `baseimg audit`: the necessity audit of every image family (PLAN.md A2/B2). */
import { UsageError } from '../errors.js';
import { loadUsageFacts, readRecordSizes, readUseSites } from '../audit/inputs.js';
import { auditFamily } from '../audit/necessity.js';
import { renderAuditJson, renderAuditMarkdown, renderAuditText, type AuditResult } from '../audit/render.js';
import { resolve } from 'node:path';
import { discover } from '../repo/discover.js';
import { parseCommand } from './args.js';
import type { Io } from './main.js';

const FORMATS = ['text', 'md', 'json'] as const;

/** Parses `audit` flags, audits every family (or those named), prints the tables. */
export async function auditCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, path } = parseCommand('audit', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    family: { type: 'string', multiple: true, default: [] },
    config: { type: 'string', short: 'c' },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  }
  const repo = await discover(resolve(path), values.config ? { configPath: values.config } : {});
  const wanted = values.family;
  const unknown = wanted.filter((name) => !repo.families.some((family) => family.name === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown family ${unknown.map((name) => `"${name}"`).join(', ')} (families: ${repo.families.map((family) => family.name).join(', ') || 'none found'})`);
  }
  const usage = loadUsageFacts();
  const result: AuditResult = { families: [], skippedRecords: [] };
  for (const family of repo.families.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
    const { sizes, record, skipped } = await readRecordSizes(repo.root, family.name);
    result.skippedRecords.push(...skipped.filter((entry) => !result.skippedRecords.includes(entry)));
    const entries = auditFamily(repo, family, { usage, useSites: await readUseSites(repo, family), sizes, sizesFrom: record });
    result.families.push({ name: family.name, entries, sizesFrom: record });
  }
  io.stdout(format === 'json' ? renderAuditJson(result) : format === 'md' ? renderAuditMarkdown(result) : renderAuditText(result));
  return 0;
}
