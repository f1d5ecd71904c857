import { describe, expect, it } from 'vitest';
import { wholePrefixCopy } from '../../../src/rules/size/whole-prefix-copy.js';
import { reviewFiles } from '../../helpers.js';

async function lines(dockerfile: string): Promise<number[]> {
  const result = await reviewFiles({ Dockerfile: dockerfile }, { rules: [wholePrefixCopy] });
  return result.findings.filter((finding) => finding.ruleId === wholePrefixCopy.id).map((finding) => finding.range.start.line);
}

const BUILDER = 'FROM ubuntu:24.04 AS build\nRUN cmake -S . -B out -DCMAKE_INSTALL_PREFIX:PATH=/opt/tool && cmake --install out\n';

describe('size/whole-prefix-copy', () => {
  it.each([
    ['/usr/local/.', `${BUILDER}FROM ubuntu:24.04\nCOPY --from=build /usr/local/. /usr/local/\n`, [4]],
    ['/ (by stage index)', `${BUILDER}FROM ubuntu:24.04\nCOPY --from=0 / /\n`, [4]],
    ['a CMake prefix under /opt', `${BUILDER}FROM ubuntu:24.04\nCOPY --from=build /opt/tool /opt/tool\n`, [4]],
    ['a stage the final stage is built FROM', `${BUILDER}FROM ubuntu:24.04 AS base\nCOPY --from=build /usr/local /usr/local\nFROM base\n`, [4]],
  ])('reports %s', async (_name, dockerfile, expected) => {
    expect(await lines(dockerfile)).toEqual(expected);
  });

  it.each([
    ['a directory under /opt nothing was built into', `${BUILDER}FROM ubuntu:24.04\nCOPY --from=build /opt/venv /opt/venv\n`],
    ['selected subdirectories', `${BUILDER}FROM ubuntu:24.04\nCOPY --from=build /usr/local/bin /usr/local/bin\nCOPY --from=build /usr/local/lib/ /usr/local/lib/\n`],
    ['a COPY from the context', 'FROM ubuntu:24.04\nCOPY usr/local /usr/local\n'],
  ])('passes %s', async (_name, dockerfile) => {
    expect(await lines(dockerfile)).toEqual([]);
  });
});
