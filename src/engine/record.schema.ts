/**
 * The run record `baseimg bench` writes to `.baseimg/runs/` and `baseimg report` reads. The JSON
 * Schema users see (schema/run-record.schema.json) is generated from this by
 * tools/gen-run-record-schema.ts; docs/bench.md explains every field. Bump `schemaVersion` on any
 * change a reader of older records would misread.
 */
import { z } from 'zod';
import type { ImageAnalysis } from '../image/types.js';

export const RUN_RECORD_SCHEMA_VERSION = 1;

const isoTime = z.string().describe('ISO 8601 time');

const step = z.object({
  name: z.string(),
  digest: z.string().nullable(),
  kind: z.enum(['dockerfile', 'internal', 'exporter', 'other']),
  stage: z.string().nullable(),
  platform: z.string().nullable(),
  stepIndex: z.number().int().nullable(),
  stepCount: z.number().int().nullable(),
  instruction: z.string().nullable(),
  status: z.enum(['done', 'cached', 'error', 'canceled', 'running']),
  durationSeconds: z.number().nullable(),
  startedAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  error: z.string().nullable(),
  line: z.number().int().nullable().describe('Dockerfile line of the instruction'),
});

const cache = z.object({
  dockerfileSteps: z.number().int(),
  cached: z.number().int(),
  executed: z.number().int(),
  failed: z.number().int(),
  hitRate: z.number(),
  allVertices: z.number().int(),
  allVerticesCached: z.number().int(),
});

const build = z.object({
  ok: z.boolean(),
  wallSeconds: z.number().describe('client wall-clock time of the build command'),
  startedAt: isoTime,
  imageId: z.string().nullable(),
  /** Present only in the warm-late-change scenario. */
  changedFile: z.string().nullable(),
  steps: z.array(step),
  cache,
  error: z.string().nullable(),
});

const stats = z.object({
  n: z.number().int(),
  min: z.number().nullable(),
  median: z.number().nullable(),
  max: z.number().nullable(),
  samples: z.array(z.number()),
});

const stepStats = z.object({
  name: z.string(),
  line: z.number().int().nullable(),
  seconds: stats,
  cachedRuns: z.number().int(),
});

const scenario = z.object({
  name: z.enum(['cold', 'warm-noop', 'warm-late-change']),
  description: z.string(),
  runs: z.array(build),
  wallSeconds: stats,
  steps: z.array(stepStats).describe('per Dockerfile step, over the successful runs'),
  cacheHitRate: stats,
});

const layer = z.object({
  index: z.number().int(),
  createdBy: z.string(),
  sizeBytes: z.number().int(),
  emptyLayer: z.boolean(),
  line: z.number().int().nullable(),
  origin: z.enum(['dockerfile', 'base']),
});

const analysis = z.object({
  format: z.enum(['docker-archive', 'oci-layout']),
  imageId: z.string().nullable(),
  repoTags: z.array(z.string()),
  architecture: z.string().nullable(),
  os: z.string().nullable(),
  layers: z.array(z.object({
    index: z.number().int(),
    digest: z.string(),
    compression: z.enum(['none', 'gzip', 'zstd']),
    storedBytes: z.number(),
    contentBytes: z.number(),
    files: z.number(),
    addedBytes: z.number(),
    modifiedBytes: z.number(),
    removedBytes: z.number(),
    whiteouts: z.number(),
    createdBy: z.string().nullable(),
  })),
  finalBytes: z.number(),
  totalLayerBytes: z.number(),
  wastedBytes: z.number(),
  efficiency: z.number(),
  biggestDirectories: z.array(z.object({ path: z.string(), bytes: z.number() })),
  unwanted: z.array(z.object({
    kind: z.enum(['headers', 'static-libraries', 'pycache', 'apt-lists', 'pip-cache', 'uv-cache', 'test-folders', 'docs', 'other']),
    files: z.number(),
    bytes: z.number(),
    examples: z.array(z.string()),
  })),
  packages: z.array(z.object({
    ecosystem: z.enum(['deb', 'pypi', 'npm']),
    name: z.string(),
    version: z.string(),
    purl: z.string(),
    sizeBytes: z.number().nullable(),
    location: z.string(),
    licenses: z.array(z.string()).optional(),
  })),
});

