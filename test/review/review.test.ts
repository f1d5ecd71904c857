/**
 * The review engine under stress: failing rules, a missing ShellCheck, every kind of suppression,
 * inputs no Dockerfile should be (binary, broken encodings, huge, looping links), and discovery.
 * Each bad-input case keeps a healthy Dockerfile beside the bad file and checks that its finding is
 * still reported: one bad file must never cost the rest of the review.
 */
import { chmod, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { discover } from '../../src/repo/discover.js';
import { formatFinding } from '../../src/report/text.js';
import { review, type ReviewOptions, type ReviewResult } from '../../src/review.js';
import { aptWithoutNoInstallRecommends } from '../../src/rules/dockerfile/apt-without-no-install-recommends.js';
import { RULES } from '../../src/rules/registry.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';
import { captureIo, reviewFiles, runShellcheckTests, tempRepo } from '../helpers.js';

const APT = 'dockerfile/apt-without-no-install-recommends';

// The engine rules plus one ordinary rule: other rules join the registry all the time, and these
// tests are about the engine, not about them.
const CORE: readonly Rule[] = [aptWithoutNoInstallRecommends, ...RULES.filter((rule) => /^(review|shell)\//.test(rule.id))];

/** A Dockerfile with exactly one finding of APT, at 2:23. */
const HEALTHY = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n';
const HEALTHY_FINDING = `healthy/Dockerfile:2:23 warning apt-get install in stage "#0" lacks --no-install-recommends [${APT}]`;

const hasShellcheck = runShellcheckTests;

/** `reviewFiles` with the CORE rules unless the test names its own. */
function reviewCore(files: Record<string, string | Uint8Array>, options: Omit<ReviewOptions, 'path'> = {}): Promise<ReviewResult> {
  return reviewFiles(files, { rules: CORE, ...options });
}

function lines(result: ReviewResult, ruleId?: string): string[] {
  return result.findings.filter((finding) => ruleId === undefined || finding.ruleId === ruleId).map(formatFinding);
}

/** Reviews a temporary repository after `prepare` has added what `tempRepo` cannot write (links, modes). */
async function reviewPrepared(
  files: Record<string, string | Uint8Array>,
  prepare: (root: string) => Promise<void>,
  options: Omit<ReviewOptions, 'path'> = {},
): Promise<ReviewResult> {
  const repo = await tempRepo(files);
  try {
    await prepare(repo.root);
    return await review({ shellcheck: 'off', rules: CORE, ...options, path: repo.root });
  } finally {
    await repo.cleanup();
  }
}

/** Runs `call` with PATH pointing at an empty folder, so that no external tool can be found. */
async function withoutTools<T>(call: () => Promise<T>): Promise<T> {
  const empty = await mkdtemp(join(tmpdir(), 'baseimg-empty-path-'));
  const saved = process.env.PATH;
  process.env.PATH = empty;
  try {
    return await call();
  } finally {
    process.env.PATH = saved;
    await rm(empty, { recursive: true, force: true });
  }
}


const testMeta = {
  title: 'Test rule for the engine tests',
  severity: 'warning' as const,
  rationale: 'Exists only in the engine tests, to make the runner meet a rule that throws or reports on every instruction of a file.',
  remediation: 'Nothing to remediate: this rule lives in test/review/review.test.ts only.',
};

describe('review/rule-failed', () => {
  const throwsOnRun = defineRule({
    id: 'test/throws-on-run',
    meta: testMeta,
    hooks: {
      instruction(instruction) {
        if (instruction.kind === 'run') {
          throw new Error('boom on purpose');
        }
      },
    },
  });

  it('turns a throwing hook into one finding naming the rule and file:line, and keeps the other rules going', async () => {
    const result = await reviewCore({
      'Dockerfile': 'FROM debian:bookworm-slim\nRUN echo one\nRUN apt-get update && apt-get install -y curl\n',
      'healthy/Dockerfile': HEALTHY,
    }, { rules: [throwsOnRun, ...CORE] });
    expect(lines(result, 'review/rule-failed')).toEqual([
      // One per rule and file: the second RUN of Dockerfile does not add another.
      'Dockerfile:2:1 error rule test/throws-on-run failed: boom on purpose [review/rule-failed]',
      'healthy/Dockerfile:2:1 error rule test/throws-on-run failed: boom on purpose [review/rule-failed]',
    ]);
    expect(lines(result, APT)).toEqual([
      `Dockerfile:3:23 warning apt-get install in stage "#0" lacks --no-install-recommends [${APT}]`,
      HEALTHY_FINDING,
    ]);
  });

  it('catches a repo-level hook too and reports it at the repository root', async () => {
    const throwsOnRepo = defineRule({
      id: 'test/throws-on-repo',
      meta: testMeta,
      hooks: {
        repo() {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      },
    });
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY }, { rules: [throwsOnRepo, ...CORE] });
    expect(lines(result)).toEqual([
      ".:1:1 error rule test/throws-on-repo failed: Cannot read properties of undefined (reading 'x') [review/rule-failed]",
      HEALTHY_FINDING,
    ]);
  });
});

describe('review/tool-unavailable', () => {
  const files = { 'healthy/Dockerfile': HEALTHY, 'build.sh': '#!/bin/sh\necho "building"\n' };

  it('is one info finding when ShellCheck is missing, and the rest of the review completes', async () => {
    const result = await withoutTools(() => reviewCore(files, { shellcheck: 'auto' }));
    expect(lines(result, 'review/tool-unavailable')).toEqual([
      'build.sh:1:1 info shellcheck not found on PATH; shell/shellcheck skipped [review/tool-unavailable]',
    ]);
    expect(lines(result, APT)).toEqual([HEALTHY_FINDING]);
    expect(result.tools.shellcheck).toBeNull();
  });

  it('is an error when ShellCheck is required (option or BASEIMG_REQUIRE_SHELLCHECK=1)', async () => {
    const required = await withoutTools(() => reviewCore(files, { shellcheck: 'require' }));
    expect(required.findings.filter((finding) => finding.ruleId === 'review/tool-unavailable').map((finding) => finding.severity)).toEqual(['error']);

    const saved = process.env.BASEIMG_REQUIRE_SHELLCHECK;
    process.env.BASEIMG_REQUIRE_SHELLCHECK = '1';
    try {
      const byEnv = await withoutTools(() => reviewFilesDefault(files));
      expect(byEnv.findings.filter((finding) => finding.ruleId === 'review/tool-unavailable').map((finding) => finding.severity)).toEqual(['error']);
    } finally {
      if (saved === undefined) {
        delete process.env.BASEIMG_REQUIRE_SHELLCHECK;
      } else {
        process.env.BASEIMG_REQUIRE_SHELLCHECK = saved;
      }
    }
  });

  it('says nothing when ShellCheck is turned off, or when there is no shell to check', async () => {
    const off = await withoutTools(() => reviewCore(files, { shellcheck: 'off' }));
    expect(lines(off, 'review/tool-unavailable')).toEqual([]);
    const noShell = await withoutTools(() => reviewCore({ 'Dockerfile': 'FROM debian:bookworm-slim\nCMD ["bash"]\n' }, { shellcheck: 'auto' }));
    expect(lines(noShell, 'review/tool-unavailable')).toEqual([]);
  });

  it('does not report ShellCheck suppressions as unused when ShellCheck did not run', async () => {
    const result = await withoutTools(() => reviewCore({
      'Dockerfile': 'FROM debian:bookworm-slim\nARG PKGS="curl wget"\n# baseimg-ignore shell/shellcheck:SC2086 -- PKGS is a list of words\nRUN echo $PKGS\n',
    }, { shellcheck: 'auto' }));
    expect(lines(result, 'review/unused-suppression')).toEqual([]);
  });
});

/** Reviews `files` without forcing a ShellCheck mode, so that the environment decides. */
async function reviewFilesDefault(files: Record<string, string>): Promise<ReviewResult> {
  const repo = await tempRepo(files);
  try {
    return await review({ path: repo.root, rules: CORE });
  } finally {
    await repo.cleanup();
  }
}

describe('suppressions', () => {
  const everyRun = defineRule({
    id: 'test/every-run',
    meta: testMeta,
    hooks: {
      instruction(instruction, ctx) {
        if (instruction.kind === 'run') {
          ctx.report({ at: instruction.keywordRange, message: 'run seen' });
        }
      },
    },
  });

  it('baseimg-ignore with a reason suppresses exactly the named rule on the next instruction only', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        `# baseimg-ignore ${APT} -- the image ships man pages on purpose`,
        'RUN apt-get update && apt-get install -y curl',
        'RUN apt-get update && apt-get install -y wget',
        '',
      ].join('\n'),
    }, { rules: [everyRun, ...CORE] });
    expect(lines(result)).toEqual([
      'Dockerfile:3:1 warning run seen [test/every-run]',
      'Dockerfile:4:1 warning run seen [test/every-run]',
      `Dockerfile:4:23 warning apt-get install in stage "#0" lacks --no-install-recommends [${APT}]`,
    ]);
  });

  it('covers every line of a multi-line instruction and a whole command of a script', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        `# baseimg-ignore ${APT} -- recommends are wanted here`,
        'RUN apt-get update \\',
        '    && apt-get install -y curl \\',
        '    && rm -rf /var/lib/apt/lists/*',
        '',
      ].join('\n'),
    });
    expect(lines(result)).toEqual([]);
  });

  it.skipIf(!hasShellcheck)('rule-id:SC2086 suppresses only that ShellCheck code', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        'ARG PKGS="curl wget"',
        '# baseimg-ignore shell/shellcheck:SC2086 -- PKGS is a list of words',
        'RUN echo $PKGS && cp $src/a /tmp/',
        'RUN echo $PKGS',
        '',
      ].join('\n'),
      'build.sh': '#!/bin/sh\n# baseimg-ignore shell/shellcheck:SC2086 -- word splitting wanted\necho $1 \\\n  $2\necho $3\n',
    }, { shellcheck: 'require' });
    expect(lines(result)).toEqual([
      'Dockerfile:4:22 warning SC2154: src is referenced but not assigned [shell/shellcheck]',
      'Dockerfile:5:10 info SC2086: Double quote to prevent globbing and word splitting [shell/shellcheck]',
      'build.sh:5:6 info SC2086: Double quote to prevent globbing and word splitting [shell/shellcheck]',
    ]);
  });

  it('honours hadolint ignore comments for rules that map to the hadolint code', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        '# hadolint ignore=DL3015',
        'RUN apt-get update && apt-get install -y curl',
        '# hadolint ignore=DL9999',
        'RUN apt-get update && apt-get install -y wget',
        '',
      ].join('\n'),
    });
    // DL9999 names no rule baseimg has: neither honoured nor reported.
    expect(lines(result)).toEqual([
      `Dockerfile:5:23 warning apt-get install in stage "#0" lacks --no-install-recommends [${APT}]`,
    ]);
  });

  it('does not honour a suppression without a reason, and reports it', async () => {
    const result = await reviewCore({
      'Dockerfile': `FROM debian:bookworm-slim\n# baseimg-ignore ${APT}\nRUN apt-get update && apt-get install -y curl\n`,
    });
    expect(lines(result)).toEqual([
      `Dockerfile:2:1 warning baseimg-ignore for ${APT} gives no reason; add "-- <why>" (not honoured until it does) [review/suppression-without-reason]`,
      `Dockerfile:3:23 warning apt-get install in stage "#0" lacks --no-install-recommends [${APT}]`,
    ]);
  });

  it('reports suppressions that match nothing or name an unknown rule', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        `# baseimg-ignore ${APT} -- left over from an older version`,
        'RUN apt-get update && apt-get install -y --no-install-recommends curl',
        '# baseimg-ignore dockerfile/apt-recommends -- misspelt',
        'RUN echo done',
        '',
      ].join('\n'),
    });
    expect(lines(result)).toEqual([
      `Dockerfile:2:1 warning suppression of ${APT} matches no finding; remove it [review/unused-suppression]`,
      'Dockerfile:4:1 warning suppression names unknown rule "dockerfile/apt-recommends" [review/unused-suppression]',
    ]);
  });

  it('config ignore.findings suppresses by rule and path glob; an unused one is reported at its config line', async () => {
    const config = {
      ignore: {
        findings: [
          { rule: APT, paths: ['legacy/**'], reason: 'the legacy image is frozen' },
          { rule: APT, paths: ['retired/**'], reason: 'nothing is left there' },
        ],
      },
    };
    const result = await reviewCore({
      'baseimg.config.json': `${JSON.stringify(config, null, 2)}\n`,
      'legacy/Dockerfile': HEALTHY,
      'healthy/Dockerfile': HEALTHY,
    });
    expect(lines(result)).toEqual([
      // Line 12 holds the "rule" key of the second entry.
      `baseimg.config.json:12:1 warning config ignore of "${APT}" in "retired/**" matches no finding; remove it [review/unused-suppression]`,
      HEALTHY_FINDING,
    ]);
  });

  it('finds the line of an unused config ignore in YAML too', async () => {
    const result = await reviewCore({
      'baseimg.config.yaml': [
        'rules:',
        `  ${APT}: error`,
        'ignore:',
        '  findings:',
        `    - rule: ${APT}`,
        '      paths: ["retired/**"]',
        '      reason: nothing is left there',
        '',
      ].join('\n'),
      'healthy/Dockerfile': HEALTHY,
    });
    expect(lines(result)).toEqual([
      `baseimg.config.yaml:5:1 warning config ignore of "${APT}" in "retired/**" matches no finding; remove it [review/unused-suppression]`,
      HEALTHY_FINDING.replace(' warning ', ' error '),
    ]);
  });

  it('turning review/unused-suppression off in config silences it', async () => {
    const result = await reviewCore({
      'baseimg.config.json': '{ "rules": { "review/unused-suppression": "off" } }\n',
      'Dockerfile': `FROM debian:bookworm-slim\n# baseimg-ignore ${APT} -- stale\nRUN echo done\n`,
    });
    expect(lines(result)).toEqual([]);
  });
});

