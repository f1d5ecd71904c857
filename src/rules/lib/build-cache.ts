/**
 * The build cache of one workflow image build: its `cache-from` / `cache-to` specs wherever they are
 * given (build-push-action inputs, `--cache-from/--cache-to` flags, bake `set` overrides, the bake
 * file's target), each with where it is written, and the image it belongs to.
 */
import { posix } from 'node:path';
import { bakeTargetsIn, type BakeTarget } from '../../parse/bake.js';
import type { Range } from '../../parse/locations.js';
import type { ShellWord } from '../../parse/shell.js';
import { invocations, type Invocation } from '../../parse/shell-query.js';
import type { Workflow, WorkflowEntry } from '../../parse/workflow.js';
import type { Repo } from '../../repo/repo.js';
import type { WorkflowImageBuild } from '../../repo/workflow-builds.js';
import { parseCacheSpec, type CacheSpec } from './workflow-steps.js';

/** One cache spec with where it is written. */
export interface CacheEntry {
  spec: CacheSpec;
  /** The spec in the workflow (or the build step when it comes from the bake file). */
  range: Range;
  /** File offsets of the spec text when it sits in the workflow as written, for edits. */
  offsets: { start: number; end: number } | null;
  origin: 'input' | 'flag' | 'set' | 'bake-file';
}

/** A build's cache configuration. */
export interface BuildCache {
  from: CacheEntry[];
  to: CacheEntry[];
  /** True when the cache is set through something the review cannot evaluate (bake functions, expressions). */
  dynamic: boolean;
}

/** The bake target a build resolved to, if any. */
export function bakeTargetOf(repo: Repo, build: WorkflowImageBuild): BakeTarget | null {
  if (build.bakeTarget === null) {
    return null;
  }
  const models = build.bakeFiles.flatMap((path) => repo.bakeFiles.filter((file) => file.path === path).map((file) => file.model));
  return bakeTargetsIn(models, [build.bakeTarget]).targets[0] ?? null;
}

/** The `docker buildx build|bake` call of a run-step build (the build's range is the command's). */
export function buildCall(build: WorkflowImageBuild): Invocation | null {
  return invocations(build.step.run?.shell ?? null).find((call) => call.command.range.start.line === build.range.start.line && call.command.range.start.column === build.range.start.column) ?? null;
}

/** The cache specs of a build. */
export function buildCache(repo: Repo, workflow: Workflow, build: WorkflowImageBuild): BuildCache {
  const cache: BuildCache = { from: [], to: [], dynamic: false };
  if (build.kind === 'build-push-action') {
    cache.from.push(...inputEntries(workflow, build.step.with.get('cache-from')));
    cache.to.push(...inputEntries(workflow, build.step.with.get('cache-to')));
  } else if (build.kind === 'bake-action') {
    for (const entry of inputEntries(workflow, build.step.with.get('set'))) {
      addSetOverride(cache, entry.spec.raw, entry.range, entry.offsets, build.bakeTarget);
    }
  } else {
    const call = buildCall(build);
    if (call) {
      flagEntries(workflow, call.args, cache, build.bakeTarget);
    }
  }
  if (build.kind === 'bake-action' || build.kind === 'buildx-bake') {
    const target = bakeTargetOf(repo, build);
    if (target) {
      if (target.dynamic.includes('cache-from') || target.dynamic.includes('cache-to')) {
        cache.dynamic = true;
      }
      if (!target.dynamic.includes('cache-from')) {
        cache.from.push(...target.cacheFrom.map((raw): CacheEntry => ({ spec: parseCacheSpec(raw), range: build.range, offsets: null, origin: 'bake-file' })));
      }
      if (!target.dynamic.includes('cache-to')) {
        cache.to.push(...target.cacheTo.map((raw): CacheEntry => ({ spec: parseCacheSpec(raw), range: build.range, offsets: null, origin: 'bake-file' })));
      }
    } else {
      // Targets the review could not resolve (expressions, missing bake file) may set a cache.
      cache.dynamic = true;
    }
  }
  if ([...cache.from, ...cache.to].some((entry) => entry.spec.raw.includes('${{'))) {
    cache.dynamic = true;
  }
  return cache;
}

/** The image a build produces, for cache-scope names and messages: bake target, Dockerfile target or Dockerfile folder. */
export function imageName(repo: Repo, build: WorkflowImageBuild): string {
  if (build.bakeTarget) {
    return build.bakeTarget;
  }
  const family = repo.families.find((candidate) => candidate.dockerfile === build.dockerfile);
  if (family) {
    return family.name;
  }
  if (build.dockerfile) {
    const folder = posix.basename(posix.dirname(build.dockerfile));
    return folder === '.' || folder === '' ? 'root' : folder;
  }
  return 'image';
}

