/**
 * The built binary, end to end: `node bin/baseimg.js` on small temporary repositories. Exit codes,
 * every output format, --out, usage errors, and no absolute temp path in any output. `npm test`
 * builds first; run alone, this file skips (saying so) when dist/ is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'baseimg.js');
const BUILT = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

if (!BUILT) {
  console.warn('test/e2e/cli.test.ts: dist/ is missing, so the built binary cannot be tested; run `npm run build` (npm test does) and rerun');
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary once; `fresh` skips the cache (for the run-twice determinism check). */
function spawnBaseimg(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', BASEIMG_REQUIRE_SHELLCHECK: '' },
      timeout: 60_000,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (error && code === null) {
        reject(error);
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

// The repositories do not change during the file, so identical invocations share one process.
const runs = new Map<string, Promise<Run>>();

function baseimg(args: string[], cwd = ROOT, fresh = false): Promise<Run> {
  const key = JSON.stringify([cwd, ...args]);
  const cached = runs.get(key);
  if (cached && !fresh) {
    return cached;
  }
  const run = spawnBaseimg(args, cwd);
  runs.set(key, run);
  return run;
}

interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A repository with a guaranteed error (a RUN that does not parse) and a guaranteed warning. */
const FILES = {
  'images/gpu/Dockerfile': [
    'FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04',
    'RUN apt-get update \\',
    '    && apt-get install -y ffmpeg \\',
    '    && rm -rf /var/lib/apt/lists/*',
    'RUN echo "unterminated',
    '',
  ].join('\n'),
  'images/cpu/Dockerfile': 'FROM python:3.11-slim\nRUN pip install --no-cache-dir numpy==2.1.3\n',
  'scripts/build.sh': '#!/bin/sh\nset -eu\ndocker build -f images/gpu/Dockerfile images/gpu\n',
};

// Each review spawns Node and loads the parser; on a busy two-core runner a test may wait a while.
describe.skipIf(!BUILT).concurrent('baseimg (built binary)', { timeout: 180_000 }, () => {
  let repo: { root: string; cleanup: () => Promise<void> };
  let empty: { root: string; cleanup: () => Promise<void> };
  let out: string;

  beforeAll(async () => {
    repo = await tempRepo(FILES);
    empty = await tempRepo({ 'README.md': '# nothing to review here\n' });
    out = await mkdtemp(join(tmpdir(), 'baseimg-e2e-out-'));
  });

  afterAll(async () => {
    await repo.cleanup();
    await empty.cleanup();
    await rm(out, { recursive: true, force: true });
  });

  async function findings(): Promise<JsonFinding[]> {
    const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'json', '--fail-on', 'never']);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  }

  it('--version prints the package.json version', async () => {
    const run = await baseimg(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });

  it('exits 0 on a repository with nothing to find, whatever --fail-on says', async () => {
    // info is the strictest threshold: if it passes, error and warning do too.
    const [strictest, never] = await Promise.all([
      baseimg(['review', empty.root, '--no-shellcheck', '--fail-on', 'info']),
      baseimg(['review', empty.root, '--no-shellcheck', '--fail-on', 'never']),
    ]);
    expect(strictest.code).toBe(0);
    expect(never.code).toBe(0);
    expect(strictest.stdout).toMatch(/^no findings/);
  });

  it('exits 1 when a finding reaches --fail-on, 0 with --fail-on never', async () => {
    const all = await findings();
    expect(all.some((finding) => finding.ruleId === 'shell/parse-error' && finding.severity === 'error')).toBe(true);
    expect(all.some((finding) => finding.severity === 'warning')).toBe(true);

    expect((await baseimg(['review', repo.root, '--no-shellcheck'])).code, 'default --fail-on error').toBe(1);
    expect((await baseimg(['review', repo.root, '--no-shellcheck', '--fail-on', 'error'])).code).toBe(1);
    expect((await baseimg(['review', repo.root, '--no-shellcheck', '--fail-on', 'warning'])).code).toBe(1);
    expect((await baseimg(['review', repo.root, '--no-shellcheck', '--fail-on', 'never'])).code).toBe(0);
  });

  it('--fail-on error ignores warnings: exit code follows the most severe finding', async () => {
    // The cpu image alone: whatever rules exist, exit 1 under --fail-on error exactly when one is an error.
    const cpu = join(repo.root, 'images', 'cpu');
    const json = await baseimg(['review', cpu, '--no-shellcheck', '--format', 'json', '--fail-on', 'never']);
    const severities = new Set((JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings.map((finding) => finding.severity));
    expect((await baseimg(['review', cpu, '--no-shellcheck', '--fail-on', 'error'])).code).toBe(severities.has('error') ? 1 : 0);
    expect((await baseimg(['review', cpu, '--no-shellcheck', '--fail-on', 'warning'])).code).toBe(severities.has('error') || severities.has('warning') ? 1 : 0);
  });

  it('--format json: schemaVersion 1, sorted findings, byte-identical across runs', async () => {
    const first = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'json']);
    const second = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'json'], ROOT, true);
    expect(first.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    const document = JSON.parse(first.stdout) as { schemaVersion: number; tool: { name: string; version: string }; findings: JsonFinding[]; summary: { findings: number } };
    expect(document.schemaVersion).toBe(1);
    expect(document.tool).toEqual({ name: 'baseimg', version: PACKAGE_VERSION });
    expect(document.summary.findings).toBe(document.findings.length);
    const keys = document.findings.map((finding) => [finding.file, finding.line, finding.column, finding.ruleId, finding.message] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0)));
    expect(keys).toEqual(sorted);
    expect(document.findings).toContainEqual(expect.objectContaining({ ruleId: 'shell/parse-error', file: 'images/gpu/Dockerfile', line: 5, column: 10 }));
  });

  it('--format sarif: SARIF 2.1.0 with one result per finding and repository-relative URIs', async () => {
    const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'sarif']);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { name: string } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]?.results.length).toBe((await findings()).length);
    for (const result of sarif.runs[0]?.results ?? []) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
      expect(uri).not.toMatch(/^(\/|file:)/);
    }
  });

  it('--format md: a Markdown report with a table row for the parse error', async () => {
    const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'md']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^## baseimg review\n/);
    expect(run.stdout).toContain('### `images/gpu/Dockerfile`');
    expect(run.stdout).toMatch(/\| 5 \| .*error \| RUN body does not parse as shell: .*\[`shell\/parse-error`\]/);
  });

  it('--out FILE writes the report there and nothing to stdout', async () => {
    const target = join(out, 'report.json');
    const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'json', '--out', target]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`baseimg: wrote ${target}\n`);
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ schemaVersion: 1 });
  });

  it('--out DIR/ writes review.<ext> into the folder, creating it', async () => {
    const folder = join(out, 'reports', 'ci');
    const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'sarif', '--out', `${folder}/`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(await readFile(join(folder, 'review.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
  });

  it('usage errors exit 2 with one line on stderr', async () => {
    const cases: { args: string[]; pattern: RegExp }[] = [
      { args: ['review', repo.root, '--frmat', 'json'], pattern: /^baseimg: .*--frmat/ },
      { args: ['revew', repo.root], pattern: /^baseimg: unknown command "revew"/ },
      { args: ['review', repo.root, '--format', 'xml'], pattern: /^baseimg: --format must be one of text, json, sarif, md, got "xml"/ },
      { args: ['review', repo.root, '--fail-on', 'sometimes'], pattern: /^baseimg: --fail-on must be one of/ },
      { args: ['review', join(repo.root, 'does-not-exist')], pattern: /^baseimg: path does not exist: .*does-not-exist$/ },
      // The parent of --out is a file, so the folder cannot be made.
      { args: ['review', repo.root, '--no-shellcheck', '--out', join(repo.root, 'scripts', 'build.sh', 'review.txt')], pattern: /^baseimg: cannot write --out .*review\.txt: (ENOTDIR|EEXIST)$/ },
    ];
    for (const { args, pattern } of cases) {
      const run = await baseimg(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
    }
  });

  it('paths in every format are repository-relative, never the absolute temp path', async () => {
    for (const format of ['text', 'json', 'sarif', 'md']) {
      const run = await baseimg(['review', repo.root, '--no-shellcheck', '--format', format]);
      expect(run.stdout, format).not.toContain(repo.root);
      // The temp folder's own name, in case a path were printed relative to somewhere else.
      expect(run.stdout, format).not.toContain(basename(repo.root));
      expect(run.stdout, format).toContain('images/gpu/Dockerfile');
    }
    // Reviewing `.` from inside the repository gives the same paths.
    const inside = await baseimg(['review', '.', '--no-shellcheck', '--format', 'json'], repo.root);
    const outside = await baseimg(['review', repo.root, '--no-shellcheck', '--format', 'json']);
    expect(inside.stdout).toBe(outside.stdout);
  });

  it('text output: one line per finding as file:line:col severity message [rule], then a summary', async () => {
    const run = await baseimg(['review', repo.root, '--no-shellcheck']);
    expect(run.stdout).toContain('images/gpu/Dockerfile:5:10 error RUN body does not parse as shell: ');
    expect(run.stdout).toMatch(/\n\d+ findings? in \d+ files?: \d+ errors?, \d+ warnings?, \d+ info \(.*\)\n$/);
    expect(run.stdout).not.toContain('\u001b[');
  });
});
