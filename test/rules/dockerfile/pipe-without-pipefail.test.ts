import { describe, expect, it } from 'vitest';
import { pipeWithoutPipefail } from '../../../src/rules/dockerfile/pipe-without-pipefail.js';
import { lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/pipe-without-pipefail', () => {
  it.each([
    'RUN echo "deb https://example.com/ubuntu jammy main" | tee /etc/apt/sources.list.d/x.list',
    'RUN printf "a\\nb\\n" | sort -u',
    'RUN yes | apt-get install curl',
    'RUN grep -c processor /proc/cpuinfo | tee /tmp/n || true',
    'RUN VERSION="$(curl -fsSL https://example.com/VERSION | head -n1)" && echo "$VERSION"',
    'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tgz | tar -xz',
    'SHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tgz | tar -xz',
    'SHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Select-Object Name',
    'SHELL ["/bin/bash", "-c"]\nRUN set -euo pipefail; curl -fsSL https://example.com/a.tgz | tar -xz',
    'RUN ["/bin/bash", "-c", "curl -fsSL https://example.com/a.tgz | tar -xz"]',
  ])('accepts %j', async (lines) => {
    expect(await lintLines(pipeWithoutPipefail, `${from}${lines}\n`)).toEqual([]);
  });

  it.each([
    'RUN curl -fsSL https://example.com/a.tgz | tar -xz',
    'RUN cat /etc/os-release | grep -q jammy',
    'SHELL ["/bin/bash", "-c"]\nRUN curl -fsSL https://example.com/a.tgz | tar -xz; set -o pipefail',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM ubuntu:22.04\nRUN curl -fsSL https://example.com/a.tgz | tar -xz',
  ])('reports %j', async (lines) => {
    expect(await lintLines(pipeWithoutPipefail, `${from}${lines}\n`)).toHaveLength(1);
  });

  it('inherits a pipefail SHELL from the stage it builds on', async () => {
    const dockerfile = `FROM ubuntu:22.04 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n\nFROM base\nRUN curl -fsSL https://example.com/a.tgz | tar -xz\n`;
    expect(await lintLines(pipeWithoutPipefail, dockerfile)).toEqual([]);
  });

  it('reports a long continued pipeline once, from its first command, even where tree-sitter nests it in a list', async () => {
    const run = [
      'RUN set -ex \\',
      "  && apt-mark auto '.*' > /dev/null \\",
      "  && find /usr/local -type f -executable -exec ldd '{}' ';' \\",
      '    | sort -u \\',
      '    | xargs -r dpkg-query --search \\',
      '    | cut -d: -f1 \\',
      '    | sort -u \\',
      '    | xargs -r apt-mark manual \\',
      '  && rm -rf /tmp/*',
    ].join('\n');
    expect(await lintLines(pipeWithoutPipefail, `${from}${run}\n`)).toEqual([
      '4: pipe from "find" into "xargs" in stage "#0" runs under "/bin/sh -c" without pipefail, so a failure of "find" is ignored; set SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    ]);
  });
});
