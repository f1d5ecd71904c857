import { describe, expect, it } from 'vitest';
import { tensorrtAptUnpinnedAgainstBindings } from '../../../src/rules/compat/tensorrt-apt-unpinned-against-bindings.js';
import { reviewFiles } from '../../helpers.js';

async function findings(files: Record<string, string>) {
  const result = await reviewFiles(files, { rules: [tensorrtAptUnpinnedAgainstBindings] });
  return result.findings.filter((finding) => finding.ruleId === tensorrtAptUnpinnedAgainstBindings.id);
}

const APT = 'RUN apt-get update && apt-get install -y --no-install-recommends libnvinfer10 libnvinfer-plugin10\n';
const REQUIREMENTS = 'numpy==1.26.4\ntensorrt-cu12-bindings==10.14.1.48.post1\n';

describe('compat/tensorrt-apt-unpinned-against-bindings', () => {
  it('follows -r through a bind mount of the context', async () => {
    const dockerfile = `FROM ubuntu:24.04\n${APT}RUN --mount=type=bind,source=gpu/requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt\n`;
    const result = await findings({ 'Dockerfile': dockerfile, 'gpu/requirements.txt': REQUIREMENTS });
    expect(result).toHaveLength(1);
    expect(result[0]?.message).toContain('(gpu/requirements.txt:2)');
    expect(result[0]?.related?.[0]).toMatchObject({ file: 'gpu/requirements.txt', range: { start: { line: 2 } } });
  });

  it('follows -r through COPY into a folder and a relative WORKDIR', async () => {
    const dockerfile = `FROM ubuntu:24.04\n${APT}WORKDIR /opt\nWORKDIR app\nCOPY gpu/requirements.txt deps/\nRUN pip install --requirement=deps/requirements.txt\n`;
    const result = await findings({ 'Dockerfile': dockerfile, 'gpu/requirements.txt': REQUIREMENTS });
    expect(result).toHaveLength(1);
  });

  it('reads a pin from a global ARG redeclared in the stage, and points at the global default', async () => {
    const dockerfile = `ARG TRT=10.14.1.48\nFROM ubuntu:24.04\nARG TRT\n${APT}RUN pip install "tensorrt-cu12==\${TRT}"\n`;
    const result = await findings({ Dockerfile: dockerfile });
    expect(result[0]?.message).toContain('pip pins tensorrt-cu12==10.14.1.48 (line 5)');
    expect(result[0]?.related?.map((related) => related.range.start.line)).toEqual([5, 1]);
  });

  it.each([
    ['apt packages pinned with a variable', `FROM ubuntu:24.04\nARG V=10.14.1.48-1+cuda12.9\nRUN apt-get install -y libnvinfer10=\${V}\nRUN pip install tensorrt-cu12-bindings==10.14.1.48.post1\n`],
    ['bindings only given a range', `FROM ubuntu:24.04\n${APT}RUN pip install "tensorrt-cu12-bindings>=10.14"\n`],
    ['other NVIDIA libraries from apt', `FROM ubuntu:24.04\nRUN apt-get install -y libcublas-12-8 libnpp-12-8\nRUN pip install tensorrt-cu12-bindings==10.14.1.48.post1\n`],
    ['tensorrt-lean is not a version pin of the full runtime', `FROM ubuntu:24.04\n${APT}RUN pip install tensorrt-lean-cu12==10.14.1.48\n`],
  ])('stays silent for %s', async (_label, dockerfile) => {
    expect(await findings({ Dockerfile: dockerfile })).toEqual([]);
  });
});
