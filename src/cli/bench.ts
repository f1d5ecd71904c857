/**
 * `baseimg bench`: flags -> engine -> scenarios -> run records. Two forms: configured families
 * (`baseimg bench [FAMILY...]`) and an ad-hoc Dockerfile (`--dockerfile PATH --context DIR`, twice for
 * a before/after pair). Records go to `.baseimg/runs/`; `--format json` also prints them on stdout,
 * with human progress on stderr. Exit 0 when every build and image test passed, 1 when one failed or
 * the run was interrupted (a partial record marked failed is still written), 2 without an engine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, defaultChangeFile, writeRecord, type BenchVariant } from '../engine/bench.js';
import { findEngine } from '../engine/docker.js';
import type { RunRecord } from '../engine/record.schema.js';
import type { BuildStep } from '../engine/steps.js';
import { InputError, UsageError } from '../errors.js';
import { parseDockerfile, type Dockerfile } from '../parse/dockerfile.js';
import { initShellParser } from '../parse/shell.js';
import { discover } from '../repo/discover.js';
import { loadKnowledge } from '../knowledge/index.js';
import { buildMatrix } from '../report/matrix.js';
import { runProcess } from '../tools/process.js';
import type { Io } from './main.js';

const OPTIONS = {
  label: { type: 'string', short: 'l' },
  dockerfile: { type: 'string', short: 'f', multiple: true },
  context: { type: 'string', multiple: true },
  family: { type: 'string' },
  target: { type: 'string' },
  test: { type: 'string' },
  change: { type: 'string' },
  warm: { type: 'string' },
  cold: { type: 'string' },
  prune: { type: 'boolean', default: false },
  'no-late-change': { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  docker: { type: 'string' },
  builder: { type: 'string' },
  network: { type: 'string' },
  platform: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  config: { type: 'string', short: 'c' },
  root: { type: 'string', default: '.' },
  'no-analysis': { type: 'boolean', default: false },
  'no-tests': { type: 'boolean', default: false },
  compare: { type: 'string' },
} as const;

/**
 * The 'before' variant for `--compare REF`: the repository as committed at REF, exported with
 * `git archive` into a temporary folder (read-only for the repository: no checkout, no worktree),
 * and the same Dockerfile and context paths inside it. The working tree is the 'after' variant.
 */
async function compareVariant(root: string, after: BenchVariant, ref: string, label: string | null): Promise<{ variant: BenchVariant; cleanup: () => Promise<void> }> {
  const top = await runProcess('git', ['rev-parse', '--show-toplevel'], { cwd: root, timeoutMs: 10_000 }).catch(() => null);
  if (!top || top.code !== 0) {
    throw new UsageError(`--compare needs a git repository: ${root} is not in one`);
  }
  const gitRoot = top.stdout.trim();
  const folder = await mkdtemp(join(tmpdir(), 'baseimg-compare-'));
  const exported = await runProcess('sh', ['-c', 'git -C "$1" archive --format=tar "$2" | tar -x -C "$3"', 'sh', gitRoot, ref, folder], { timeoutMs: 10 * 60_000 });
  if (exported.code !== 0) {
    await rm(folder, { recursive: true, force: true });
    throw new UsageError(`--compare ${ref}: git archive failed: ${exported.stderr.trim().split('\n')[0] ?? ''}`);
  }
  const inside = (path: string): string => join(folder, relative(gitRoot, path));
  const dockerfilePath = inside(after.dockerfilePath);
  const dockerfile = await readDockerfile(dockerfilePath, `${ref}:${relative(gitRoot, after.dockerfilePath)}`);
  after.label = `${label === null ? '' : `${label}-`}after`;
  return {
    variant: {
      ...after,
      label: `${label === null ? '' : `${label}-`}before`,
      dockerfilePath,
      contextPath: inside(after.contextPath),
      dockerfile,
      changeFile: after.changeFile === null ? null : inside(after.changeFile),
      // The matrix describes the working tree, not REF.
      combination: null,
    },
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}

function count(value: string | undefined, flag: string, fallback: number, minimum: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) {
    throw new UsageError(`--${flag} takes a whole number >= ${minimum}, got "${value}"`);
  }
  return parsed;
}

