/**
 * The bench scenarios (docs/bench.md): cold, warm-noop and warm-late-change builds of one or two
 * variants (before/after, run alternately so drift spreads over both), then the image facts (inspect,
 * history mapped to Dockerfile lines, the streamed archive analysis), the image tests, and one run
 * record per variant. Timing and analysis never overlap: save, analysis and tests run after the
 * last timed build.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync, utimesSync, chmodSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildInputs, type Dockerfile, type Stage } from '../parse/dockerfile.js';
import { runProcess } from '../tools/process.js';
import { analyzeImage } from './analysis.js';
import { imageHistory, inspectImage, pruneBuildCache, removeContainersOf, removeImages, removeUntagged, runBuild, type BuildOutcome, type BuildRequest, type Engine, type HistoryRow } from './docker.js';
import type { ImageAnalysis } from '../image/types.js';
import { RUN_RECORD_SCHEMA_VERSION, type StoredAnalysis, type BuildRecord, type LayerRecord, type RunRecord, type ScenarioRecord, type Stats, type TestRecord } from './record.schema.js';
import { cacheSummary, mapStepsToLines, type BuildStep } from './steps.js';

/** One image to bench: a family of the repository, or an ad-hoc Dockerfile. */
export interface BenchVariant {
  family: string;
  label: string;
  /** Absolute paths. */
  dockerfilePath: string;
  contextPath: string;
  dockerfile: Dockerfile;
  target: string | null;
  test: string | null;
  /** The file the warm-late-change scenario edits (absolute), or null to skip that scenario. */
  changeFile: string | null;
  /**
   * The compatibility-matrix fingerprint of the component versions this image pins (`baseimg
   * matrix`); a record with passing tests then validates that exact combination. Null when the
   * image is not a configured family of the repository, or is an older revision (`--compare`).
   */
  combination: string | null;
}

export interface BenchOptions {
  /** Repository root: git facts, test working directory, and paths in the record are relative to it. */
  root: string;
  coldRuns: number;
  warmRuns: number;
  prune: boolean;
  lateChange: boolean;
  keep: boolean;
  network: string | null;
  platform: string | null;
  buildArgs: Record<string, string>;
  analysis: boolean;
  tests: boolean;
  signal?: AbortSignal;
  /** Human progress (one line per event). */
  progress?: (line: string) => void;
  /** Called for every step change of the running build (for a live display). */
  onStep?: (variant: BenchVariant, step: BuildStep) => void;
}

const SCENARIOS = {
  cold: 'build with --no-cache (base images as they were locally; build cache pruned first when --prune)',
  'warm-noop': 'rebuild with nothing changed, after the cold build',
  'warm-late-change': 'rebuild after appending a comment line to one late build input, restored afterwards',
} as const;

/** min/median/max over samples. */
export function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? null : sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { n: sorted.length, min: sorted[0] ?? null, median, max: sorted.at(-1) ?? null, samples };
}

/**
 * Picks the file warm-late-change edits: the family's first requirements file inside the context,
 * else the last COPY/ADD source that names one file (a folder: its first file in name order).
 */
