import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/fix/edits.js';
import { missingStrictMode } from '../../../src/rules/script/missing-strict-mode.js';
import { scriptFindings, sh } from './helpers.js';

const BASH = '#!/usr/bin/env bash';

describe('script/missing-strict-mode', () => {
  it.each([
    ['set -euo pipefail', sh(BASH, 'set -euo pipefail', 'docker build .')],
    ['separate sets', sh(BASH, 'set -e', 'set -u', 'set -o pipefail', 'docker build .')],
    ['long names', sh(BASH, 'set -o errexit -o nounset -o pipefail', 'docker build .')],
    ['-E and -x clusters', sh(BASH, 'set -Eeuxo pipefail', 'docker build .')],
    ['shebang flags', sh('#!/bin/bash -eu', 'set -o pipefail', 'docker build .')],
    ['env shebang flags', sh('#!/usr/bin/env bash -e', 'set -uo pipefail', 'docker build .')],
    ['sh with -eu', sh('#!/bin/sh', 'set -eu', 'docker build .')],
    ['a sourced library without shebang', sh('# helpers', 'log() { echo "$*"; }')],
    ['functions defined before set', sh(BASH, 'usage() { echo usage; }', 'set -euo pipefail', 'usage')],
  ])('accepts %s', async (_, text) => {
    expect(await scriptFindings(missingStrictMode, text)).toEqual([]);
  });

  it.each([
    ['set -e only', sh(BASH, 'set -e', 'docker build .'), 2, '"set -e" lacks -u and -o pipefail'],
    ['set -eu in bash', sh(BASH, 'set -eu', 'docker build .'), 2, '"set -eu" lacks -o pipefail'],
    ['sh with -e', sh('#!/bin/sh', 'set -e', 'docker build .'), 2, 'expected "set -eu"'],
    ['no set at all', sh(BASH, '# comment', 'docker build .'), 1, 'no -e, -u, -o pipefail'],
    ['set after the first command', sh(BASH, 'cd /src', 'set -euo pipefail', 'docker build .'), 3, 'comes after the first command (line 2)'],
    ['set +e switching errexit off is not strict mode', sh(BASH, 'set -uo pipefail', 'docker build .'), 2, 'lacks -e'],
  ])('reports %s', async (_, text, line, says) => {
    const [finding, ...rest] = await scriptFindings(missingStrictMode, text);
    expect(rest).toEqual([]);
    expect(finding?.range.start.line).toBe(line);
    expect(finding?.message).toContain(says);
  });

  it.each([
    [sh(BASH, 'set -e', 'docker build .'), sh(BASH, 'set -euo pipefail', 'docker build .')],
    [sh(BASH, 'set -ex', 'docker build .'), sh(BASH, 'set -exuo pipefail', 'docker build .')],
    [sh(BASH, 'set -o errexit', 'docker build .'), sh(BASH, 'set -o errexit -u -o pipefail', 'docker build .')],
    [sh(BASH, '# Builds.', '# More.', '', 'docker build .'), sh(BASH, '# Builds.', '# More.', 'set -euo pipefail', '', 'docker build .')],
    ['docker build .\n', 'set -euo pipefail\ndocker build .\n'],
  ])('fixes %j', async (text, fixed) => {
    const [finding] = await scriptFindings(missingStrictMode, text);
    expect(finding?.fix?.safety).toBe('safe');
    expect(applyEdits(text, finding?.fix?.edits ?? [])).toBe(fixed);
  });

  it('marks the fix unsafe when -u would make a variable read without a default fatal', async () => {
    const [finding] = await scriptFindings(missingStrictMode, sh(BASH, 'set -e', 'if [ "$EE_DD" = true ]; then dockerd & fi', 'for f in *; do echo "$f"; done'));
    expect(finding?.fix?.safety).toBe('unsafe');
    expect(finding?.fix?.description).toContain('$EE_DD');
    expect(finding?.fix?.description).not.toContain('$f');
  });

  it('offers no fix for sh scripts', async () => {
    const [finding] = await scriptFindings(missingStrictMode, sh('#!/bin/sh', 'docker build .'));
    expect(finding?.fix).toBeUndefined();
  });
});