/** The archive analysis as stored: the contract's fields of ImageAnalysis (src/image/types.ts). */
export type StoredAnalysis = ImageAnalysis;
// Compile-time guard: the stored shape must stay the contract's shape.
const _analysisMatches: (value: z.infer<typeof analysis>) => StoredAnalysis = (value) => value;
const _analysisMatchesBack: (value: StoredAnalysis) => z.infer<typeof analysis> = (value) => value;
void _analysisMatches;
void _analysisMatchesBack;

const image = z.object({
  reference: z.string().describe('the bench tag the image was built under'),
  imageId: z.string().nullable(),
  sizeBytes: z.number().int().nullable().describe('docker image inspect Size (engine-reported, informational)'),
  layers: z.array(layer).describe('docker history rows, oldest first, mapped to Dockerfile lines'),
  analysis: analysis.nullable().describe('streamed docker save analysis (src/image)'),
  analysisError: z.string().nullable(),
});

const sbom = z.object({
  packages: z.number().int(),
  byEcosystem: z.record(z.string(), z.number().int()),
});

const test = z.object({
  command: z.string(),
  ok: z.boolean(),
  exitCode: z.number().int().nullable(),
  durationSeconds: z.number(),
  outputTail: z.string(),
});

export const runRecord = z.object({
  schemaVersion: z.literal(RUN_RECORD_SCHEMA_VERSION),
  family: z.string(),
  label: z.string(),
  combination: z.string().nullable().optional()
    .describe('compatibility-matrix fingerprint of the pinned component versions (baseimg matrix); a record with passing tests validates it'),
  dockerfile: z.string(),
  context: z.string(),
  target: z.string().nullable(),
  git: z.object({ sha: z.string().nullable(), dirty: z.boolean().nullable() }),
  engine: z.object({
    endpoint: z.string().nullable(),
    engineVersion: z.string().nullable(),
    apiVersion: z.string().nullable(),
    storageDriver: z.string().nullable(),
    client: z.string().describe('path of the docker client used'),
    clientVersion: z.string().nullable(),
    buildMode: z.enum(['buildx', 'buildkit', 'legacy']),
    builder: z.string().nullable(),
    builderDriver: z.string().nullable(),
    buildxVersion: z.string().nullable(),
    buildkitVersion: z.string().nullable().describe('null when BuildKit is embedded in the engine and does not report it'),
  }),
  machine: z.object({
    cores: z.number().int(),
    cpuModel: z.string().nullable(),
    memoryBytes: z.number().int(),
    platform: z.string(),
    kernel: z.string(),
  }),
  options: z.object({
    warmRuns: z.number().int(),
    coldRuns: z.number().int(),
    pruned: z.boolean(),
    network: z.string().nullable(),
    platform: z.string().nullable(),
    buildArgs: z.record(z.string(), z.string()),
  }),
  baseImages: z.array(z.object({ reference: z.string(), presentBeforeCold: z.boolean() }))
    .describe('external base images and whether the engine had them before the cold build'),
  scenarios: z.array(scenario),
  image: image.nullable(),
  sbom: sbom.nullable(),
  tests: z.array(test),
  startedAt: isoTime,
  finishedAt: isoTime,
  status: z.enum(['ok', 'failed']),
  reason: z.string().nullable(),
  warnings: z.array(z.string()),
});

export type RunRecord = z.infer<typeof runRecord>;
export type ScenarioRecord = z.infer<typeof scenario>;
export type BuildRecord = z.infer<typeof build>;
export type Stats = z.infer<typeof stats>;
export type LayerRecord = z.infer<typeof layer>;
export type TestRecord = z.infer<typeof test>;
