/**
 * The Docker engine driver: finds a client that can reach the engine and build with BuildKit, runs
 * builds while reading their progress, and asks the engine about images. Every process goes through
 * src/tools/process.ts; there is no home-made BuildKit or Engine API client, because the docker CLI
 * already speaks every engine and builder version we meet and records what users see.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { EngineError } from '../errors.js';
import { runProcess, spawnStreaming, type ProcessResult } from '../tools/process.js';
import { PlainProgressParser } from './progress-plain.js';
import { RawJsonProgressParser } from './progress-rawjson.js';
import type { BuildStep } from './steps.js';

/** How builds run: buildx (rawjson progress), the client's embedded BuildKit (plain), or the legacy builder. */
export type BuildMode = 'buildx' | 'buildkit' | 'legacy';

/** The engine and client a bench run uses, with the versions the record keeps. */
export interface Engine {
  client: string;
  clientVersion: string | null;
  endpoint: string | null;
  engineVersion: string | null;
  apiVersion: string | null;
  storageDriver: string | null;
  mode: BuildMode;
  builder: string | null;
  builderDriver: string | null;
  buildxVersion: string | null;
  buildkitVersion: string | null;
  warnings: string[];
}

/** What the driver needs to find the engine. */
export interface EngineOptions {
  /** `--docker PATH`; else BASEIMG_DOCKER; else the candidates below. */
  docker?: string;
  builder?: string;
  env?: NodeJS.ProcessEnv;
}

const versionOutput = z.object({
  Client: z.object({ Version: z.string().optional(), ApiVersion: z.string().optional() }).loose().optional(),
  Server: z.object({ Version: z.string().optional(), ApiVersion: z.string().optional() }).loose().nullable().optional(),
}).loose();

const infoOutput = z.object({ Driver: z.string().optional() }).loose();

/** Client candidates in order: the explicit one alone, or PATH's `docker` then Debian's and the usual install paths. */
export function clientCandidates(options: EngineOptions): string[] {
  const env = options.env ?? process.env;
  const explicit = options.docker ?? env.BASEIMG_DOCKER;
  if (explicit) {
    return [explicit];
  }
  return [...new Set(['docker', '/usr/bin/docker', '/usr/local/bin/docker'])];
}

