import { describe, expect, it } from 'vitest';
import { dependencyGroupWithoutRationale } from '../../../src/rules/docs/dependency-group-without-rationale.js';
import { reviewFiles } from '../../helpers.js';

async function messages(dockerfile: string): Promise<string[]> {
  const result = await reviewFiles({ Dockerfile: dockerfile }, { rules: [dependencyGroupWithoutRationale] });
  return result.findings.filter((finding) => finding.ruleId === dependencyGroupWithoutRationale.id).map((finding) => finding.message);
}

const DOCKER = 'RUN apt-get install -y --no-install-recommends docker-ce docker-ce-cli containerd.io';

describe('docs/dependency-group-without-rationale', () => {
  it.each([
    ['a reason above the RUN', `FROM ubuntu:24.04\n# Docker Engine is required by the DinD workloads (EE_DD=true)\n${DOCKER}\n`],
    ['a reason in the stage header', `# Stage: runtime\n# Why: dockerd is needed for docker-in-docker tests\nFROM ubuntu:24.04\n${DOCKER}\n`],
    ['pip requirement files (only direct words count)', 'FROM python:3.13-slim\nRUN pip install --no-cache-dir -r requirements.txt\n'],
    ['unrelated packages', 'FROM ubuntu:24.04\nRUN apt-get install -y --no-install-recommends libgl1 curl\n'],
  ])('passes %s', async (_name, dockerfile) => {
    expect(await messages(dockerfile)).toEqual([]);
  });

  it.each([
    ['a keyword without a reason', `FROM ubuntu:24.04\n# Docker\n${DOCKER}\n`, 1],
    ['a reason without the keyword', `FROM ubuntu:24.04\n# needed by the edge node workloads\n${DOCKER}\n`, 1],
    ['"engine" alone (TensorRT engines are not Docker)', `FROM ubuntu:24.04\n# engine builds for the TensorRT tests\n${DOCKER}\n`, 1],
    ['two groups in one RUN', 'FROM python:3.13-slim\nRUN pip install --no-cache-dir web3==7.14.0 pyngrok==7.4.1\n', 2],
    ['ngrok from a download URL in a heredoc', 'FROM ubuntu:24.04\nRUN <<EOF\ncurl -fsSLo /tmp/ngrok.tgz https://bin.equinox.io/c/bNyj1mQVY4c/ngrok-v3-stable-linux-amd64.tgz\ntar -xzf /tmp/ngrok.tgz -C /usr/local/bin\nEOF\n', 1],
    ['Node.js via uv pip? no: via apt with a version pin', 'FROM ubuntu:24.04\nRUN apt-get install -y nodejs=20.19.5-1nodesource1\n', 1],
  ])('reports %s', async (_name, dockerfile, count) => {
    expect(await messages(dockerfile)).toHaveLength(count);
  });
});

describe('docs/dependency-group-without-rationale, several RUNs', () => {
  it('reports a group once per stage, at its first RUN', async () => {
    const dockerfile = [
      'FROM ubuntu:24.04 AS ffmpeg-builder',
      'RUN apt-get install -y --no-install-recommends libx264-dev libx265-dev',
      'RUN curl -fsSL https://ffmpeg.org/releases/ffmpeg-6.1.1.tar.xz | tar -xJ -C /tmp',
      'FROM ubuntu:24.04',
      'RUN apt-get install -y --no-install-recommends libx264-164',
    ].join('\n');
    const result = await reviewFiles({ Dockerfile: dockerfile }, { rules: [dependencyGroupWithoutRationale] });
    expect(result.findings.map((finding) => finding.range.start.line)).toEqual([2, 5]);
  });
});
