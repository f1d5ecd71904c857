/**
 * Property test for the script fixes: a random build script carrying a random subset of the
 * fixable problems (no or partial strict mode, builds without --pull, written directly, through a
 * function or in an array) fixes to a script that still parses (tree-sitter and `bash -n`), in
 * which the fixed findings are gone, and fixing it again changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { planFixes, writeFixPlan } from '../../src/fix/plan.js';
import { initShellParser, parseShell } from '../../src/parse/shell.js';
import { buildWithoutPull } from '../../src/rules/script/build-without-pull.js';
import { missingStrictMode } from '../../src/rules/script/missing-strict-mode.js';
import { review } from '../../src/review.js';
import { tempRepo } from '../helpers.js';

const RULES = [missingStrictMode, buildWithoutPull];
const hasBash = spawnSync('bash', ['--version']).status === 0;

beforeAll(async () => {
  await initShellParser();
});

const shebang = fc.constantFrom('#!/usr/bin/env bash', '#!/bin/bash');
const header = fc.array(fc.constantFrom('# Builds the image.', '# Run from the repository root.', '#', '# shellcheck disable=SC2086'), { maxLength: 3 });
const strict = fc.constantFrom<string | null>(null, 'set -e', 'set -ex', 'set -eu', 'set -o errexit', 'set -e -o pipefail', 'set -euo pipefail', 'set -Eeuo pipefail');
const pull = fc.boolean();
const build = fc.tuple(fc.constantFrom('direct', 'buildx', 'image', 'run', 'array', 'continued'), pull).map(([form, withPull]) => {
  const flag = withPull ? ' --pull' : '';
  switch (form) {
    case 'direct':
      return `docker build${flag} -t "\${IMAGE}" .`;
    case 'buildx':
      return `docker buildx build${flag} --platform linux/amd64 -t "\${IMAGE}" .`;
    case 'image':
      return `docker image build${flag} -t "\${IMAGE}" .`;
    case 'run':
      return `run timeout 600 docker build${flag} -t "\${IMAGE}" .`;
    case 'array':
      return `cmd=(docker buildx build${flag} -t "\${IMAGE}")\n"\${cmd[@]}" .`;
    default:
      return `docker build${flag} \\\n  -t "\${IMAGE}" \\\n  -f Dockerfile .`;
  }
});
const filler = fc.constantFrom('echo "building ${IMAGE}"', 'cd "$(dirname "$0")"', 'IMAGE=${IMAGE:-example/app:dev}', '', '# a note', 'if [[ -n ${CI:-} ]]; then echo ci; fi');

const script = fc.tuple(shebang, header, strict, fc.array(fc.oneof(build, filler), { minLength: 1, maxLength: 6 })).map(([bang, comments, set, body]) => [
  bang,
  ...comments,
  ...(set ? [set] : []),
  'IMAGE=${IMAGE:-example/app:dev}',
  'run() { printf "+ %s\\n" "$*"; "$@"; }',
  ...body,
  '',
].join('\n'));

describe('script fixes (property)', () => {
  it('fix to parseable scripts without the fixed findings, and a second fix is a no-op', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (text) => {
        const repo = await tempRepo({ 'build.sh': text });
        try {
          const plan = await planFixes({ path: repo.root, rules: RULES });
          expect(plan.converged).toBe(true);
          await writeFixPlan(plan);
          const fixed = await readFile(join(repo.root, 'build.sh'), 'utf8');
          expect(parseShell(fixed).errors).toEqual([]);
          if (hasBash) {
            const check = spawnSync('bash', ['-n', join(repo.root, 'build.sh')], { encoding: 'utf8' });
            expect(check.stderr).toBe('');
            expect(check.status).toBe(0);
          }
          const after = await review({ path: repo.root, rules: RULES, shellcheck: 'off' });
          // The generated scripts set every variable they read, so the strict-mode fix is safe, and
          // every build is literal, so each one now pulls: nothing of either rule remains.
          expect(after.findings.map((finding) => `${finding.range.start.line}: ${finding.message}`)).toEqual([]);
          const again = await planFixes({ path: repo.root, rules: RULES });
          expect(again.changes).toEqual([]);
        } finally {
          await repo.cleanup();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
