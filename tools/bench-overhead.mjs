#!/usr/bin/env node
/**
 * `npm run bench:overhead`: the CPU time `baseimg bench` itself spends (reading the progress stream,
 * mapping steps to lines, statistics, history, writing the record) as a share of the wall time of
 * the builds it measures. Target: under 2 %.
 *
 * Builds a small multi-stage `FROM scratch` image (busybox-static) on the real engine: one cold run,
 * WARM warm-noop and WARM warm-late-change runs, without the archive analysis and tests (they run
 * outside the timed builds and are measured by their own benches). The figure is this process's
 * user + system CPU time over the same interval; the docker client and the engine run in other
 * processes and are not counted. These builds last about a second each, far shorter than a real
 * image's, so the share printed is a worst case; the per-build cost line says from which build
 * length the target holds. Figures, not assertions: nothing here fails on a slow machine.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const WARM = Number(process.env.WARM ?? 3);
const { findEngine } = await import(join(root, 'dist', 'engine', 'docker.js'));
const { runBench } = await import(join(root, 'dist', 'engine', 'bench.js'));
const { parseDockerfile } = await import(join(root, 'dist', 'parse', 'dockerfile.js'));
const { initShellParser } = await import(join(root, 'dist', 'parse', 'shell.js'));
const { readFileSync } = await import('node:fs');

let engine;
try {
  engine = await findEngine();
} catch (error) {
  console.error(`bench:overhead needs a Docker engine: ${error.message}`);
  process.exit(2);
}
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path));
if (!busybox) {
  console.error('bench:overhead needs busybox-static (/bin/busybox)');
  process.exit(2);
}

const context = mkdtempSync(join(tmpdir(), 'baseimg-overhead-'));
try {
  copyFileSync(join(root, 'test', 'fixtures', 'engine', 'busybox', 'Dockerfile'), join(context, 'Dockerfile'));
  copyFileSync(busybox, join(context, 'busybox'));
  writeFileSync(join(context, 'input.txt'), 'hello\n');
  await initShellParser();
  const dockerfile = parseDockerfile('Dockerfile', readFileSync(join(context, 'Dockerfile'), 'utf8'));
  const variant = { family: 'overhead', label: 'run', dockerfilePath: join(context, 'Dockerfile'), contextPath: context, dockerfile, target: null, test: null, changeFile: join(context, 'input.txt') };

  const cpuBefore = process.cpuUsage();
  const wallStart = performance.now();
  const [record] = await runBench(engine, [variant], {
    root: context, coldRuns: 1, warmRuns: WARM, prune: false, lateChange: true, keep: false,
    network: process.env.NETWORK ?? 'host', platform: null, buildArgs: {}, analysis: false, tests: false,
  });
  const totalWall = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const builds = record.scenarios.flatMap((scenario) => scenario.runs);
  const buildWall = builds.reduce((sum, run) => sum + run.wallSeconds, 0);

  console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; engine ${engine.engineVersion} (${engine.mode}, ${engine.storageDriver})`);
  console.log(`status: ${record.status}${record.reason ? ` (${record.reason})` : ''}`);
  console.log(`builds: ${builds.length}, build wall time ${buildWall.toFixed(2)} s, bench wall time ${totalWall.toFixed(2)} s`);
  console.log(`bench CPU time (this process, user + system): ${cpuSeconds.toFixed(3)} s`);
  console.log(`overhead: ${((cpuSeconds / buildWall) * 100).toFixed(2)} % of build wall time (target < 2 %)`);
  // The cost is per build (spawning the client, reading its stream, inspect/history), not per
  // second of build, so the share falls as builds get longer; say from which length it meets the target.
  const perBuild = cpuSeconds / builds.length;
  console.log(`per build: ${perBuild.toFixed(3)} s CPU; under 2 % for builds of ${(perBuild / 0.02).toFixed(1)} s or longer`);
} finally {
  rmSync(context, { recursive: true, force: true });
}
