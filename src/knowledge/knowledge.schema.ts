/** Schemas of the knowledge files: every fact carries its source and the date it was checked. */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Provenance every fact carries. */
export const provenance = z.object({
  source: z.string().url(),
  checked: isoDate,
});

/** One runtime line's end-of-life date. */
export const runtimeEol = provenance.extend({
  runtime: z.enum(['nodejs', 'python', 'ubuntu', 'debian']),
  line: z.string(),
  eol: isoDate,
});

/** A distribution codename and the version line it names (`bullseye` is Debian 11). */
export const distroCodename = provenance.extend({
  runtime: z.enum(['ubuntu', 'debian']),
  codename: z.string().regex(/^[a-z]+$/),
  line: z.string(),
});

/** `runtimes.json`. */
export const runtimesFile = z.object({
  description: z.string(),
  runtimes: z.array(runtimeEol),
  codenames: z.array(distroCodename).default([]),
});

/** One codename fact. */
export type DistroCodename = z.infer<typeof distroCodename>;

/** One end-of-life fact. */
export type RuntimeEol = z.infer<typeof runtimeEol>;

/** The current major of one GitHub Action (`owner/repo`, lower case). */
export const actionMajor = provenance.extend({
  action: z.string().regex(/^[a-z0-9][a-z0-9-]*\/[a-z0-9._-]+$/),
  currentMajor: z.number().int().nonnegative(),
  /** First release of the current major. */
  released: isoDate,
  /** Newest tag seen when checked. */
  latest: z.string().regex(/^v\d+(\.\d+)*$/),
  runtime: z.string().optional(),
  /** What changed in the current major that an upgrade must watch for. */
  breaking: z.string().optional(),
  /**
   * Per-major facts, oldest first: the Node runtime of the major's action.yml and the inputs it
   * removed relative to the previous major. A major missing here is simply not known.
   */
  majors: z.array(z.object({
    major: z.number().int().nonnegative(),
    runtime: z.enum(['node12', 'node16', 'node20', 'node24', 'composite', 'docker']).optional(),
    removedInputs: z.array(z.object({
      input: z.string(),
      /** The input that replaces it; the bump is only mechanical when `sameMeaning` too. */
      replacement: z.string().optional(),
      sameMeaning: z.boolean().default(false),
    })).default([]),
  })).default([]),
});

/** A JavaScript action runtime GitHub deprecated, with the dates runners stop running it as written. */
export const nodeRuntime = provenance.extend({
  runtime: z.enum(['node12', 'node16', 'node20']),
  /** From this day hosted runners run such actions on `forcedTo` instead. */
  forcedFrom: isoDate.optional(),
  forcedTo: z.enum(['node16', 'node20', 'node24']),
  /** From this day the runtime is gone from the runner (no opt-out). */
  removedFrom: isoDate.optional(),
});

/** One deprecated Node runtime. */
export type NodeRuntime = z.infer<typeof nodeRuntime>;

/** `actions.json`. */
export const actionsFile = z.object({
  description: z.string(),
  actions: z.array(actionMajor),
  nodeRuntimes: z.array(nodeRuntime).default([]),
});

/** One action's current major. */
export type ActionMajor = z.infer<typeof actionMajor>;

/** A Python version range (`3.10`..`3.14`, both inclusive, as minor lines). */
const pythonRange = z.object({ min: z.string().regex(/^3\.\d+$/), max: z.string().regex(/^3\.\d+$/) });

/** One torch release and its companions, Python range and wheel channels (pytorch RELEASE.md). */
export const torchRelease = provenance.extend({
  torch: z.string(),
  released: isoDate.optional(),
  torchvision: z.string(),
  torchaudio: z.string(),
  python: pythonRange,
  /** download.pytorch.org/whl/<channel> indexes that carry this release. */
  channels: z.array(z.string()),
});

/** Rules that hold for torch releases the table does not list (R-TV-1, R-TA-1). */
export const torchRules = provenance.extend({
  /** torchvision minor = torch minor + this, for every torch 2.x. */
  visionMinorOffset: z.number().int(),
  /** Where the torchvision rule is stated (`source` is the torchaudio statement). */
  visionSource: z.string().url(),
  /** From this torch release on, torchaudio stays at `audioFrozenVersion` (stable ABI). */
  audioFrozenFrom: z.string(),
  audioFrozenVersion: z.string(),
});

