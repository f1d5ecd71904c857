/**
 * Helpers for workflow rules: text edits at model ranges and cache specs
 * (`type=gha,scope=x,mode=max`).
 */
import { comparePositions, type Range } from '../../parse/locations.js';
import type { Workflow, WorkflowEntry, WorkflowStep } from '../../parse/workflow.js';
import type { TextEdit } from '../finding.js';

/** The file offsets of a range of the workflow. */
export function offsets(workflow: Workflow, range: Range): { start: number; end: number } {
  return { start: workflow.lines.offsetAt(range.start), end: workflow.lines.offsetAt(range.end) };
}

/** An edit replacing `range` of the workflow file. */
export function replaceEdit(workflow: Workflow, range: Range, newText: string): TextEdit {
  const { start, end } = offsets(workflow, range);
  return { file: workflow.path, start, end, newText };
}

/**
 * An edit that adds `key: value` lines at the end of a step's `with:` mapping, indented like its
 * last entry and placed after that entry's value (a block scalar included). Null when the step has
 * no `with:` entries or writes them as a flow mapping (`with: { a: b }`), which a line-based
 * insertion would break.
 */
export function appendWithEntries(workflow: Workflow, step: WorkflowStep, entries: [string, string][]): TextEdit | null {
  let last: WorkflowEntry | null = null;
  for (const entry of step.with.values()) {
    if (last === null || comparePositions(entry.range.end, last.range.end) > 0) {
      last = entry;
    }
  }
  if (last === null) {
    return null;
  }
  const keyLine = workflow.lines.lineText(last.keyRange.start.line);
  const indent = /^\s*/.exec(keyLine)?.[0] ?? '';
  // A flow mapping (`with: { a: b }`) keeps several keys on the `with:` line; skip it.
  if (indent.length !== last.keyRange.start.column - 1) {
    return null;
  }
  // Insert after the line the last value ends on (block scalars end at the next line's start).
  const endLine = last.range.end.column === 1 && last.range.end.line > last.range.start.line ? last.range.end.line - 1 : last.range.end.line;
  const lineEnd = workflow.lines.offsetAt({ line: endLine, column: workflow.lines.lineText(endLine).length + 1 });
  const newline = workflow.text.includes('\r\n') ? '\r\n' : '\n';
  const text = entries.map(([key, value]) => `${newline}${indent}${key}: ${value}`).join('');
  return { file: workflow.path, start: lineEnd, end: lineEnd, newText: text };
}

/** One cache import or export spec (`type=gha,scope=gpu,mode=max`, or a bare registry ref). */
export interface CacheSpec {
  raw: string;
  type: string;
  attributes: Map<string, string>;
}

/** Reads a cache spec; a bare value is a registry ref (buildx_build.md `--cache-from`). */
export function parseCacheSpec(raw: string): CacheSpec {
  const attributes = new Map<string, string>();
  const trimmed = raw.trim().replace(/^"|"$/g, '');
  if (!trimmed.includes('=')) {
    return { raw: trimmed, type: 'registry', attributes: new Map([['ref', trimmed]]) };
  }
  for (const part of trimmed.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) {
      attributes.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
    }
  }
  return { raw: trimmed, type: attributes.get('type') ?? 'registry', attributes };
}

/**
 * Where a cache export lands: `gha:<scope>` (default scope `buildkit`, docs.docker.com/build/cache/
 * backends/gha/), `registry:<ref>`, `local:<dest>`; null for inline (it travels with the image) and
 * for specs holding an expression the review cannot evaluate.
 */
export function cacheLocation(spec: CacheSpec): string | null {
  if (spec.raw.includes('${{') || spec.raw.includes('${')) {
    return null;
  }
  switch (spec.type) {
    case 'gha':
      return `gha:${spec.attributes.get('scope') ?? 'buildkit'}`;
    case 'registry':
      return spec.attributes.get('ref') ? `registry:${spec.attributes.get('ref')}` : null;
    case 'local':
      return spec.attributes.get('dest') ? `local:${spec.attributes.get('dest')}` : null;
    case 's3':
    case 'azblob':
      return `${spec.type}:${spec.attributes.get('name') ?? spec.attributes.get('bucket') ?? ''}`;
    default:
      return null;
  }
}
