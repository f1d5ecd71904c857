#!/usr/bin/env node
/**
 * `npm run bench:review`: wall time of `baseimg review` including Node start-up, as a user sees it.
 *
 *   plan-shaped  the plan's repository shape (2 Dockerfiles of ~230 lines, 2 workflows, 8 scripts,
 *                2 requirements files): test/fixtures/repos/plan-edge-node. Target: under 1 s with ShellCheck.
 *   100 files    100 Dockerfiles of that size: the two plan Dockerfiles 50 times each, every copy
 *                made distinct (paths and apt options numbered per copy) so that no two RUN bodies
 *                are the same and ShellCheck's de-duplication of identical bodies does not flatter
 *                the figure. Target: under 5 s.
 *   workflows    a generated repository of 20 workflows (this repository's own two, renamed per
 *                image, and the plan's simpler ones), 10 build scripts and the 10 Dockerfiles they
 *                build, every copy distinct. Reviewed with ShellCheck (scripts, RUN bodies and
 *                workflow `run:` bodies) and actionlint. Target: under 1.5 s. Run twice: with the
 *                10 Dockerfiles at full size (300 lines each), and with 10-line Dockerfiles, which
 *                isolates the workflow and script review from the Dockerfile cost the 100-file
 *                scenario measures.
 *
 * Each scenario runs once to warm the file cache, then RUNS times; min, median and max are printed
 * with the raw samples. Figures, not assertions: nothing here fails on a slow machine.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'baseimg.js');
const fixture = join(root, 'test', 'fixtures', 'repos', 'plan-edge-node');
const RUNS = Number(process.env.RUNS ?? 7);

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'review', ...args, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`review exited ${result.status}: ${result.stderr}`);
  }
  const findings = JSON.parse(result.stdout).findings.length;
  return { ms, findings };
}

function measure(label, args, targetMs) {
  time(args);
  const samples = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const sample = time(args);
    samples.push(sample.ms);
    findings = sample.findings;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const verdict = targetMs ? (median < targetMs ? `meets < ${targetMs} ms` : `MISSES < ${targetMs} ms`) : '';
  console.log(`${label.padEnd(36)} min ${sorted[0].toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  max ${sorted[sorted.length - 1].toFixed(0).padStart(5)} ms  findings ${findings}  ${verdict}`);
  console.log(`${''.padEnd(36)} samples: ${samples.map((ms) => ms.toFixed(0)).join(', ')}`);
}

/** Makes every RUN body of copy `n` differ from every other copy's. */
function distinct(text, n) {
  return text
    .replace(/\/tmp\b/g, `/tmp/copy${n}`)
    .replace(/^RUN (?!\[|<<|--)/gm, `RUN : copy ${n}; `);
}

const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
const scVersion = shellcheck.status === 0 ? /version:\s*(\S+)/.exec(shellcheck.stdout)?.[1] : null;
console.log(`baseimg review benchmark: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, shellcheck ${scVersion ?? 'not installed'}, ${RUNS} runs each`);

const many = mkdtempSync(join(tmpdir(), 'baseimg-bench-'));
const workflows = generateWorkflowRepo({ smallDockerfiles: false });
const workflowsOnly = generateWorkflowRepo({ smallDockerfiles: true });
try {
  for (let i = 0; i < 50; i++) {
    for (const family of ['cpu', 'gpu']) {
      const folder = join(many, `image_${i}_${family}`);
      mkdirSync(folder, { recursive: true });
      const text = readFileSync(join(fixture, `base_edge_node_amd64_${family}`, 'Dockerfile'), 'utf8');
      writeFileSync(join(folder, 'Dockerfile'), distinct(text, i));
      cpSync(join(fixture, `base_edge_node_amd64_${family}`, 'requirements.txt'), join(many, `base_edge_node_amd64_${family}`, 'requirements.txt'));
    }
  }
  cpSync(join(fixture, 'scripts'), join(many, 'scripts'), { recursive: true });

  // Cold: no ShellCheck result cache (--no-cache). Warm: the cache filled by the warm-up run,
  // as on a developer machine or a CI runner that keeps ~/.cache between runs.
  process.env.BASEIMG_CACHE_DIR = mkdtempSync(join(tmpdir(), 'baseimg-bench-cache-'));
  measure('plan-shaped repo, ShellCheck, cold', [fixture, '--no-cache'], 1000);
  measure('plan-shaped repo, ShellCheck, warm', [fixture], 1000);
  measure('plan-shaped repo, no ShellCheck', [fixture, '--no-shellcheck']);
  measure('100 Dockerfiles, ShellCheck, cold', [many, '--no-cache'], 5000);
  measure('100 Dockerfiles, ShellCheck, warm', [many], 5000);
  measure('100 Dockerfiles, no ShellCheck', [many, '--no-shellcheck'], 5000);
  measure('20 workflows, all checkers, cold', [workflows, '--no-cache'], 1500);
  measure('20 workflows, all checkers, warm', [workflows], 1500);
  measure('20 workflows, no external checkers', [workflows, '--no-shellcheck', '--no-actionlint']);
  // The same workflows and scripts with 10-line Dockerfiles: the cost of the workflow and script
  // review itself, without the ten 300-line Dockerfiles (measured by the 100-Dockerfile rows).
  measure('20 workflows, small Dockerfiles, cold', [workflowsOnly, '--no-cache'], 1500);
  measure('20 workflows, small Dockerfiles, warm', [workflowsOnly], 1500);
  rmSync(process.env.BASEIMG_CACHE_DIR, { recursive: true, force: true });
} finally {
  rmSync(many, { recursive: true, force: true });
  rmSync(workflows, { recursive: true, force: true });
  rmSync(workflowsOnly, { recursive: true, force: true });
}

/**
 * 10 images, each with a build script and two workflows: this repository's own workflow (Buildx,
 * bake, tests, retag) and the plan's simpler build-push one, with names replaced per image so
 * that no two `run:` bodies are the same.
 */
function generateWorkflowRepo({ smallDockerfiles }) {
  const target = mkdtempSync(join(tmpdir(), 'baseimg-bench-workflows-'));
  const own = join(root, '.github', 'workflows');
  const plan = join(fixture, '.github', 'workflows');
  mkdirSync(join(target, '.github', 'workflows'), { recursive: true });
  mkdirSync(join(target, 'scripts'), { recursive: true });
  cpSync(join(root, 'docker-bake.hcl'), join(target, 'docker-bake.hcl'));
  for (let i = 0; i < 10; i++) {
    const family = i % 2 === 0 ? 'cpu' : 'gpu';
    const image = `image_${String(i).padStart(2, '0')}_${family}`;
    const rename = (text) => text.replaceAll(`base_edge_node_amd64_${family}`, image).replaceAll(`build-and-push-amd64-${family}.sh`, `build-${image}.sh`);
    mkdirSync(join(target, image), { recursive: true });
    writeFileSync(join(target, image, 'Dockerfile'), smallDockerfiles ? smallDockerfile(image) : distinct(readFileSync(join(root, `base_edge_node_amd64_${family}`, 'Dockerfile'), 'utf8'), i));
    cpSync(join(root, `base_edge_node_amd64_${family}`, 'requirements.txt'), join(target, image, 'requirements.txt'));
    writeFileSync(join(target, '.github', 'workflows', `${image}.yaml`), rename(readFileSync(join(own, `base_edge_node_amd64_${family}.yaml`), 'utf8')).replaceAll('echo "', `echo "${i} `));
    writeFileSync(join(target, '.github', 'workflows', `${image}-plan.yaml`), rename(readFileSync(join(plan, `base_edge_node_amd64_${family}.yaml.paused`), 'utf8')).replaceAll('echo "', `echo "${i} `));
    writeFileSync(join(target, `build-${image}.sh`), `${readFileSync(join(root, 'scripts', 'build-and-push.sh'), 'utf8')}\necho "built ${image}"\n`);
  }
  return target;
}

/** A short two-stage Dockerfile that reads the image's requirements file, as the workflows expect. */
function smallDockerfile(image) {
  return [
    'FROM ubuntu:24.04 AS build',
    `COPY ${image}/requirements.txt /tmp/requirements.txt`,
    'RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*',
    'RUN python3 -m pip install --no-cache-dir --prefix /opt/venv -r /tmp/requirements.txt',
    '',
    'FROM ubuntu:24.04',
    'COPY --from=build /opt/venv /opt/venv',
    `COPY scripts/entrypoint.sh /usr/local/bin/entrypoint.sh`,
    'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
    '',
  ].join('\n');
}
