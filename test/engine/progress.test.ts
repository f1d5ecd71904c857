/**
 * Progress parsers, step-to-line mapping and history mapping, on real plain output captured from
 * Docker 20.10's embedded BuildKit and on a rawjson sample written from the documented format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyKeyword, mapHistory, summarize } from '../../src/engine/bench.js';
import { buildCommand, parseHistory, type Engine } from '../../src/engine/docker.js';
import { parsePlainProgress } from '../../src/engine/progress-plain.js';
import { parseRawJsonProgress } from '../../src/engine/progress-rawjson.js';
import { cacheSummary, classifyVertex, mapStepsToLines } from '../../src/engine/steps.js';
import { parseDockerfile, type Dockerfile } from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'engine');
const read = (path: string): string => readFileSync(join(fixtures, path), 'utf8');

let multistage: Dockerfile;
beforeAll(async () => {
  await initShellParser();
  multistage = parseDockerfile('multistage.Dockerfile', read('plain/multistage.Dockerfile'));
});

describe('vertex names', () => {
  it.each([
    ['[2/4] RUN apt-get update', { kind: 'dockerfile', stage: null, platform: null, stepIndex: 2, stepCount: 4, instruction: 'RUN apt-get update' }],
    ['[builder 2/5] RUN make', { kind: 'dockerfile', stage: 'builder', platform: null, stepIndex: 2, stepCount: 5, instruction: 'RUN make' }],
    ['[linux/amd64 builder 2/5] RUN make', { kind: 'dockerfile', stage: 'builder', platform: 'linux/amd64', stepIndex: 2, stepCount: 5, instruction: 'RUN make' }],
    ['[linux/arm64 3/9] COPY . .', { kind: 'dockerfile', stage: null, platform: 'linux/arm64', stepIndex: 3, stepCount: 9, instruction: 'COPY . .' }],
    ['[ 3/12] RUN true', { kind: 'dockerfile', stage: null, platform: null, stepIndex: 3, stepCount: 12, instruction: 'RUN true' }],
    ['[internal] load build context', { kind: 'internal', stage: null, stepIndex: null }],
    ['exporting to image', { kind: 'exporter', stage: null, stepIndex: null }],
  ])('%s', (name, expected) => {
    expect(classifyVertex(name)).toMatchObject(expected);
  });
});

describe('plain progress (real Docker 20.10 output)', () => {
  it('reads a cold multi-stage build: names, digests, durations, the one dedup hit', () => {
    const steps = parsePlainProgress(read('plain/multistage-cold.txt'));
    expect(steps.map((step) => step.name)).toContain('[build 2/2] RUN mkdir -p /out && cat /src/input.txt > /out/result.txt && sleep 1');
    const run = steps.find((step) => step.instruction?.startsWith('RUN mkdir'));
    expect(run).toMatchObject({ stage: 'build', status: 'done', durationSeconds: 1.1, digest: 'sha256:51bf76bc63c201ab6e56349a96d0a7d303d155e1b0b383ec12862330d03cd6d4' });
    expect(steps.find((step) => step.name === 'exporting to image')).toMatchObject({ kind: 'exporter', status: 'done', durationSeconds: 0.5 });
    expect(cacheSummary(steps)).toMatchObject({ dockerfileSteps: 6, cached: 1, executed: 5, failed: 0, allVertices: 10 });
  });

  it('counts every Dockerfile step cached on a no-change rebuild', () => {
    const summary = cacheSummary(parsePlainProgress(read('plain/multistage-warm.txt')));
    expect(summary).toMatchObject({ dockerfileSteps: 6, cached: 6, executed: 0, hitRate: 1 });
  });

  it('sees the late change invalidate the COPY and everything after it', () => {
    const steps = parsePlainProgress(read('plain/multistage-late-change.txt'));
    const executed = steps.filter((step) => step.kind === 'dockerfile' && step.status === 'done').map((step) => step.name);
    expect(executed).toEqual([
      '[build 1/2] COPY input.txt /src/input.txt',
      '[build 2/2] RUN mkdir -p /out && cat /src/input.txt > /out/result.txt && sleep 1',
      '[stage-2 2/2] COPY --from=build /out/result.txt /result.txt',
    ]);
  });

  it('keeps the failing step, its error and no duration', () => {
    const steps = parsePlainProgress(read('plain/failing.txt'));
    const failed = steps.find((step) => step.status === 'error');
    expect(failed?.name).toBe('[2/2] RUN ["/bin/busybox", "sh", "-c", "echo line one; echo line two >&2; exit 3"]');
    expect(failed?.error).toMatch(/exit code: 3$/);
    expect(failed?.durationSeconds).toBeNull();
    expect(cacheSummary(steps).failed).toBe(1);
  });

  it('maps every step to its Dockerfile line, unnamed stages and --from copies included', () => {
    const steps = parsePlainProgress(read('plain/multistage-cold.txt')).filter((step) => step.kind === 'dockerfile');
    mapStepsToLines(steps, multistage);
    expect(Object.fromEntries(steps.map((step) => [step.name, step.line]))).toEqual({
      '[tools 1/2] COPY busybox /bin/busybox': 2,
      '[tools 2/2] RUN ["/bin/busybox", "--install", "-s", "/bin"]': 3,
      '[build 1/2] COPY input.txt /src/input.txt': 6,
      '[build 2/2] RUN mkdir -p /out && cat /src/input.txt > /out/result.txt && sleep 1': 7,
      '[stage-2 1/2] COPY --from=tools /bin/busybox /bin/busybox': 10,
      '[stage-2 2/2] COPY --from=build /out/result.txt /result.txt': 11,
    });
  });
});

describe('rawjson progress (synthetic, from the documented format)', () => {
  const steps = parseRawJsonProgress(read('rawjson/synthetic-documented-format.jsonl'));
  const byName = (prefix: string) => steps.find((step) => step.name.startsWith(prefix));

  it('merges events by digest and takes cached steps as zero-length', () => {
    expect(steps).toHaveLength(6);
    expect(byName('[builder 1/4] FROM')).toMatchObject({ status: 'cached', durationSeconds: 0 });
    expect(byName('[builder 2/4] RUN apt-get update')).toMatchObject({ status: 'done', durationSeconds: 7.7, startedAt: '2026-01-01T10:00:00.200000000Z' });
  });

  it('sums the intervals of a vertex that ran twice', () => {
    expect(byName('[builder 4/4]')?.durationSeconds).toBeCloseTo(1.5, 6);
  });

  it('keeps errors and the non-JSON closing line out of the steps', () => {
    expect(byName('[stage-1 2/2]')).toMatchObject({ status: 'error', error: 'failed to compute cache key: "/src/out" not found' });
    expect(cacheSummary(steps)).toMatchObject({ dockerfileSteps: 5, cached: 2, executed: 2, failed: 1 });
  });

  it('maps FROM and stage steps to lines', async () => {
    const dockerfile = parseDockerfile('d', read('rawjson/synthetic-documented-format.Dockerfile'));
    mapStepsToLines(steps, dockerfile);
    expect(steps.filter((step) => step.kind === 'dockerfile').map((step) => step.line)).toEqual([1, 2, 3, 4, 7]);
  });
});

describe('docker history', () => {
  it('reads real 20.10 rows oldest first with byte sizes and maps them to lines', () => {
    const rows = parseHistory(read('history-20.10.jsonl'));
    expect(rows.map((row) => row.sizeBytes)).toEqual([1982256, 8, 0]);
    const layers = mapHistory(rows, multistage, null);
    expect(layers.map((layer) => [layer.line, layer.origin])).toEqual([[10, 'dockerfile'], [11, 'dockerfile'], [12, 'dockerfile']]);
  });

  it('leaves base-image rows unmapped', async () => {
    const dockerfile = parseDockerfile('d', 'FROM debian:bookworm\nENV A=1\nRUN true\n');
    const rows = [
      { createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', sizeBytes: 100, comment: '' },
      { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', sizeBytes: 0, comment: '' },
      { createdBy: 'ENV A=1', sizeBytes: 0, comment: 'buildkit.dockerfile.v0' },
      { createdBy: 'RUN /bin/sh -c true # buildkit', sizeBytes: 5, comment: 'buildkit.dockerfile.v0' },
    ];
    expect(mapHistory(rows, dockerfile, null).map((layer) => [layer.line, layer.origin])).toEqual([[null, 'base'], [null, 'base'], [2, 'dockerfile'], [3, 'dockerfile']]);
  });

  it.each([
    ['RUN /bin/sh -c apt-get update # buildkit', 'RUN'],
    ['|2 A=1 B=2 /bin/sh -c make', 'RUN'],
    ['/bin/sh -c #(nop)  CMD ["bash"]', 'CMD'],
    ['COPY /out /out # buildkit', 'COPY'],
    ['', null],
  ])('keyword of %j is %s', (createdBy, keyword) => {
    expect(historyKeyword(createdBy)).toBe(keyword);
  });
});

describe('statistics and commands', () => {
  it('gives min, median and max with the raw samples', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, min: 1, median: 2, max: 3, samples: [3, 1, 2] });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
    expect(summarize([])).toMatchObject({ n: 0, min: null, median: null });
  });

  const engine = (mode: Engine['mode']): Engine => ({
    client: 'docker', clientVersion: null, endpoint: null, engineVersion: null, apiVersion: null, storageDriver: null,
    mode, builder: mode === 'buildx' ? 'ci' : null, builderDriver: null, buildxVersion: null, buildkitVersion: null, warnings: [],
  });
  const request = { dockerfile: 'Dockerfile', context: '.', tag: 't', noCache: true, target: 'runtime', network: 'host', platform: 'linux/amd64', buildArgs: { A: '1' } };
  const files = { iidfile: '/tmp/iid', metadataFile: '/tmp/meta.json' };

  it('builds with buildx, rawjson, a metadata file and --load when the plugin answers', () => {
    const { args } = buildCommand(engine('buildx'), request, files);
    expect(args.slice(0, 7)).toEqual(['buildx', 'build', '--builder', 'ci', '--load', '--progress=rawjson', '--metadata-file']);
    expect(args).toEqual(expect.arrayContaining(['--no-cache', '--target', 'runtime', '--network', 'host', '--platform', 'linux/amd64', '--build-arg', 'A=1']));
  });

  it('builds with DOCKER_BUILDKIT=1 and plain progress on a classic client, and without BuildKit as the last resort', () => {
    expect(buildCommand(engine('buildkit'), request, files)).toMatchObject({ args: expect.arrayContaining(['build', '--progress=plain']), env: { DOCKER_BUILDKIT: '1' } });
    const legacy = buildCommand(engine('legacy'), request, files);
    expect(legacy.env).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(legacy.args).not.toContain('--progress=plain');
  });
});
