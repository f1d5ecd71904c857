import { describe, expect, it } from 'vitest';
import { runWithoutIntentComment } from '../../../src/rules/docs/run-without-intent-comment.js';
import { reviewFiles } from '../../helpers.js';

async function lines(dockerfile: string): Promise<number[]> {
  const result = await reviewFiles({ Dockerfile: dockerfile }, { rules: [runWithoutIntentComment] });
  return result.findings.filter((finding) => finding.ruleId === runWithoutIntentComment.id).map((finding) => finding.range.start.line);
}

describe('docs/run-without-intent-comment', () => {
  it.each([
    ['a single long command', `FROM ubuntu:24.04\nRUN apt-get install -y --no-install-recommends ${'libgl1 '.repeat(20)}\n`],
    ['set -eux before one command', 'FROM ubuntu:24.04\nRUN set -eux; ldconfig\n'],
    ['a command substitution', 'FROM ubuntu:24.04\nRUN echo "$(uname -m)" > /etc/arch\n'],
    ['a comment directly above', 'FROM ubuntu:24.04\n# ldconfig after the CUDA libs land, so the loader finds them.\nRUN ldconfig && ldconfig -p\n'],
    ['a heredoc with one command', 'FROM ubuntu:24.04\nRUN <<EOF\nset -e\nldconfig\nEOF\n'],
    ['a heredoc fed to python', 'FROM python:3.13-slim\nRUN <<EOF python3\nimport sys\nprint(sys.version)\nEOF\n'],
  ])('passes %s', async (_name, dockerfile) => {
    expect(await lines(dockerfile)).toEqual([]);
  });

  it.each([
    ['two commands', 'FROM ubuntu:24.04\nRUN ldconfig && ldconfig -p\n', [2]],
    ['only a pragma above', 'FROM ubuntu:24.04\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n', [3]],
    ['a comment one blank line away', 'FROM ubuntu:24.04\n# why\n\nRUN ldconfig && ldconfig -p\n', [4]],
    ['only comments inside the continuation lines', 'FROM ubuntu:24.04\nRUN apt-get update \\\n    # needed for curl\n    && apt-get install -y curl\n', [2]],
    ['a heredoc with several commands', 'FROM ubuntu:24.04\nRUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF\n', [2]],
  ])('reports %s', async (_name, dockerfile, expected) => {
    expect(await lines(dockerfile)).toEqual(expected);
  });
});
