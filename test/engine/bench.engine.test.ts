/**
 * `baseimg bench` on the real engine: a `FROM scratch` busybox image, and a Debian-rooted proxy of an
 * edge image in a 'before' and an 'after' version. Small images and few runs, because vfs storage
 * copies the whole root filesystem for every layer.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runBench, type BenchOptions, type BenchVariant } from '../../src/engine/bench.js';
import { inspectImage, removeImages, removeUntagged } from '../../src/engine/docker.js';
import type { RunRecord } from '../../src/engine/record.schema.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';
import { runProcess } from '../../src/tools/process.js';
import { captureIo, tempRepo } from '../helpers.js';
import { busyboxContext, debianBase, engine } from './engine-env.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'engine');

async function variant(root: string, dockerfile: string, label: string, extra: Partial<BenchVariant> = {}): Promise<BenchVariant> {
  await initShellParser();
  const path = join(root, dockerfile);
  return {
    family: 'engine-test',
    label,
    dockerfilePath: path,
    contextPath: root,
    dockerfile: parseDockerfile(dockerfile, await readFile(path, 'utf8')),
    target: null,
    test: null,
    changeFile: join(root, 'input.txt'),
    combination: null,
    ...extra,
  };
}

function options(root: string, extra: Partial<BenchOptions> = {}): BenchOptions {
  return {
    root, coldRuns: 1, warmRuns: 1, prune: false, lateChange: true, keep: false, network: 'host', platform: null,
    buildArgs: {}, analysis: true, tests: true, ...extra,
  };
}

describe.skipIf(engine === null)('bench on a real engine', { timeout: 600_000 }, () => {
  const client = engine?.client ?? 'docker';
  let context: { root: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    context = await busyboxContext();
  });
  afterAll(async () => {
    await context.cleanup();
  });

  it('measures a FROM scratch multi-stage image: cold, warm, late change restored, layers on lines', async () => {
    if (!engine) return;
    const input = join(context.root, 'input.txt');
    const before = { bytes: readFileSync(input), mtime: statSync(input).mtimeMs };
    const [record] = await runBench(engine, [await variant(context.root, 'Dockerfile', 'scratch')], options(context.root, { warmRuns: 2, keep: true }));
    expect(record?.status).toBe('ok');
    const scenarios = Object.fromEntries((record?.scenarios ?? []).map((scenario) => [scenario.name, scenario]));
    expect(scenarios['warm-noop']?.runs.map((run) => run.cache.cached)).toEqual([6, 6]);
    expect(scenarios['warm-noop']?.wallSeconds.n).toBe(2);
    // The late change hits the build stage's COPY: it and the two steps after it run again.
    for (const run of scenarios['warm-late-change']?.runs ?? []) {
      expect(run.steps.filter((step) => step.kind === 'dockerfile' && step.status === 'done').map((step) => step.line)).toEqual([6, 7, 11]);
      expect(run.changedFile).toBe('input.txt');
    }
    expect(readFileSync(input)).toEqual(before.bytes);
    expect(statSync(input).mtimeMs).toBeCloseTo(before.mtime, 2);
    expect(record?.image?.layers.map((layer) => layer.line)).toEqual([10, 11, 12]);
    // The measured image is the one of the restored inputs: its result file has no late-change line.
    expect(record?.image?.layers[1]?.sizeBytes).toBe(6);
    expect(record?.image?.sizeBytes).toBeGreaterThan(1_000_000);

    // The recorded hits are BuildKit's own: a plain build of the same context prints the same CACHED lines.
    const plain = await runProcess(client, ['build', '--progress=plain', '--network', 'host', '-t', record?.image?.reference ?? 'x', context.root], { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    const cachedLines = plain.stderr.split('\n').filter((line) => /^#\d+ CACHED$/.test(line)).length;
    expect(cachedLines).toBe(scenarios['warm-noop']?.runs[0]?.cache.allVerticesCached);
    await removeImages(engine, [record?.image?.reference ?? '']);
    await removeUntagged(engine, (record?.scenarios ?? []).flatMap((scenario) => scenario.runs.map((run) => run.imageId ?? '')).filter(Boolean));
    expect(await inspectImage(engine, record?.image?.reference ?? '')).toBeNull();
  });

  it('writes a failed record, restores the input and removes the image when interrupted mid-build', async () => {
    if (!engine) return;
    const input = join(context.root, 'input.txt');
    const original = readFileSync(input);
    const controller = new AbortController();
    let lateChange = false;
    const [record] = await runBench(engine, [await variant(context.root, 'Dockerfile', 'interrupted')], options(context.root, {
      signal: controller.signal,
      progress: (line) => {
        lateChange ||= line.includes('warm-late-change run 1');
      },
      onStep: () => {
        if (lateChange) {
          expect(readFileSync(input)).not.toEqual(original);
          controller.abort();
        }
      },
    }));
    expect(record).toMatchObject({ status: 'failed', reason: 'interrupted', image: null });
    expect(readFileSync(input)).toEqual(original);
    const images = await runProcess(client, ['images', '--format', '{{.Repository}}:{{.Tag}}', 'baseimg-bench/engine-test']);
    expect(images.stdout).not.toMatch(/interrupted-/);
  });

  it('marks the record failed with the failing step when the build breaks', async () => {
    if (!engine) return;
    await writeFile(join(context.root, 'Dockerfile.fail'), readFileSync(join(fixtures, 'plain', 'failing.Dockerfile')));
    const [record] = await runBench(engine, [await variant(context.root, 'Dockerfile.fail', 'broken', { changeFile: null })], options(context.root));
    expect(record?.status).toBe('failed');
    expect(record?.reason).toMatch(/^cold build failed: \[2\/2\] RUN .*exit code: 3/);
    expect(record?.scenarios.map((scenario) => scenario.name)).toEqual(['cold']);
  });

  it('runs the ad-hoc CLI form end to end: a JSON record on stdout that validates, the record file, the image test', async () => {
    const out = await mkdtemp(join(tmpdir(), 'baseimg-runs-'));
    try {
      const io = captureIo();
      const code = await main(['bench', '--docker', client, '--dockerfile', join(context.root, 'Dockerfile'), '--context', context.root, '--label', 'cli',
        '--warm', '1', '--network', 'host', '--format', 'json', '--out', out, '--test', `${client} run --rm --network none IMAGE`], io);
      expect(io.err).toContain('wrote');
      expect(code).toBe(0);
      const record = JSON.parse(io.out) as RunRecord;
      const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'run-record.schema.json'), 'utf8')) as object;
      const validate = new Ajv2020({ strict: false }).compile(schema);
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
      expect(record.tests).toMatchObject([{ ok: true, exitCode: 0 }]);
      expect(record.tests[0]?.outputTail).toBe('hello\n');
      const files = await readdir(out);
      expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z-.*-cli\.json$/)]);
      expect(JSON.parse(await readFile(join(out, files[0] ?? ''), 'utf8'))).toEqual(record);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('benches a configured family: its test command, its requirements file as the late change, the record under .baseimg/runs', async () => {
    const repo = await tempRepo({
      'baseimg.config.json': JSON.stringify({ families: { tiny: { dockerfile: 'image/Dockerfile', context: 'image', requirements: ['image/input.txt'], test: `${client} run --rm --network none IMAGE` } } }),
      'image/Dockerfile': readFileSync(join(fixtures, 'busybox', 'Dockerfile'), 'utf8'),
      'image/busybox': readFileSync(['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path)) ?? '/bin/busybox'),
      'image/input.txt': 'family\n',
    });
    try {
      await chmod(join(repo.root, 'image', 'busybox'), 0o755);
      const io = captureIo();
      const code = await main(['bench', 'tiny', '--root', repo.root, '--docker', client, '--label', 'before', '--warm', '1', '--network', 'host', '--no-analysis'], io);
      expect(io.err).not.toContain('internal error');
      expect(code, io.out).toBe(0);
      expect(io.out).toMatch(/^tiny before: ok\n {2}cold {14}median/);
      const files = await readdir(join(repo.root, '.baseimg', 'runs'));
      expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z-tiny-before\.json$/)]);
      const record = JSON.parse(await readFile(join(repo.root, '.baseimg', 'runs', files[0] ?? ''), 'utf8')) as RunRecord;
      expect(record.scenarios.find((scenario) => scenario.name === 'warm-late-change')?.runs[0]?.changedFile).toBe('image/input.txt');
      expect(record.tests[0]).toMatchObject({ ok: true, outputTail: 'family\n' });
      expect(record.image?.analysisError).toBe('skipped (--no-analysis)');
      // The record carries the matrix fingerprint of the family, so `baseimg matrix` can cite it.
      const matrixIo = captureIo();
      expect(await main(['matrix', repo.root, '--format', 'json'], matrixIo)).toBe(0);
      const matrix = JSON.parse(matrixIo.out) as { families: { family: string; combination: string }[] };
      expect(record.combination).toBe(matrix.families.find((family) => family.family === 'tiny')?.combination);
      expect(record.combination).toEqual(expect.any(String));
    } finally {
      await repo.cleanup();
    }
  });

  it('shows the after proxy smaller, with less waste and less rebuild work after a late source change', async () => {
    if (!engine) return;
    const base = await debianBase(client);
    const root = await mkdtemp(join(tmpdir(), 'baseimg-proxy-'));
    try {
      await cp(join(fixtures, 'proxy'), root, { recursive: true });
      // A late change to the sources (not the package list): on vfs storage, where every cache
      // mount use is a full snapshot copy, apt cache mounts do not pay off for a two-package list,
      // so the package-list rebuild is no stable signal here; the work after a source change is.
      const change = { changeFile: join(root, 'context', 'src', 'README.txt'), test: `${client} run --rm --network none IMAGE` };
      const pair = [
        { ...(await variant(root, 'before/Dockerfile', 'before', change)), contextPath: join(root, 'context') },
        { ...(await variant(root, 'after/Dockerfile', 'after', change)), contextPath: join(root, 'context') },
      ];
      const [before, after] = await runBench(engine, pair, options(root, { buildArgs: { BASE: base } }));
      expect(before?.status, before?.reason ?? '').toBe('ok');
      expect(after?.status, after?.reason ?? '').toBe('ok');
      expect(before?.baseImages).toEqual([{ reference: base, presentBeforeCold: true }]);
      const late = (record: RunRecord | undefined) => record?.scenarios.find((scenario) => scenario.name === 'warm-late-change')?.runs[0];
      // FROM of a local base prints DONE or CACHED depending on whether it was re-resolved; not work.
      const executed = (record: RunRecord | undefined) => late(record)?.steps.filter((step) => step.kind === 'dockerfile' && step.status === 'done' && !step.instruction?.startsWith('FROM')) ?? [];
      for (const [record, sourceCopy] of [[before, 7], [after, 9]] as const) {
        expect(record?.tests[0]?.outputTail).toContain('hello from the edge proxy');
        // The sources changed: their COPY ran again, the apt step (line 6) stayed cached.
        expect(late(record)?.steps.find((step) => step.line === sourceCopy)?.status).toBe('done');
        expect(late(record)?.steps.find((step) => step.line === 6)?.status).toBe('cached');
        // Nothing changed: the apt step is a hit. (A local base's FROM may print DONE instead of
        // CACHED after the other variant's --no-cache build re-resolved it.)
        const noop = record?.scenarios.find((scenario) => scenario.name === 'warm-noop');
        const missed = noop?.runs[0]?.steps.filter((step) => step.kind === 'dockerfile' && step.status !== 'cached').map((step) => step.name);
        expect(noop?.runs[0]?.steps.find((step) => step.line === 6)?.status, `not cached: ${JSON.stringify(missed)}`).toBe('cached');
      }
      expect(after?.image?.sizeBytes).toBeLessThan(before?.image?.sizeBytes ?? 0);
      // 'before' re-runs the whole-prefix copy and its cleanup layer; in 'after' the copied binary
      // did not change, so its COPY --from is a cache hit.
      expect(executed(after).map((step) => step.line)).toEqual([9, 10]);
      expect(executed(before).map((step) => step.line)).toEqual([7, 8, 12, 13]);
      const work = (record: RunRecord | undefined) => executed(record).reduce((sum, step) => sum + (step.durationSeconds ?? 0), 0);
      expect(work(after)).toBeLessThan(work(before));
      if (before?.image?.analysis && after?.image?.analysis) {
        expect(after.image.analysis.wastedBytes).toBeLessThan(before.image.analysis.wastedBytes);
        expect(after.image.analysis.finalBytes).toBeLessThan(before.image.analysis.finalBytes);
      } else {
        // Without src/image/analyze.ts the record says why the archive analysis is missing.
        expect(before?.image?.analysisError).toMatch(/not available/);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('bench without an engine', () => {
  it('refuses --compare outside a git repository with a one-line reason', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baseimg-nogit-'));
    try {
      await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY a /a\n');
      const io = captureIo();
      const code = await main(['bench', '--root', root, '--dockerfile', join(root, 'Dockerfile'), '--compare', 'HEAD', '--docker', join(root, 'no-such-docker')], io);
      expect(code).toBe(2);
      expect(io.err).toMatch(/^baseimg: --compare needs a git repository: .* is not in one\n$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('exits 2 with a one-line reason when no engine answers', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baseimg-noengine-'));
    try {
      await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY a /a\n');
      const io = captureIo();
      const code = await main(['bench', '--docker', join(root, 'no-such-docker'), '--dockerfile', join(root, 'Dockerfile')], io);
      expect(code).toBe(2);
      expect(io.err.trim().split('\n')).toEqual([expect.stringMatching(/^baseimg: no Docker engine reachable \(.*no-such-docker: not found\)$/)]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