function buildArgs(values: string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0) {
      throw new UsageError(`--build-arg takes KEY=VALUE, got "${value}"`);
    }
    result[value.slice(0, at)] = value.slice(at + 1);
  }
  return result;
}

async function readDockerfile(path: string, display: string): Promise<Dockerfile> {
  let text: string;
  await initShellParser();
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError('cannot read the Dockerfile', display);
  }
  return parseDockerfile(display, text);
}

/** Parses `bench` flags, runs the scenarios, writes and prints the records, returns the exit code. */
export async function benchCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format takes text or json for bench, got "${values.format}"`);
  }
  const root = resolve(values.root);
  const dockerfiles = values.dockerfile ?? [];
  const contexts = values.context ?? [];
  const label = values.label ?? (dockerfiles.length === 2 || values.compare !== undefined ? null : 'run');
  const variants: BenchVariant[] = [];

  if (dockerfiles.length > 0) {
    if (positionals.length > 0) {
      throw new UsageError('give either family names or --dockerfile, not both');
    }
    if (dockerfiles.length > 2) {
      throw new UsageError(`--dockerfile may be given once, or twice for a before/after pair; got ${dockerfiles.length}`);
    }
    if (contexts.length > dockerfiles.length) {
      throw new UsageError('give one --context, or one per --dockerfile');
    }
    for (const [index, file] of dockerfiles.entries()) {
      const dockerfilePath = resolve(file);
      const contextPath = resolve(contexts[index] ?? contexts[0] ?? dirname(dockerfilePath));
      const dockerfile = await readDockerfile(dockerfilePath, file);
      const variantLabel = dockerfiles.length === 2 ? `${label === null ? '' : `${label}-`}${index === 0 ? 'before' : 'after'}` : (label ?? 'run');
      variants.push({
        family: values.family ?? (basename(dirname(dockerfilePath)) || 'image'),
        label: variantLabel,
        dockerfilePath,
        contextPath,
        dockerfile,
        target: values.target ?? null,
        test: values.test ?? null,
        changeFile: values.change ? resolve(values.change) : defaultChangeFile(dockerfile, contextPath),
        combination: null,
      });
    }
  } else {
    const repo = await discover(root, values.config ? { configPath: values.config } : {});
    const families = positionals.length > 0 ? positionals.map((name) => {
      const family = repo.families.find((candidate) => candidate.name === name);
      if (!family) {
        throw new UsageError(`unknown family "${name}" (known: ${repo.families.map((candidate) => candidate.name).join(', ') || 'none'})`);
      }
      return family;
    }) : repo.families;
    if (families.length === 0) {
      throw new UsageError(`no image families in ${values.root}: configure families in baseimg.config, or use --dockerfile`);
    }
    const matrix = buildMatrix(repo, loadKnowledge());
    for (const family of families) {
      const entry = repo.dockerfiles.find((candidate) => candidate.dockerfile.path === family.dockerfile);
      const dockerfilePath = join(root, family.dockerfile);
      const contextPath = join(root, family.context);
      const dockerfile = entry?.dockerfile ?? await readDockerfile(dockerfilePath, family.dockerfile);
      variants.push({
        family: family.name,
        label: label ?? 'run',
        dockerfilePath,
        contextPath,
        dockerfile,
        target: values.target ?? family.target,
        test: values.test ?? family.test,
        changeFile: values.change ? resolve(values.change) : defaultChangeFile(dockerfile, contextPath, family.requirements.map((path) => join(root, path))),
        combination: matrix.families.find((candidate) => candidate.family === family.name)?.combination ?? null,
      });
    }
  }

  let cleanupCompare = async (): Promise<void> => undefined;
  if (values.compare !== undefined) {
    if (variants.length !== 1) {
      throw new UsageError('--compare takes one family or one --dockerfile (it benches that image at REF against the working tree)');
    }
    const compared = await compareVariant(root, variants[0] as BenchVariant, values.compare, label);
    variants.unshift(compared.variant);
    cleanupCompare = compared.cleanup;
  }

  const engine = await findEngine({ ...(values.docker ? { docker: values.docker } : {}), ...(values.builder ? { builder: values.builder } : {}) });
  for (const warning of engine.warnings) {
    io.stderr(`baseimg: warning: ${warning}\n`);
  }
  io.stderr(`baseimg: engine ${engine.engineVersion ?? '?'} via ${engine.client} (${engine.mode}${engine.builder ? `, builder ${engine.builder}` : ''})\n`);

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C means "now": the exit hook still restores an edited build input.
      process.exit(130);
    }
    io.stderr(`\nbaseimg: ${signal}: stopping the build, cleaning up and writing a partial record\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const live = io.isTTY && !process.env.CI;
  let lastStatus = '';
  const progress = (line: string): void => {
    io.stderr(live && lastStatus ? `\r\x1b[K${line}\n` : `${line}\n`);
    lastStatus = '';
  };
  const onStep = live ? (_variant: BenchVariant, step: BuildStep): void => {
    const status = `  ${step.status === 'running' ? '…' : step.status} ${step.name}`.slice(0, 100);
    if (status !== lastStatus) {
      io.stderr(`\r\x1b[K${status}`);
      lastStatus = status;
    }
  } : undefined;

  let records: RunRecord[];
  try {
    records = await runBench(engine, variants, {
      root,
      coldRuns: count(values.cold, 'cold', 1, 0),
      warmRuns: count(values.warm, 'warm', 3, 0),
      prune: values.prune,
      lateChange: !values['no-late-change'],
      keep: values.keep,
      network: values.network ?? null,
      platform: values.platform ?? null,
      buildArgs: buildArgs(values['build-arg']),
      analysis: !values['no-analysis'],
      tests: !values['no-tests'],
      signal: controller.signal,
      progress,
      ...(onStep ? { onStep } : {}),
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanupCompare();
  }

  const outDir = values.out ? resolve(values.out) : join(root, '.baseimg', 'runs');
  for (const record of records) {
    const path = await writeRecord(outDir, record);
    io.stderr(`baseimg: wrote ${path}\n`);
  }
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`);
  } else {
    io.stdout(records.map(summary).join('\n'));
  }
  return records.every((record) => record.status === 'ok') ? 0 : 1;
}

function seconds(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(2)}s`;
}

function megabytes(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${(value / 1e6).toFixed(1)} MB`;
}

/** The human summary of one record. */
function summary(record: RunRecord): string {
  const lines = [`${record.family} ${record.label}: ${record.status}${record.reason ? ` (${record.reason})` : ''}`];
  for (const scenario of record.scenarios) {
    const rate = scenario.cacheHitRate.median;
    lines.push(`  ${scenario.name.padEnd(17)} median ${seconds(scenario.wallSeconds.median)} (min ${seconds(scenario.wallSeconds.min)}, max ${seconds(scenario.wallSeconds.max)}, n=${scenario.wallSeconds.n}), cache hits ${rate === null ? '-' : `${Math.round(rate * 100)}%`}`);
  }
  if (record.image) {
    const analysis = record.image.analysis;
    lines.push(`  image ${record.image.reference}: ${megabytes(record.image.sizeBytes)}, ${record.image.layers.filter((layer) => !layer.emptyLayer).length} layers${analysis ? `, wasted ${megabytes(analysis.wastedBytes)}, efficiency ${(analysis.efficiency * 100).toFixed(1)}%` : ''}`);
  }
  for (const test of record.tests) {
    lines.push(`  test ${test.ok ? 'passed' : 'failed'} in ${test.durationSeconds.toFixed(1)}s: ${test.command}`);
  }
  for (const warning of record.warnings) {
    lines.push(`  warning: ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}