export function defaultChangeFile(dockerfile: Dockerfile, contextPath: string, requirements: string[] = []): string | null {
  for (const path of requirements) {
    if (isFile(path) && !relative(contextPath, path).startsWith('..')) {
      return path;
    }
  }
  const inputs = buildInputs(dockerfile).filter((input) => input.instruction.kind === 'copy' || input.instruction.kind === 'add');
  for (const input of [...inputs].reverse()) {
    if (/[*?[]/.test(input.path) || input.path.startsWith('$')) {
      continue;
    }
    const candidate = resolve(contextPath, input.path);
    if (relative(contextPath, candidate).startsWith('..')) {
      continue;
    }
    const file = firstFile(candidate);
    if (file) {
      return file;
    }
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function firstFile(path: string): string | null {
  let info;
  try {
    info = statSync(path);
  } catch {
    return null;
  }
  if (info.isFile()) {
    return path;
  }
  if (!info.isDirectory()) {
    return null;
  }
  for (const name of readdirSync(path).sort()) {
    const found = firstFile(join(path, name));
    if (found) {
      return found;
    }
  }
  return null;
}

/**
 * An edit to a build input that is undone byte for byte: content, mode and times. Besides the
 * normal restore, a process exit hook restores synchronously, so a second Ctrl-C or a crash between
 * edit and restore still leaves the file as it was.
 */
class InputChange {
  private original: { bytes: Buffer; mode: number; atime: number; mtime: number } | null = null;
  private readonly onExit = (): void => this.restoreSync();

  constructor(readonly path: string) {}

  async apply(marker: string): Promise<void> {
    if (this.original === null) {
      const info = await stat(this.path);
      // Seconds as numbers keep sub-millisecond precision (Date objects would round to milliseconds).
      this.original = { bytes: await readFile(this.path), mode: info.mode, atime: info.atimeMs / 1000, mtime: info.mtimeMs / 1000 };
      process.once('exit', this.onExit);
    }
    const bytes = this.original.bytes;
    const separator = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? '\n' : '';
    await writeFile(this.path, Buffer.concat([bytes, Buffer.from(`${separator}# baseimg bench late change ${marker}\n`)]));
  }

  async restore(): Promise<void> {
    if (this.original === null) {
      return;
    }
    const { bytes, mode, atime, mtime } = this.original;
    await writeFile(this.path, bytes);
    chmodSync(this.path, mode & 0o7777);
    utimesSync(this.path, atime, mtime);
    this.original = null;
    process.removeListener('exit', this.onExit);
  }

  private restoreSync(): void {
    if (this.original !== null) {
      writeFileSync(this.path, this.original.bytes);
      utimesSync(this.path, this.original.atime, this.original.mtime);
    }
  }
}

/** The bench tag of a variant: unique per run so parallel or leftover runs never collide. */
export function benchTag(variant: Pick<BenchVariant, 'family' | 'label'>, runId: string): string {
  const clean = (text: string): string => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 60) || 'x';
  return `baseimg-bench/${clean(variant.family)}:${clean(variant.label)}-${runId}`;
}

function toBuildRecord(outcome: BuildOutcome, dockerfile: Dockerfile, changedFile: string | null): BuildRecord {
  mapStepsToLines(outcome.steps, dockerfile);
  return {
    ok: outcome.ok,
    wallSeconds: round(outcome.wallSeconds),
    startedAt: outcome.startedAt,
    imageId: outcome.imageId,
    changedFile,
    steps: outcome.steps.map((step) => ({ ...step })),
    cache: cacheSummary(outcome.steps),
    error: outcome.error,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function scenarioRecord(name: ScenarioRecord['name'], runs: BuildRecord[]): ScenarioRecord {
  const good = runs.filter((run) => run.ok);
  const byStep = new Map<string, { name: string; line: number | null; seconds: number[]; cachedRuns: number }>();
  for (const run of good) {
    for (const step of run.steps.filter((candidate) => candidate.kind === 'dockerfile')) {
      const key = `${step.stage ?? ''}|${step.instruction ?? step.name}`;
      const entry = byStep.get(key) ?? { name: step.name, line: step.line, seconds: [], cachedRuns: 0 };
      entry.seconds.push(step.durationSeconds ?? 0);
      entry.cachedRuns += step.status === 'cached' ? 1 : 0;
      byStep.set(key, entry);
    }
  }
  return {
    name,
    description: SCENARIOS[name],
    runs,
    wallSeconds: summarize(good.map((run) => run.wallSeconds)),
    steps: [...byStep.values()].map((entry) => ({ name: entry.name, line: entry.line, seconds: summarize(entry.seconds), cachedRuns: entry.cachedRuns })),
    cacheHitRate: summarize(good.map((run) => round(run.cache.hitRate))),
  };
}

/** The stages whose layers ship in the image built for `target` (the stage and its base stages), root first. */
function shippedChain(dockerfile: Dockerfile, target: string | null): Stage[] {
  let stage: Stage | null | undefined = target ? dockerfile.stages.find((candidate) => candidate.name?.toLowerCase() === target.toLowerCase()) : dockerfile.stages.at(-1);
  const chain: Stage[] = [];
  while (stage) {
    chain.unshift(stage);
    stage = stage.base.stage;
  }
  return chain;
}

/** A stage's external base as this build resolves it: `--build-arg` values override ARG defaults. */
function baseReference(stage: Stage, buildArgs: Record<string, string>): string {
  const overridden = stage.base.raw.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return buildArgs[name] ?? whole;
  });
  return overridden === stage.base.raw || /\$/.test(overridden) ? stage.base.expanded : overridden;
}

/** The instruction keyword a history row's `created_by` came from (BuildKit and classic forms). */
export function historyKeyword(createdBy: string): string | null {
  const text = createdBy.replace(/^\|\d+ (?:\S+=\S* )*/, '').trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s+(\w+)/.exec(text);
  if (nop) {
    return nop[1]?.toUpperCase() ?? null;
  }
  if (/^\/bin\/sh -c /.test(text)) {
    return 'RUN';
  }
  const word = /^([A-Za-z]+)\b/.exec(text)?.[1]?.toUpperCase() ?? null;
  return word !== null && ['RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'CMD', 'ENTRYPOINT', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'SHELL', 'HEALTHCHECK', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER'].includes(word) ? word : null;
}

/**
 * Maps history rows (oldest first) to Dockerfile lines: newest rows match the shipped stages'
 * instructions from the end by keyword (instructions that left no row are skipped); what is left
 * over at the bottom came with the base image.
 */
export function mapHistory(rows: HistoryRow[], dockerfile: Dockerfile, target: string | null): LayerRecord[] {
  const instructions = shippedChain(dockerfile, target).flatMap((stage) => stage.instructions.filter((instruction) => instruction.kind !== 'from'));
  const layers: LayerRecord[] = rows.map((row, index) => ({ index, createdBy: row.createdBy, sizeBytes: row.sizeBytes, emptyLayer: row.sizeBytes === 0, line: null, origin: 'base' }));
  let cursor = instructions.length - 1;
  for (let index = layers.length - 1; index >= 0 && cursor >= 0; index -= 1) {
    const layer = layers[index];
    const keyword = layer ? historyKeyword(layer.createdBy) : null;
    if (!layer || keyword === null) {
      break;
    }
    let probe = cursor;
    while (probe >= 0 && instructions[probe]?.keyword.toUpperCase() !== keyword) {
      probe -= 1;
    }
    if (probe < 0) {
      break;
    }
    layer.line = instructions[probe]?.range.start.line ?? null;
    layer.origin = 'dockerfile';
    cursor = probe - 1;
  }
  return layers;
}

/** Runs a test command with IMAGE (also `$IMAGE`, `${IMAGE}`) replaced by the image reference. */
export async function runImageTest(command: string, reference: string, cwd: string, signal?: AbortSignal): Promise<TestRecord> {
  const expanded = command.replace(/\$\{IMAGE\}|\$IMAGE\b|\bIMAGE\b/g, `'${reference}'`);
  const start = performance.now();
  const result = await runProcess('sh', ['-c', expanded], { cwd, env: { ...process.env, IMAGE: reference }, timeoutMs: 30 * 60_000 });
  const output = `${result.stdout}${result.stderr}`;
  return {
    command,
    ok: result.code === 0 && !signal?.aborted,
    exitCode: result.code,
    durationSeconds: round((performance.now() - start) / 1000),
    outputTail: output.length > 4000 ? output.slice(-4000) : output,
  };
}

async function gitFacts(root: string): Promise<RunRecord['git']> {
  try {
    const head = await runProcess('git', ['rev-parse', 'HEAD'], { cwd: root, timeoutMs: 10_000 });
    if (head.code !== 0) {
      return { sha: null, dirty: null };
    }
    const status = await runProcess('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, timeoutMs: 30_000 });
    return { sha: head.stdout.trim(), dirty: status.code === 0 ? status.stdout.trim() !== '' : null };
  } catch {
    return { sha: null, dirty: null };
  }
}

function machine(): RunRecord['machine'] {
  return { cores: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryBytes: totalmem(), platform: platform(), kernel: release() };
}

function display(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}

/** Benches the variants (one, or before/after); returns one record per variant, in order. */
export async function runBench(engine: Engine, variants: BenchVariant[], options: BenchOptions): Promise<RunRecord[]> {
  const say = options.progress ?? (() => undefined);
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date().toISOString();
  const git = await gitFacts(options.root);
  const state = variants.map((variant) => ({
    variant,
    tag: benchTag(variant, runId),
    scenarios: new Map<ScenarioRecord['name'], BuildRecord[]>(),
    baseImages: [] as RunRecord['baseImages'],
    failure: null as string | null,
    builtIds: [] as string[],
  }));
  const warnings = [...engine.warnings];
  let interrupted = false;

  for (const entry of state) {
    const external = [...new Set(entry.variant.dockerfile.stages.filter((stage) => !stage.base.scratch && stage.base.stage === null).map((stage) => baseReference(stage, options.buildArgs)))];
    for (const reference of external) {
      entry.baseImages.push({ reference, presentBeforeCold: (await inspectImage(engine, reference)) !== null });
    }
  }

  const buildRequest = (variant: BenchVariant, tag: string, noCache: boolean): BuildRequest => ({
    dockerfile: variant.dockerfilePath,
    context: variant.contextPath,
    tag,
    noCache,
    target: variant.target,
    network: options.network,
    platform: options.platform,
    buildArgs: options.buildArgs,
  });

  const build = async (entry: (typeof state)[number], scenario: ScenarioRecord['name'], run: number, noCache: boolean, change: InputChange | null): Promise<void> => {
    if (options.signal?.aborted || entry.failure) {
      return;
    }
    const { variant } = entry;
    say(`${variant.family} ${variant.label}: ${scenario} run ${run}`);
    try {
      if (change) {
        await change.apply(`${runId}-${run}`);
      }
      const outcome = await runBuild(engine, buildRequest(variant, entry.tag, noCache), { ...(options.signal ? { signal: options.signal } : {}), onStep: (step) => options.onStep?.(variant, step) });
      const record = toBuildRecord(outcome, variant.dockerfile, change ? display(options.root, change.path) : null);
      entry.scenarios.set(scenario, [...(entry.scenarios.get(scenario) ?? []), record]);
      say(`${variant.family} ${variant.label}: ${scenario} run ${run} ${outcome.ok ? 'ok' : 'failed'} in ${record.wallSeconds.toFixed(1)}s, ${record.cache.cached}/${record.cache.dockerfileSteps} steps cached`);
      if (outcome.interrupted) {
        interrupted = true;
      } else if (!outcome.ok) {
        entry.failure = `${scenario} build failed: ${outcome.error ?? 'unknown error'}`;
      }
    } finally {
      await change?.restore();
    }
  };

  try {
    for (let run = 1; run <= options.coldRuns; run += 1) {
      for (const entry of state) {
        if (options.prune && !options.signal?.aborted) {
          say('pruning the build cache');
          await pruneBuildCache(engine);
        }
        await build(entry, 'cold', run, true, null);
      }
    }
    for (let run = 1; run <= options.warmRuns; run += 1) {
      for (const entry of state) {
        await build(entry, 'warm-noop', run, false, null);
      }
    }
    if (options.lateChange) {
      for (let run = 1; run <= options.warmRuns; run += 1) {
        for (const entry of state) {
          if (entry.variant.changeFile === null) {
            if (run === 1) {
              warnings.push(`${entry.variant.family} ${entry.variant.label}: no build input to change; warm-late-change skipped`);
            }
            continue;
          }
          await build(entry, 'warm-late-change', run, false, new InputChange(entry.variant.changeFile));
        }
      }
    }
    if (options.lateChange) {
      // The last build saw an edited input; the image measured and tested is the one of the
      // inputs as they are. Untimed and unrecorded; it hits the cache of the warm-noop builds.
      for (const entry of state) {
        if (entry.variant.changeFile !== null && !entry.failure && !options.signal?.aborted) {
          const outcome = await runBuild(engine, buildRequest(entry.variant, entry.tag, false), options.signal ? { signal: options.signal } : {});
          entry.builtIds.push(...(outcome.imageId ? [outcome.imageId] : []));
          if (!outcome.ok && !outcome.interrupted) {
            entry.failure = `rebuild after the late change failed: ${outcome.error ?? 'unknown error'}`;
          }
        }
      }
    }
  } catch (error) {
    for (const entry of state) {
      entry.failure ??= (error as Error).message;
    }
  }
  interrupted ||= options.signal?.aborted === true;

  const records: RunRecord[] = [];
  for (const entry of state) {
    const { variant } = entry;
    let image: RunRecord['image'] = null;
    let sbom: RunRecord['sbom'] = null;
    const tests: TestRecord[] = [];
    const built = !interrupted && entry.failure === null && [...entry.scenarios.values()].some((runs) => runs.some((run) => run.ok));
    if (built) {
      try {
        say(`${variant.family} ${variant.label}: image facts`);
        const inspected = await inspectImage(engine, entry.tag);
        const layers = mapHistory(await imageHistory(engine, entry.tag), variant.dockerfile, variant.target);
        const analyzed = options.analysis ? await analyzeImage(engine, entry.tag) : { analysis: null, error: 'skipped (--no-analysis)' };
        let stored = null;
        if (analyzed.analysis) {
          const { packages } = analyzed.analysis;
          stored = storedAnalysis(analyzed.analysis);
          const byEcosystem: Record<string, number> = {};
          for (const found of packages) {
            byEcosystem[found.ecosystem] = (byEcosystem[found.ecosystem] ?? 0) + 1;
          }
          sbom = { packages: packages.length, byEcosystem };
        }
        image = { reference: entry.tag, imageId: inspected?.id ?? null, sizeBytes: inspected?.sizeBytes ?? null, layers, analysis: stored, analysisError: analyzed.error };
        if (options.tests && variant.test && !options.signal?.aborted) {
          say(`${variant.family} ${variant.label}: image test`);
          const result = await runImageTest(variant.test, entry.tag, options.root, options.signal);
          tests.push(result);
          if (!result.ok) {
            entry.failure = `image test failed (exit ${result.exitCode ?? 'signal'})`;
          }
        }
      } catch (error) {
        entry.failure ??= (error as Error).message;
      }
    }
    interrupted ||= options.signal?.aborted === true;
    if (!options.keep || interrupted) {
      await removeContainersOf(engine, entry.tag);
      if (!options.keep) {
        await removeImages(engine, [entry.tag]);
      }
    }
    if (!options.keep) {
      await removeUntagged(engine, [...entry.builtIds, ...[...entry.scenarios.values()].flatMap((runs) => runs.map((run) => run.imageId)).filter((id): id is string => id !== null)]);
    }
    const scenarios = (['cold', 'warm-noop', 'warm-late-change'] as const)
      .filter((name) => entry.scenarios.has(name))
      .map((name) => scenarioRecord(name, entry.scenarios.get(name) ?? []));
    const reason = interrupted ? 'interrupted' : entry.failure;
    records.push({
      schemaVersion: RUN_RECORD_SCHEMA_VERSION,
      family: variant.family,
      label: variant.label,
      combination: variant.combination,
      dockerfile: display(options.root, variant.dockerfilePath),
      context: display(options.root, variant.contextPath),
      target: variant.target,
      git,
      engine: {
        endpoint: engine.endpoint,
        engineVersion: engine.engineVersion,
        apiVersion: engine.apiVersion,
        storageDriver: engine.storageDriver,
        client: engine.client,
        clientVersion: engine.clientVersion,
        buildMode: engine.mode,
        builder: engine.builder,
        builderDriver: engine.builderDriver,
        buildxVersion: engine.buildxVersion,
        buildkitVersion: engine.buildkitVersion,
      },
      machine: machine(),
      options: { warmRuns: options.warmRuns, coldRuns: options.coldRuns, pruned: options.prune, network: options.network, platform: options.platform, buildArgs: options.buildArgs },
      baseImages: entry.baseImages,
      scenarios,
      image,
      sbom,
      tests,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: reason === null ? 'ok' : 'failed',
      reason,
      warnings,
    });
  }
  return records;
}

/** The contract's fields of an analysis (the record schema is closed; extra fields would not validate). */
function storedAnalysis(analysis: ImageAnalysis): StoredAnalysis {
  const { format, imageId, repoTags, architecture, os, layers, finalBytes, totalLayerBytes, wastedBytes, efficiency, biggestDirectories, unwanted, packages } = analysis;
  return {
    format, imageId, repoTags, architecture, os, finalBytes, totalLayerBytes, wastedBytes, efficiency, biggestDirectories, unwanted,
    packages: packages.map(({ ecosystem, name, version, purl, sizeBytes, location, licenses }) => ({ ecosystem, name, version, purl, sizeBytes, location, ...(licenses ? { licenses } : {}) })),
    layers: layers.map(({ index, digest, compression, storedBytes, contentBytes, files, addedBytes, modifiedBytes, removedBytes, whiteouts, createdBy }) => ({ index, digest, compression, storedBytes, contentBytes, files, addedBytes, modifiedBytes, removedBytes, whiteouts, createdBy })),
  };
}

/** `20261129T090000Z`, the timestamp part of a record's file name. */
export function recordStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Writes a record to `<dir>/<timestamp>-<family>-<label>.json`; returns the path. */
export async function writeRecord(dir: string, record: RunRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const clean = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '-');
  const path = join(dir, `${recordStamp(record.startedAt)}-${clean(record.family)}-${clean(record.label)}.json`);
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