describe('bad input: a finding naming the file, and the rest of the review completes', () => {
  it('binary file named Dockerfile', async () => {
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff]) });
    expect(lines(result)).toEqual([
      'Dockerfile:1:1 warning file is binary (contains NUL bytes); not reviewed [review/unreadable-file]',
      HEALTHY_FINDING,
    ]);
  });

  it('invalid UTF-8, pointing at the line of the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('FROM debian:bookworm-slim\nLABEL maintainer="'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]);
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': bytes, 'build.sh': Buffer.from([0x23, 0x21, 0x2f, 0x62, 0x69, 0x6e, 0x2f, 0x73, 0x68, 0x0a, 0xe2, 0x82, 0x0a]) });
    expect(lines(result)).toEqual([
      'Dockerfile:2:1 warning file is not valid UTF-8; not reviewed [review/unreadable-file]',
      'build.sh:2:1 warning file is not valid UTF-8; not reviewed [review/unreadable-file]',
      HEALTHY_FINDING,
    ]);
  });

  it('a byte order mark is parsed past, with positions unchanged', async () => {
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': `\uFEFFFROM debian:bookworm-slim AS build\nRUN apt-get install -y curl\n` });
    expect(lines(result)).toEqual([
      `Dockerfile:2:5 warning apt-get install in stage "build" lacks --no-install-recommends [${APT}]`,
      HEALTHY_FINDING,
    ]);
  });

  it('CRLF line endings: right lines and columns, no carriage return in messages', async () => {
    const text = [
      'FROM debian:bookworm-slim AS build',
      'RUN apt-get update \\',
      '    && apt-get install -y curl \\',
      '    && rm -rf /var/lib/apt/lists/*',
      'COPY build.sh /usr/local/bin/',
      '',
    ].join('\r\n');
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': text }, { shellcheck: hasShellcheck ? 'require' : 'off' });
    // With ShellCheck the CRLF body must not read as `\<CR>` (SC1017/SC1070 false positives).
    expect(lines(result)).toEqual([
      `Dockerfile:3:8 warning apt-get install in stage "build" lacks --no-install-recommends [${APT}]`,
      HEALTHY_FINDING,
    ]);
    expect(result.findings.every((finding) => !finding.message.includes('\r'))).toBe(true);
  });

  it('a 10 MB Dockerfile is reported as too large, quickly', async () => {
    const huge = `FROM debian:bookworm-slim\n${'RUN echo "generated layer"\n'.repeat(400_000)}`;
    expect(huge.length).toBeGreaterThan(10_000_000);
    const started = performance.now();
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': huge });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines(result)).toEqual([
      'Dockerfile:1:1 warning file is 10.3 MiB, over the 2 MiB review limit; not reviewed [review/unreadable-file]',
      HEALTHY_FINDING,
    ]);
  });

  it('a symbolic link loop (ln -s .. loop) is reported once and not followed', async () => {
    const result = await reviewPrepared({ 'healthy/Dockerfile': HEALTHY }, async (root) => {
      await symlink('..', join(root, 'healthy', 'loop'));
    });
    expect(lines(result)).toEqual([
      HEALTHY_FINDING,
      'healthy/loop:1:1 warning symbolic link points to a folder that contains it (a loop); not followed [review/unreadable-file]',
    ]);
  });

  it('a link to another folder of the repository is an alias: not walked twice, not reported', async () => {
    const result = await reviewPrepared({ 'healthy/Dockerfile': HEALTHY }, async (root) => {
      await symlink('healthy', join(root, 'current'));
    });
    expect(lines(result)).toEqual([HEALTHY_FINDING]);
  });

  it('a dangling symbolic link that could be reviewed is reported; one named like a document is not', async () => {
    const result = await reviewPrepared({ 'healthy/Dockerfile': HEALTHY }, async (root) => {
      await symlink('missing/Dockerfile', join(root, 'Dockerfile'));
      await symlink('missing/README.md', join(root, 'README.md'));
      await symlink('self.sh', join(root, 'self.sh'));
    });
    expect(lines(result)).toEqual([
      'Dockerfile:1:1 warning broken symbolic link: its target does not exist; not reviewed [review/unreadable-file]',
      HEALTHY_FINDING,
      'self.sh:1:1 warning symbolic link loops (ELOOP); not reviewed [review/unreadable-file]',
    ]);
  });

  it('a file with mode 000 is reported as unreadable (as root it is still readable)', async () => {
    const result = await reviewPrepared({ 'healthy/Dockerfile': HEALTHY, 'locked/Dockerfile': HEALTHY }, async (root) => {
      await chmod(join(root, 'locked', 'Dockerfile'), 0o000);
    });
    const lockedFinding = HEALTHY_FINDING.replace('healthy/', 'locked/');
    if (process.getuid?.() === 0) {
      // root bypasses file permission checks (CAP_DAC_OVERRIDE), so the file is read and reviewed.
      expect(lines(result)).toEqual([HEALTHY_FINDING, lockedFinding]);
    } else {
      expect(lines(result)).toEqual([
        HEALTHY_FINDING,
        'locked/Dockerfile:1:1 warning cannot read file: EACCES [review/unreadable-file]',
      ]);
    }
  });

  // A file without FROM is read fine; saying what is wrong with it is dockerfile/no-from's job.
  const noFrom = RULES.filter((rule) => rule.id === 'dockerfile/no-from');

  it('a Dockerfile of plain prose is reported by dockerfile/no-from, and the rest is reviewed', async () => {
    expect(noFrom).toHaveLength(1);
    const prose = 'This folder holds the GPU image.\nBuild it with the script in the repository root.\n';
    const result = await reviewCore({ 'healthy/Dockerfile': HEALTHY, 'Dockerfile': prose }, { rules: [...CORE, ...noFrom] });
    expect(result.findings.map((finding) => [finding.file, finding.range.start.line, finding.ruleId])).toEqual([
      ['Dockerfile', 1, 'dockerfile/no-from'],
      ['healthy/Dockerfile', 2, APT],
    ]);
    expect(result.counts.dockerfiles).toBe(2);
  });

  it('an empty Dockerfile (or one of comments only) is reported by dockerfile/no-from', async () => {
    const result = await reviewCore(
      { 'healthy/Dockerfile': HEALTHY, 'Dockerfile': '', 'Dockerfile.gpu': '# syntax=docker/dockerfile:1\n# nothing yet\n' },
      { rules: [...CORE, ...noFrom] },
    );
    expect(result.findings.map((finding) => [finding.file, finding.range.start.line, finding.ruleId])).toEqual([
      ['Dockerfile', 1, 'dockerfile/no-from'],
      ['Dockerfile.gpu', 1, 'dockerfile/no-from'],
      ['healthy/Dockerfile', 2, APT],
    ]);
  });

  it('a path that does not exist: the CLI exits 2 with one line on stderr naming it', async () => {
    const io = captureIo();
    const code = await main(['review', '/nonexistent/baseimg-test-path'], io);
    expect(code).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toBe('baseimg: path does not exist: /nonexistent/baseimg-test-path\n');
  });

  it('a path that is a file, not a folder: exit 2 with one line', async () => {
    const repo = await tempRepo({ 'Dockerfile': HEALTHY });
    try {
      const io = captureIo();
      const code = await main(['review', join(repo.root, 'Dockerfile')], io);
      expect(code).toBe(2);
      expect(io.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(io.err).toContain('not a directory');
      expect(io.err).toContain(join(repo.root, 'Dockerfile'));
    } finally {
      await repo.cleanup();
    }
  });
});