/** A torch wheel channel and the CUDA runtime and driver it needs. */
export const torchChannel = provenance.extend({
  channel: z.string().regex(/^(cpu|cu\d+|rocm[\d.]+)$/),
  cuda: z.string().nullable(),
  /** Minimum Linux driver for CUDA minor-version compatibility. */
  minDriver: z.string().nullable(),
  /** The toolkit's own driver (needed for PTX JIT and full features). */
  toolkitDriver: z.string().nullable(),
  firstTorch: z.string(),
  /** The last torch release the channel carries, null while it is still built. */
  lastTorch: z.string().nullable(),
});

/** The OpenVINO runtime an onnxruntime-openvino wheel bundles, and its Python range. */
export const openvinoBundle = provenance.extend({
  onnxruntimeOpenvino: z.string(),
  /** Bundled OpenVINO; a standalone `openvino` wheel must match it (major.minor at least). */
  openvino: z.string(),
  python: pythonRange,
});

/** Python support of a package from a release on (until a later entry for the same package). */
export const pythonSupport = provenance.extend({
  package: z.string(),
  from: z.string(),
  python: pythonRange,
});

/** The newest known release of a package, and of each release line it still maintains. */
export const latestRelease = provenance.extend({
  ecosystem: z.enum(['pypi', 'apt', 'source', 'binary']),
  name: z.string(),
  version: z.string(),
  released: isoDate.optional(),
  /** Maintained lines (`6.1` -> `6.1.6`): a pin is judged against its own line first. */
  lines: z.array(z.object({ line: z.string(), version: z.string() })).default([]),
});

/** A known advisory: the affected range is a PEP 440 specifier (FFmpeg and codec versions compare the same way). */
export const advisory = provenance.extend({
  id: z.string(),
  ecosystem: z.enum(['pypi', 'apt', 'source', 'binary']),
  package: z.string(),
  affected: z.string(),
  fixed: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'unknown']),
  summary: z.string(),
});

/** `compat.json`. */
export const compatFile = z.object({
  description: z.string(),
  torch: z.array(torchRelease),
  torchRules,
  channels: z.array(torchChannel),
  openvinoBundles: z.array(openvinoBundle),
  pythonSupport: z.array(pythonSupport).default([]),
  latest: z.array(latestRelease),
  advisories: z.array(advisory),
});

/** The compatibility knowledge. */
export type CompatKnowledge = z.infer<typeof compatFile>;
/** One torch release row. */
export type TorchRelease = z.infer<typeof torchRelease>;
/** One torch channel. */
export type TorchChannel = z.infer<typeof torchChannel>;
/** One newest-release fact. */
export type LatestRelease = z.infer<typeof latestRelease>;
/** One advisory. */
export type Advisory = z.infer<typeof advisory>;
/** One onnxruntime-openvino bundle fact. */
export type OpenvinoBundle = z.infer<typeof openvinoBundle>;

/** A GitHub-hosted runner label (`ubuntu-24.04-arm`). */
export const runnerLabel = provenance.extend({ label: z.string().min(1) });

/** A `permissions:` scope GitHub accepts (`attestations`). */
export const permissionScope = provenance.extend({ scope: z.string().regex(/^[a-z][a-z-]*$/) });

/** A key GitHub accepts in a workflow section (`queue` under `concurrency`), with the day it arrived. */
export const workflowKey = provenance.extend({ section: z.string(), key: z.string(), since: isoDate });

/** An input an action major gained after a given day (`allow-unsafe-pr-checkout` of actions/checkout v4). */
export const actionInput = provenance.extend({
  action: z.string().regex(/^[a-z0-9][a-z0-9-]*\/[a-z0-9._-]+$/),
  majors: z.array(z.number().int().nonnegative()),
  input: z.string(),
  since: isoDate,
});

/** `workflow-syntax.json`: workflow syntax newer than the embedded actionlint. */
export const workflowSyntaxFile = z.object({
  description: z.string(),
  runnerLabels: z.array(runnerLabel),
  permissionScopes: z.array(permissionScope),
  keys: z.array(workflowKey).default([]),
  actionInputs: z.array(actionInput).default([]),
});

/** The workflow syntax knowledge. */
export type WorkflowSyntax = z.infer<typeof workflowSyntaxFile>;
