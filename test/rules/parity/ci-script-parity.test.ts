/**
 * Edge cases the parity goldens do not show: both places reported with `related` pointing at each
 * other, nothing when one side's value is unknown or only one side exists, options of a script.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/rules/registry.js';
import { reviewFiles } from '../../helpers.js';

const PARITY = RULES.filter((rule) => rule.id.startsWith('parity/')).map((rule) => ({ ...rule, meta: { ...rule.meta, enabledByDefault: true } }));
const DOCKERFILE = 'FROM busybox:1.36\nARG VERSION\nRUN echo "$VERSION"\n';

function workflow(buildArgs: string): string {
  return [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          file: app/Dockerfile',
    '          push: true',
    '          tags: example/app:latest',
    '          build-args: |',
    `            ${buildArgs}`,
    '',
  ].join('\n');
}

async function parity(files: Record<string, string>): Promise<{ ruleId: string; file: string; line: number; message: string; related: string[] }[]> {
  const result = await reviewFiles(files, { rules: PARITY });
  return result.findings.map((finding) => ({
    ruleId: finding.ruleId,
    file: finding.file,
    line: finding.range.start.line,
    message: finding.message,
    related: (finding.related ?? []).map((related) => `${related.file}:${related.range.start.line}`),
  }));
}

describe('parity rules', () => {
  it('reports a different value at both places, each pointing at the other', async () => {
    const findings = await parity({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': workflow('VERSION=1'),
      'build.sh': '#!/bin/sh\ndocker build --build-arg VERSION=2 -t example/app:latest -f app/Dockerfile .\ndocker push example/app:latest\n',
    });
    const args = findings.filter((finding) => finding.ruleId === 'parity/ci-script-build-args-differ');
    expect(args).toEqual([
      { ruleId: 'parity/ci-script-build-args-differ', file: '.github/workflows/build.yaml', line: 12, message: 'build arg "VERSION" is "1" in CI but "2" in build.sh; expected the same value', related: ['build.sh:2'] },
      { ruleId: 'parity/ci-script-build-args-differ', file: 'build.sh', line: 2, message: 'build arg "VERSION" is "2" here but "1" in CI (.github/workflows/build.yaml); expected the same value', related: ['.github/workflows/build.yaml:12'] },
    ]);
    // Pushing after the build counts as pushing, so the plans agree on it.
    expect(findings.filter((finding) => finding.ruleId === 'parity/ci-script-push-differs')).toEqual([]);
  });

  it('says nothing about a value one side only knows at run time', async () => {
    const findings = await parity({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': workflow('VERSION=${{ inputs.version }}'),
      'build.sh': '#!/bin/sh\ndocker build --build-arg VERSION=2 -t example/app:latest -f app/Dockerfile .\ndocker push example/app:latest\n',
    });
    expect(findings.filter((finding) => finding.ruleId === 'parity/ci-script-build-args-differ')).toEqual([]);
  });

  it('says nothing for a family built on one side only', async () => {
    const findings = await parity({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': workflow('VERSION=1'),
      'other/Dockerfile': DOCKERFILE,
      'build.sh': '#!/bin/sh\ndocker build --build-arg VERSION=2 -f other/Dockerfile .\n',
    });
    expect(findings).toEqual([]);
  });

  it('treats pushing behind a script option as matching CI', async () => {
    const findings = await parity({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': workflow('VERSION=1'),
      'build.sh': [
        '#!/usr/bin/env bash',
        'PUSH=0',
        '[[ ${1:-} != --push ]] || PUSH=1',
        'cmd=(docker buildx build --build-arg VERSION=1 -t example/app:latest -f app/Dockerfile)',
        'if [[ $PUSH == 1 ]]; then cmd+=(--push); fi',
        '"${cmd[@]}" .',
        '',
      ].join('\n'),
    });
    expect(findings.filter((finding) => finding.ruleId === 'parity/ci-script-push-differs')).toEqual([]);
  });

  it('reports a script that always only builds where CI pushes', async () => {
    const findings = await parity({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': workflow('VERSION=1'),
      'build.sh': '#!/bin/sh\ndocker buildx build --load --build-arg VERSION=1 -t example/app:latest -f app/Dockerfile .\n',
    });
    expect(findings.filter((finding) => finding.ruleId === 'parity/ci-script-push-differs').map((finding) => `${finding.file}:${finding.line}`)).toEqual([
      '.github/workflows/build.yaml:9',
      'build.sh:2',
    ]);
  });
});