describe('discovery', () => {
  it('finds Dockerfiles by name pattern and leaves documents named after them alone', async () => {
    const repo = await tempRepo({
      'Dockerfile': HEALTHY,
      'cuda/x.Dockerfile': HEALTHY,
      'cuda/Dockerfile.gpu': HEALTHY,
      'podman/Containerfile': HEALTHY,
      'docs/Dockerfile.md': '# How the Dockerfile works\n',
      'Dockerfile.orig': HEALTHY,
      'Dockerfile.gpu.dockerignore': '*.onnx\n',
    });
    try {
      const found = await discover(repo.root);
      expect(found.dockerfiles.map((entry) => entry.dockerfile.path)).toEqual(['Dockerfile', 'cuda/Dockerfile.gpu', 'cuda/x.Dockerfile', 'podman/Containerfile']);
      expect(found.dockerignores.map((file) => file.path)).toEqual(['Dockerfile.gpu.dockerignore']);
    } finally {
      await repo.cleanup();
    }
  });

  it('picks <Dockerfile>.dockerignore over the context root .dockerignore', async () => {
    const repo = await tempRepo({
      '.dockerignore': 'build/\n',
      'Dockerfile': 'FROM debian:bookworm-slim\nCOPY . /src\n',
      'Dockerfile.gpu': 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCOPY . /src\n',
      'Dockerfile.gpu.dockerignore': '*.onnx\n!keep.onnx\n',
    });
    try {
      const found = await discover(repo.root);
      const byPath = new Map(found.dockerfiles.map((entry) => [entry.dockerfile.path, entry]));
      expect(byPath.get('Dockerfile')?.dockerignore?.path).toBe('.dockerignore');
      const gpu = byPath.get('Dockerfile.gpu')?.dockerignore;
      expect(gpu?.path).toBe('Dockerfile.gpu.dockerignore');
      expect(gpu?.ignores('model.onnx')).toBe(true);
      expect(gpu?.ignores('keep.onnx')).toBe(false);
      expect(gpu?.ignores('build/x')).toBe(false);
    } finally {
      await repo.cleanup();
    }
  });

  it('finds extensionless scripts by shebang and skips node_modules, .git, vendor and ignore.paths', async () => {
    const repo = await tempRepo({
      'bin/build': '#!/usr/bin/env bash\nset -euo pipefail\ndocker build .\n',
      'bin/release': '#!/bin/sh\necho release\n',
      'bin/train': '#!/usr/bin/env python3\nprint("no shell")\n',
      'bin/NOTES': 'no shebang at all\n',
      'node_modules/pkg/Dockerfile': HEALTHY,
      '.git/hooks/pre-commit.sh': '#!/bin/sh\nexit 0\n',
      'vendor/lib/Dockerfile': HEALTHY,
      'experiments/old/Dockerfile': HEALTHY,
      'scratch.Dockerfile': HEALTHY,
      'healthy/Dockerfile': HEALTHY,
      'baseimg.config.json': '{ "ignore": { "paths": ["experiments/**", "scratch.Dockerfile"] } }\n',
    });
    try {
      const found = await discover(repo.root);
      expect(found.scripts.map((script) => [script.path, script.interpreter])).toEqual([['bin/build', 'bash'], ['bin/release', 'sh']]);
      expect(found.dockerfiles.map((entry) => entry.dockerfile.path)).toEqual(['healthy/Dockerfile']);
      expect([...found.skippedDirectories].sort()).toEqual(['.git', 'experiments', 'node_modules', 'vendor']);
      expect(found.files.has('scratch.Dockerfile')).toBe(false);
    } finally {
      await repo.cleanup();
    }
  });

  it('infers the root as context when COPY sources exist only there', async () => {
    const repo = await tempRepo({
      'scripts/install_ffmpeg.sh': '#!/bin/sh\necho ffmpeg\n',
      'images/gpu/Dockerfile': 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCOPY scripts/install_ffmpeg.sh /tmp/\n',
      'images/cpu/Dockerfile': 'FROM debian:bookworm-slim\nCOPY requirements.txt /tmp/\n',
      'images/cpu/requirements.txt': 'numpy==2.1.3\n',
    });
    try {
      const found = await discover(repo.root);
      const contexts = found.dockerfiles.map((entry) => [entry.dockerfile.path, entry.context, entry.contextSource]);
      expect(contexts).toEqual([
        ['images/cpu/Dockerfile', 'images/cpu', 'inferred'],
        ['images/gpu/Dockerfile', '', 'inferred'],
      ]);
    } finally {
      await repo.cleanup();
    }
  });

  it('takes the context from a workflow build-push-action step and from a build script', async () => {
    const workflow = [
      'name: images',
      'on: push',
      'jobs:',
      '  gpu:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: ./images',
      '          file: ./images/gpu/Dockerfile',
      '          push: false',
      '',
    ].join('\n');
    const repo = await tempRepo({
      '.github/workflows/images.yml': workflow,
      '.github/workflows/tools.yml': [
        'on: push',
        'jobs:',
        '  tools:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: .',
        '          file: .docker/tools.Dockerfile',
        '',
      ].join('\n'),
      '.docker/tools.Dockerfile': 'FROM debian:bookworm-slim\nCOPY .dockerignore /tmp/\n',
      '.dockerignore': '.git\n',
      'images/gpu/Dockerfile': 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCOPY gpu/entrypoint.sh /\n',
      'images/gpu/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      'build.sh': '#!/bin/bash\nset -euo pipefail\ndocker build -f sub/Dockerfile -t example/cpu:latest .\n',
      'sub/Dockerfile': 'FROM debian:bookworm-slim\nCOPY sub/requirements.txt /tmp/\n',
      'sub/requirements.txt': 'numpy==2.1.3\n',
    });
    try {
      const found = await discover(repo.root);
      const contexts = found.dockerfiles.map((entry) => [entry.dockerfile.path, entry.context, entry.contextSource, entry.contextEvidence]);
      // Hidden paths keep their dot (`.docker/...`, `.dockerignore`).
      expect(contexts).toEqual([
        ['.docker/tools.Dockerfile', '', 'workflow', '.github/workflows/tools.yml'],
        ['images/gpu/Dockerfile', 'images', 'workflow', '.github/workflows/images.yml'],
        ['sub/Dockerfile', '', 'script', 'build.sh'],
      ]);
      expect(found.dockerfiles[0]?.dockerignore?.path).toBe('.dockerignore');
      expect(found.families.map((family) => [family.name, family.workflows, family.scripts])).toEqual([
        ['.docker', ['.github/workflows/tools.yml'], []],
        ['gpu', ['.github/workflows/images.yml'], []],
        ['sub', [], ['build.sh']],
      ]);
    } finally {
      await repo.cleanup();
    }
  });
});