/** The identity of what a build builds: Dockerfile plus stage target, or the bake target. */
export function imageKey(build: WorkflowImageBuild): string | null {
  if (build.bakeTarget) {
    return `bake:${build.bakeTarget}`;
  }
  if (!build.dockerfile) {
    return null;
  }
  const target = build.kind === 'build-push-action' ? build.step.with.get('target')?.value : flagTarget(build);
  return `${build.dockerfile}${target ? `#${target}` : ''}`;
}

function flagTarget(build: WorkflowImageBuild): string | undefined {
  const args = buildCall(build)?.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? '';
    if (value === '--target') {
      return args[i + 1]?.value ?? undefined;
    }
    if (value.startsWith('--target=')) {
      return value.slice('--target='.length);
    }
  }
  return undefined;
}

/** One entry per line (or comma-free line part) of a list input, each located in the file. */
function inputEntries(workflow: Workflow, entry: WorkflowEntry | undefined): CacheEntry[] {
  if (!entry) {
    return [];
  }
  const start = workflow.lines.offsetAt(entry.range.start);
  const end = workflow.lines.offsetAt(entry.range.end);
  const source = workflow.text.slice(start, end);
  const entries: CacheEntry[] = [];
  let from = 0;
  for (const line of entry.value.split('\n')) {
    const raw = line.trim();
    if (raw === '') {
      continue;
    }
    const at = source.indexOf(raw, from);
    const offsets = at >= 0 ? { start: start + at, end: start + at + raw.length } : null;
    if (at >= 0) {
      from = at + raw.length;
    }
    const range = offsets ? { start: workflow.lines.positionAt(offsets.start), end: workflow.lines.positionAt(offsets.end) } : entry.range;
    entries.push({ spec: parseCacheSpec(raw), range, offsets, origin: 'input' });
  }
  return entries;
}

/** `--cache-from/--cache-to` (and bake `--set *.cache-to=...`) flags of a command. */
function flagEntries(workflow: Workflow, args: readonly ShellWord[], cache: BuildCache, bakeTarget: string | null): void {
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word) {
      continue;
    }
    const value = word.value ?? '';
    for (const [flag, list] of [['--cache-from', cache.from], ['--cache-to', cache.to], ['--set', null]] as const) {
      let valueWord: ShellWord | undefined;
      let text: string | null = null;
      if (value === flag) {
        valueWord = args[i + 1];
        text = valueWord ? (valueWord.value ?? fileText(workflow, valueWord.range)) : null;
      } else if (value.startsWith(`${flag}=`)) {
        valueWord = word;
        text = value.slice(flag.length + 1);
      }
      if (!valueWord || text === null) {
        continue;
      }
      const offsets = locate(workflow, valueWord.range, text);
      const range = offsets ? { start: workflow.lines.positionAt(offsets.start), end: workflow.lines.positionAt(offsets.end) } : valueWord.range;
      if (list === null) {
        addSetOverride(cache, text, range, offsets, bakeTarget);
      } else {
        list.push({ spec: parseCacheSpec(text), range, offsets, origin: 'flag' });
      }
    }
  }
}

/** A bake override `target.cache-to=spec` (or `*.cache-from=...`) that applies to the build's target. */
function addSetOverride(cache: BuildCache, text: string, range: Range, offsets: { start: number; end: number } | null, bakeTarget: string | null): void {
  const match = /^([^=]+?)\.(cache-from|cache-to)=(.*)$/.exec(text.trim());
  if (!match?.[1] || !match[2] || match[3] === undefined) {
    return;
  }
  const pattern = match[1];
  if (pattern !== '*' && bakeTarget !== null && pattern !== bakeTarget && !pattern.includes('*')) {
    return;
  }
  const specText = match[3];
  const specStart = offsets ? offsets.end - specText.length : null;
  const entry: CacheEntry = { spec: parseCacheSpec(specText), range, offsets: specStart === null || !offsets ? null : { start: specStart, end: offsets.end }, origin: 'set' };
  (match[2] === 'cache-from' ? cache.from : cache.to).push(entry);
}

function fileText(workflow: Workflow, range: Range): string {
  return workflow.text.slice(workflow.lines.offsetAt(range.start), workflow.lines.offsetAt(range.end)).replace(/^["']|["']$/g, '');
}

/** Offsets of `text` inside a word's range, when the word shows it literally. */
function locate(workflow: Workflow, range: Range, text: string): { start: number; end: number } | null {
  const start = workflow.lines.offsetAt(range.start);
  const source = workflow.text.slice(start, workflow.lines.offsetAt(range.end));
  const at = source.lastIndexOf(text);
  return at >= 0 ? { start: start + at, end: start + at + text.length } : null;
}
