/**
 * ShellCheck beyond RUN bodies: workflow `run:` bodies mapped back into the workflow file, and the
 * result cache for script files that read no other file.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/report/text.js';
import { detect } from '../../src/tools/shellcheck.js';
import { reviewFiles } from '../helpers.js';

const shellcheck = await detect();
const required = process.env.BASEIMG_REQUIRE_SHELLCHECK === '1';

const lines = async (files: Record<string, string>, options = {}): Promise<string[]> =>
  (await reviewFiles(files, { shellcheck: 'require', cache: false, ...options })).findings.filter((finding) => finding.ruleId === 'shell/shellcheck').map(formatFinding);

describe.skipIf(!shellcheck && !required)('ShellCheck on workflow run: bodies', () => {
  it('maps folded, quoted and indented bodies back to the workflow file', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: >-',
      '          echo $folded_a',
      '          $folded_b',
      "      - run: 'echo $single'",
      '      - run: |2',
      '            echo $explicit_indent',
      '      - shell: sh',
      '        run: echo ${{ github.sha }} $plain_sh',
    ].join('\n');
    const found = await lines({ '.github/workflows/ci.yaml': `${workflow}\n` });
    const at = found.filter((line) => line.includes('SC2154')).map((line) => line.split(' ')[0]);
    expect(at).toEqual([
      '.github/workflows/ci.yaml:7:16',
      '.github/workflows/ci.yaml:8:11',
      '.github/workflows/ci.yaml:9:20',
      '.github/workflows/ci.yaml:11:18',
      '.github/workflows/ci.yaml:13:37',
    ]);
  });

  it('declares env names of the workflow, job and step, and leaves non-POSIX shells alone', async () => {
    const found = await lines({
      '.github/workflows/ci.yaml': [
        'on: push',
        'env:',
        '  from_workflow: 1',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    env:',
        '      from_job: 1',
        '    steps:',
        '      - env:',
        '          from_step: 1',
        '        run: echo "$from_workflow $from_job $from_step $GITHUB_SHA"',
        '      - shell: pwsh',
        '        run: echo $undeclared',
        '      - shell: python',
        '        run: print($undeclared)',
        '',
      ].join('\n'),
    });
    expect(found).toEqual([]);
  });

  it('does not report checks that only the ${{ }} placeholder triggers', async () => {
    const found = await lines({
      '.github/workflows/ci.yaml': [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: |',
        '          if [ "${{ github.event_name }}" = "push" ]; then echo push; fi',
        '          for tag in ${{ github.sha }}; do echo "$tag"; done',
        '          [ -n "${{ github.ref }}" ] && echo ref',
        '',
      ].join('\n'),
    });
    expect(found).toEqual([]);
  });
});

describe.skipIf(!shellcheck && !required)('ShellCheck result cache for scripts', () => {
  let cache = '';
  afterAll(async () => {
    if (cache) {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('caches a script that reads no other file, and not one that sources another', async () => {
    cache = await mkdtemp(join(tmpdir(), 'baseimg-cache-'));
    process.env.BASEIMG_CACHE_DIR = cache;
    try {
      const options = { shellcheck: 'require' as const, cache: true };
      const files = {
        'scripts/build.sh': '#!/usr/bin/env bash\nls $undeclared_build | grep x\n',
        'scripts/lib.sh': '#!/usr/bin/env bash\nexport NAME=x\n',
        'scripts/push.sh': '#!/usr/bin/env bash\nsource "$(dirname "$0")/lib.sh"\necho $undeclared_push\n',
      };
      const fresh = await reviewFiles(files, options);
      // build.sh and lib.sh are cached; push.sh sources lib.sh and is checked afresh every time.
      expect(await readdir(join(cache, 'shellcheck'))).toHaveLength(2);
      const cached = await reviewFiles(files, options);
      expect(cached.findings).toEqual(fresh.findings);
      expect(fresh.findings.filter((finding) => finding.ruleId === 'shell/shellcheck').map((finding) => `${finding.file}:${finding.code}`)).toEqual([
        'scripts/build.sh:SC2010',
        'scripts/build.sh:SC2086',
        'scripts/build.sh:SC2154',
        'scripts/push.sh:SC2086',
        'scripts/push.sh:SC2154',
      ]);
      // A .shellcheckrc changes the result, so it is part of the key.
      const withRc = await reviewFiles({ ...files, '.shellcheckrc': 'disable=SC2086\n' }, options);
      expect(await readdir(join(cache, 'shellcheck'))).toHaveLength(4);
      expect(withRc.findings.some((finding) => finding.code === 'SC2086')).toBe(false);
    } finally {
      delete process.env.BASEIMG_CACHE_DIR;
    }
  });
});