async function run(client: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ProcessResult | null> {
  try {
    return await runProcess(client, args, { env, timeoutMs });
  } catch {
    return null;
  }
}

function major(version: string | null): number | null {
  const match = version === null ? null : /^v?(\d+)\./.exec(version);
  return match ? Number(match[1]) : null;
}

/**
 * Finds the engine: the first candidate client that reaches a server and can build with BuildKit
 * wins; a client that reaches the server but cannot use BuildKit is kept as the legacy fallback.
 * Clients from 23.0 on hand `DOCKER_BUILDKIT=1` builds to buildx and refuse without the plugin;
 * older ones embed BuildKit (docker/cli 23.0 release notes, checked 2026-11-29).
 */
export async function findEngine(options: EngineOptions = {}): Promise<Engine> {
  const env = options.env ?? process.env;
  let fallback: Engine | null = null;
  const reasons: string[] = [];
  for (const client of clientCandidates(options)) {
    const version = await run(client, ['version', '--format', '{{json .}}'], env);
    if (version === null) {
      reasons.push(`${client}: not found`);
      continue;
    }
    let parsed: z.infer<typeof versionOutput> | null = null;
    try {
      parsed = versionOutput.parse(JSON.parse(version.stdout.trim().split('\n')[0] ?? 'null'));
    } catch {
      parsed = null;
    }
    if (!parsed?.Server?.Version) {
      reasons.push(`${client}: ${firstLine(version.stderr) || 'no engine answered'}`);
      continue;
    }
    const clientVersion = parsed.Client?.Version ?? null;
    const engine: Engine = {
      client,
      clientVersion,
      endpoint: await endpoint(client, env),
      engineVersion: parsed.Server.Version,
      apiVersion: parsed.Server.ApiVersion ?? null,
      storageDriver: await storageDriver(client, env),
      mode: 'legacy',
      builder: null,
      builderDriver: null,
      buildxVersion: null,
      buildkitVersion: null,
      warnings: [],
    };
    const buildx = await run(client, ['buildx', 'version'], env);
    if (buildx !== null && buildx.code === 0) {
      engine.mode = 'buildx';
      engine.buildxVersion = /v?\d+\.\d+\.\d+\S*/.exec(buildx.stdout)?.[0] ?? buildx.stdout.trim();
      await describeBuilder(engine, options.builder ?? null, env);
      return engine;
    }
    const clientMajor = major(clientVersion);
    if (clientMajor !== null && clientMajor < 23) {
      engine.mode = 'buildkit';
      engine.builder = 'default';
      engine.builderDriver = 'docker';
      if (options.builder) {
        engine.warnings.push(`--builder ${options.builder} needs the buildx plugin; ${client} builds with the engine's embedded BuildKit`);
      }
      return engine;
    }
    fallback ??= engine;
    reasons.push(`${client}: client ${clientVersion ?? '?'} has no buildx plugin and cannot build with BuildKit`);
  }
  if (fallback) {
    fallback.warnings.push('no client can build with BuildKit here: using the legacy builder, which ignores RUN --mount cache mounts and reports no per-step times');
    return fallback;
  }
  throw new EngineError(`no Docker engine reachable (${reasons.join('; ')})`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

async function endpoint(client: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env.DOCKER_HOST) {
    return env.DOCKER_HOST;
  }
  const context = await run(client, ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], env);
  if (context?.code === 0 && context.stdout.trim() !== '') {
    return context.stdout.trim();
  }
  return 'unix:///var/run/docker.sock';
}

async function storageDriver(client: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const info = await run(client, ['info', '--format', '{{json .}}'], env);
  try {
    return infoOutput.parse(JSON.parse(info?.stdout ?? 'null')).Driver ?? null;
  } catch {
    return null;
  }
}

async function describeBuilder(engine: Engine, builder: string | null, env: NodeJS.ProcessEnv): Promise<void> {
  const inspect = await run(engine.client, ['buildx', 'inspect', ...(builder ? [builder] : [])], env);
  if (inspect === null || inspect.code !== 0) {
    throw new EngineError(`buildx builder ${builder ?? '(default)'} is not usable: ${firstLine(inspect?.stderr ?? '')}`);
  }
  engine.builder = /^Name:\s+(\S+)/m.exec(inspect.stdout)?.[1] ?? builder;
  engine.builderDriver = /^Driver:\s+(\S+)/m.exec(inspect.stdout)?.[1] ?? null;
  engine.buildkitVersion = /^Buildkit(?: version)?:\s+(\S+)/im.exec(inspect.stdout)?.[1] ?? null;
}

/** One build as the driver runs it. */
export interface BuildRequest {
  dockerfile: string;
  context: string;
  tag: string;
  noCache?: boolean;
  target?: string | null;
  network?: string | null;
  platform?: string | null;
  buildArgs?: Record<string, string>;
}

/** What one build left: its steps as the progress stream told, and the image it made. */
export interface BuildOutcome {
  ok: boolean;
  wallSeconds: number;
  startedAt: string;
  imageId: string | null;
  steps: BuildStep[];
  error: string | null;
  interrupted: boolean;
}

/** The command line and environment for a build in the engine's mode. */
export function buildCommand(engine: Engine, request: BuildRequest, files: { iidfile: string; metadataFile: string }): { args: string[]; env: Record<string, string> } {
  const common = [
    '--file', request.dockerfile,
    '--tag', request.tag,
    '--iidfile', files.iidfile,
    ...(request.noCache ? ['--no-cache'] : []),
    ...(request.target ? ['--target', request.target] : []),
    ...(request.network ? ['--network', request.network] : []),
    ...(request.platform ? ['--platform', request.platform] : []),
    ...Object.entries(request.buildArgs ?? {}).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
  ];
  switch (engine.mode) {
    case 'buildx':
      return {
        args: ['buildx', 'build', ...(engine.builder ? ['--builder', engine.builder] : []), '--load', '--progress=rawjson', '--metadata-file', files.metadataFile, ...common, request.context],
        env: {},
      };
    case 'buildkit':
      return { args: ['build', '--progress=plain', ...common, request.context], env: { DOCKER_BUILDKIT: '1' } };
    case 'legacy':
      return { args: ['build', ...common, request.context], env: { DOCKER_BUILDKIT: '0' } };
  }
}

/**
 * Runs one build, feeding each progress line to the parser as it arrives (`onStep` sees every
 * change). Aborting the signal stops the client with SIGINT, which cancels the build in BuildKit.
 */
export async function runBuild(engine: Engine, request: BuildRequest, options: { signal?: AbortSignal; onStep?: (step: BuildStep) => void; env?: NodeJS.ProcessEnv } = {}): Promise<BuildOutcome> {
  const scratch = await mkdtemp(join(tmpdir(), 'baseimg-build-'));
  const files = { iidfile: join(scratch, 'iid'), metadataFile: join(scratch, 'metadata.json') };
  const { args, env } = buildCommand(engine, request, files);
  const startedAt = new Date();
  const start = performance.now();
  const child = spawnStreaming(engine.client, args, { env: { ...(options.env ?? process.env), ...env } });
  const abort = (): void => child.kill('SIGINT');
  options.signal?.addEventListener('abort', abort, { once: true });
  const plain = new PlainProgressParser();
  const raw = new RawJsonProgressParser();
  const legacy = new LegacyProgress();
  const tail: string[] = [];
  const consume = async (stream: Readable): Promise<void> => {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      tail.push(line);
      if (tail.length > 30) {
        tail.shift();
      }
      const touched = engine.mode === 'buildx' ? raw.push(line) : engine.mode === 'buildkit' ? [plain.push(line)] : [legacy.push(line)];
      for (const step of touched) {
        if (step) {
          options.onStep?.(step);
        }
      }
    }
  };
  try {
    const [exit] = await Promise.all([child.done, consume(child.stdout), consume(child.stderr)]);
    const wallSeconds = (performance.now() - start) / 1000;
    const steps = engine.mode === 'buildx' ? raw.steps() : engine.mode === 'buildkit' ? plain.steps() : legacy.steps();
    const ok = exit.code === 0;
    const imageId = ok ? (await readFile(files.iidfile, 'utf8').catch(() => '')).trim() || null : null;
    const failed = steps.find((step) => step.status === 'error');
    const interrupted = options.signal?.aborted === true;
    const error = ok ? null : interrupted ? 'interrupted' : (failed ? `${failed.name}: ${failed.error ?? 'failed'}` : lastMeaningful(tail) ?? `build exited with ${exit.code ?? exit.signal}`);
    return { ok, wallSeconds, startedAt: startedAt.toISOString(), imageId, steps, error, interrupted };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastMeaningful(lines: string[]): string | null {
  return [...lines].reverse().find((line) => /error|failed/i.test(line))?.trim() ?? null;
}

/**
 * The legacy builder's `Step i/n : INSTRUCTION` lines: no per-step times, so each step's duration is
 * the client-clock gap to the next step line, and ` ---> Using cache` marks a hit.
 */
class LegacyProgress {
  private readonly list: BuildStep[] = [];
  private readonly started: number[] = [];

  push(line: string, at: Date = new Date()): BuildStep | null {
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    const current = this.list.at(-1);
    if (step) {
      this.finish(at);
      const next: BuildStep = {
        name: line, digest: null, kind: 'dockerfile', stage: null, platform: null,
        stepIndex: Number(step[1]), stepCount: Number(step[2]), instruction: step[3] ?? null,
        status: 'running', durationSeconds: null, startedAt: at.toISOString(), completedAt: null, error: null, line: null,
      };
      this.list.push(next);
      this.started.push(at.getTime());
      return next;
    }
    if (current && /^ ---> Using cache/.test(line)) {
      current.status = 'cached';
      return current;
    }
    if (/^Successfully built /.test(line)) {
      this.finish(at);
    }
    return null;
  }

  private finish(at: Date): void {
    const current = this.list.at(-1);
    const start = this.started.at(-1);
    if (current && start !== undefined && current.completedAt === null) {
      current.completedAt = at.toISOString();
      current.durationSeconds = current.status === 'cached' ? 0 : (at.getTime() - start) / 1000;
      if (current.status === 'running') {
        current.status = 'done';
      }
    }
  }

  steps(): BuildStep[] {
    return this.list;
  }
}

const inspectOutput = z.array(z.object({ Id: z.string(), Size: z.number().optional(), RepoTags: z.array(z.string()).nullable().optional() }).loose());
const historyRow = z.object({ CreatedBy: z.string(), Size: z.string(), Comment: z.string().optional(), ID: z.string().optional() }).loose();

/** `docker image inspect`: id and engine-reported size, or null when the image is absent. */
export async function inspectImage(engine: Engine, reference: string): Promise<{ id: string; sizeBytes: number | null; repoTags: string[] } | null> {
  const result = await run(engine.client, ['image', 'inspect', reference], process.env);
  if (result === null || result.code !== 0) {
    return null;
  }
  const parsed = inspectOutput.parse(JSON.parse(result.stdout))[0];
  return parsed ? { id: parsed.Id, sizeBytes: parsed.Size ?? null, repoTags: parsed.RepoTags ?? [] } : null;
}

/** A `docker history` row with its size in bytes. */
export interface HistoryRow {
  createdBy: string;
  sizeBytes: number;
  comment: string;
}

/**
 * `docker history --no-trunc -H=false --format '{{json .}}'`, oldest first. `{{json .}}` rather
 * than `--format json` because 20.10 prints the literal word for the latter; `-H=false` makes Size a
 * decimal byte count (a string in every version).
 */
export async function imageHistory(engine: Engine, reference: string): Promise<HistoryRow[]> {
  const result = await run(engine.client, ['history', '--no-trunc', '-H=false', '--format', '{{json .}}', reference], process.env);
  if (result === null || result.code !== 0) {
    throw new EngineError(`docker history ${reference} failed: ${firstLine(result?.stderr ?? '')}`);
  }
  return parseHistory(result.stdout);
}

/** Parses history JSON lines (newest first as the CLI prints them) into rows oldest first. */
export function parseHistory(text: string): HistoryRow[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const row = historyRow.parse(JSON.parse(line));
    return { createdBy: row.CreatedBy, sizeBytes: Number(row.Size) || 0, comment: row.Comment ?? '' };
  }).reverse();
}

