/** Renderings of the necessity audit: a table per family (text, Markdown) and JSON. */
import type { AuditEntry, NecessityClass } from './necessity.js';

/** The audit of every family. */
export interface AuditResult {
  families: { name: string; entries: AuditEntry[]; sizesFrom: string | null }[];
  /** Run records that could not be read. */
  skippedRecords: string[];
}

const ORDER: NecessityClass[] = ['unused', 'build-only', 'optional-by-profile', 'required-runtime'];

function size(bytes: number | null): string {
  if (bytes === null) {
    return '';
  }
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function counts(entries: readonly AuditEntry[]): string {
  return ORDER.map((kind) => `${entries.filter((entry) => entry.class === kind).length} ${kind}`).join(', ');
}

function sorted(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].sort((a, b) => ORDER.indexOf(a.class) - ORDER.indexOf(b.class) || (b.sizeBytes ?? 0) - (a.sizeBytes ?? 0) || a.name.localeCompare(b.name));
}

/** Markdown tables, one per family, the classes that call for action first. */
export function renderAuditMarkdown(result: AuditResult): string {
  const lines: string[] = ['# Necessity audit', ''];
  for (const family of result.families) {
    lines.push(`## ${family.name}`, '', `${family.entries.length} packages: ${counts(family.entries)}. Sizes: ${family.sizesFrom ?? 'no run record (run `baseimg bench` for sizes)'}.`, '');
    const heavy = family.entries.filter((entry) => entry.heavy);
    if (heavy.length > 0) {
      lines.push('Heavy inclusions:', '', ...heavy.map((entry) => `- \`${entry.name}\`: ${entry.heavy}${entry.sizeBytes !== null ? ` (${size(entry.sizeBytes)})` : ''}, ${entry.class}`), '');
    }
    lines.push('| package | ecosystem | version | class | size | evidence | installed at |', '| --- | --- | --- | --- | ---: | --- | --- |');
    for (const entry of sorted(family.entries)) {
      lines.push(`| \`${entry.name}\` | ${entry.ecosystem} | ${entry.version ?? ''} | ${entry.class} | ${size(entry.sizeBytes)} | ${entry.evidence.join('; ').replace(/\|/g, '\\|')} | ${entry.file}:${entry.line} |`);
    }
    lines.push('');
  }
  for (const skipped of result.skippedRecords) {
    lines.push(`> skipped run record ${skipped}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Plain text for terminals. */
export function renderAuditText(result: AuditResult): string {
  const lines: string[] = [];
  for (const family of result.families) {
    lines.push(`${family.name}: ${family.entries.length} packages: ${counts(family.entries)}`);
    for (const entry of sorted(family.entries)) {
      lines.push(`  ${entry.class.padEnd(19)} ${entry.ecosystem.padEnd(4)} ${entry.name}${entry.version ? `==${entry.version}` : ''}${entry.sizeBytes !== null ? ` (${size(entry.sizeBytes)})` : ''}${entry.heavy ? ` [heavy: ${entry.heavy}]` : ''} - ${entry.evidence[0] ?? ''} (${entry.file}:${entry.line})`);
    }
  }
  for (const skipped of result.skippedRecords) {
    lines.push(`skipped run record ${skipped}`);
  }
  return `${lines.join('\n')}\n`;
}

/** JSON (schemaVersion 1; docs/audit.md). */
export function renderAuditJson(result: AuditResult): string {
  return `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n`;
}