describe('ShellCheck positions', () => {
  it.skipIf(!hasShellcheck)('keeps end-of-body errors inside the RUN they are about, not on the next instruction', async () => {
    const result = await reviewCore({
      'Dockerfile': [
        'FROM debian:bookworm-slim',
        'RUN if [ -f /etc/debian_version ]; then \\',
        '        echo debian',
        'RUN echo "next instruction"',
        '',
      ].join('\n'),
      'build.sh': '#!/bin/sh\nfor f in a b; do\n  echo "$f"\n',
    }, { shellcheck: 'require' });
    const shellcheckLines = result.findings.filter((finding) => finding.ruleId === 'shell/shellcheck').map((finding) => finding.range.start.line);
    expect(shellcheckLines.length).toBeGreaterThan(0);
    expect(result.findings.filter((finding) => finding.file === 'Dockerfile' && finding.range.start.line > 3)).toEqual([]);
    expect(result.findings.filter((finding) => finding.file === 'build.sh' && finding.range.start.line > 3)).toEqual([]);
    // The parse error is confirmed by ShellCheck, so it stays.
    expect(lines(result, 'shell/parse-error')).toEqual([
      'Dockerfile:2:5 error RUN body does not parse as shell: cannot parse "if [ -f /etc/debian_version ]; then \\\\" [shell/parse-error]',
      'build.sh:2:15 error script does not parse as shell: missing "done" to close "do" [shell/parse-error]',
    ]);
  });
});

describe('review of a repository with a config file elsewhere', () => {
  it('names an explicit --config inside the repository by its repository path', async () => {
    const repo = await tempRepo({
      'config/baseimg.json': `{\n  "ignore": {\n    "findings": [\n      { "rule": "${APT}", "paths": ["gone/**"], "reason": "stale" }\n    ]\n  }\n}\n`,
      'healthy/Dockerfile': HEALTHY,
    });
    try {
      const result = await review({ path: repo.root, configPath: join(repo.root, 'config', 'baseimg.json'), shellcheck: 'off', rules: CORE });
      expect(lines(result, 'review/unused-suppression')).toEqual([
        `config/baseimg.json:4:1 warning config ignore of "${APT}" in "gone/**" matches no finding; remove it [review/unused-suppression]`,
      ]);
    } finally {
      await repo.cleanup();
    }
  });
});