/** Removes images by reference; missing ones are fine. */
export async function removeImages(engine: Engine, references: string[]): Promise<void> {
  if (references.length > 0) {
    await run(engine.client, ['image', 'rm', '--force', ...references], process.env, 120_000);
  }
}

/**
 * Removes images this run built that no tag holds any more (earlier builds of a series that the
 * bench tag moved away from). Tagged ones are left alone: they may be the user's.
 */
export async function removeUntagged(engine: Engine, ids: string[]): Promise<void> {
  for (const id of new Set(ids)) {
    const inspected = await inspectImage(engine, id);
    if (inspected && inspected.repoTags.length === 0) {
      await run(engine.client, ['image', 'rm', id], process.env, 120_000);
    }
  }
}

/** Removes containers made from `reference` (left behind by an interrupted image test). */
export async function removeContainersOf(engine: Engine, reference: string): Promise<void> {
  const list = await run(engine.client, ['ps', '--all', '--quiet', '--filter', `ancestor=${reference}`], process.env);
  const ids = (list?.stdout ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  if (ids.length > 0) {
    await run(engine.client, ['rm', '--force', ...ids], process.env, 120_000);
  }
}

/** Empties the builder's cache (cache mounts included), for a cold scenario with --prune. */
export async function pruneBuildCache(engine: Engine): Promise<void> {
  const args = engine.mode === 'buildx'
    ? ['buildx', 'prune', '--all', '--force', ...(engine.builder ? ['--builder', engine.builder] : [])]
    : ['builder', 'prune', '--all', '--force'];
  const result = await run(engine.client, args, process.env, 600_000);
  if (result === null || result.code !== 0) {
    throw new EngineError(`pruning the build cache failed: ${firstLine(result?.stderr ?? '')}`);
  }
}

/** Starts `docker save REFERENCE`; the caller reads the archive from `stdout` as it streams. */
export function saveImage(engine: Engine, reference: string): ReturnType<typeof spawnStreaming> {
  return spawnStreaming(engine.client, ['save', reference]);
}
