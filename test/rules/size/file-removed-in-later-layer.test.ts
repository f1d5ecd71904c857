import { describe, expect, it } from 'vitest';
import { fileRemovedInLaterLayer } from '../../../src/rules/size/file-removed-in-later-layer.js';
import { reviewFiles } from '../../helpers.js';

async function findings(dockerfile: string, extra: Record<string, string> = {}): Promise<{ line: number; message: string; related: number[] }[]> {
  const result = await reviewFiles({ Dockerfile: dockerfile, ...extra }, { rules: [fileRemovedInLaterLayer] });
  return result.findings
    .filter((finding) => finding.ruleId === fileRemovedInLaterLayer.id)
    .map((finding) => ({ line: finding.range.start.line, message: finding.message, related: (finding.related ?? []).map((entry) => entry.range.start.line) }));
}

const URL = 'https://ffmpeg.org/releases/ffmpeg-6.1.1.tar.xz';

describe('size/file-removed-in-later-layer', () => {
  it.each([
    ['download and delete in one RUN', `FROM ubuntu:24.04\nRUN curl -fsSLo /tmp/f.tar.xz ${URL} && tar -xJf /tmp/f.tar.xz -C /opt && rm /tmp/f.tar.xz\n`],
    ['a builder stage that does not ship', `FROM ubuntu:24.04 AS build\nRUN curl -fsSLo /tmp/f.tar.xz ${URL}\nRUN rm /tmp/f.tar.xz\nFROM ubuntu:24.04\nCOPY --from=build /opt /opt\n`],
    ['a download into a tmpfs mount', `FROM ubuntu:24.04\nRUN --mount=type=tmpfs,target=/tmp curl -fsSLo /tmp/f.tar.xz ${URL}\nRUN rm -f /tmp/f.tar.xz\n`],
    ['a removal of something the base image has', 'FROM ubuntu:24.04\nRUN rm -rf /usr/share/doc/*\n'],
    ['a relative path under an unknown directory', `FROM ubuntu:24.04\nRUN cd "$(mktemp -d)" && curl -fsSLo f.tar.xz ${URL}\nRUN rm -f /tmp/f.tar.xz\n`],
    ['a dotfile glob does not match', 'FROM ubuntu:24.04\nRUN echo x > /root/.netrc\nRUN rm -f /root/*\n'],
    ['a path re-created and removed in one later RUN', `FROM ubuntu:24.04\nRUN curl -fsSLo /tmp/a ${URL} && rm /tmp/a\nRUN curl -fsSLo /tmp/a ${URL} && rm /tmp/a\n`],
  ])('passes %s', async (_name, dockerfile) => {
    expect(await findings(dockerfile)).toEqual([]);
  });

  it('follows WORKDIR and cd for relative paths', async () => {
    const result = await findings(`FROM ubuntu:24.04\nWORKDIR /build\nRUN wget -q ${URL}\nRUN cd /build && rm ffmpeg-6.1.1.tar.xz\n`);
    expect(result).toEqual([{ line: 4, message: expect.stringContaining('"/build/ffmpeg-6.1.1.tar.xz"'), related: [3] }]);
  });

  it('matches rm of a parent directory and names the created path', async () => {
    const result = await findings('FROM ubuntu:24.04\nRUN git clone --depth 1 https://github.com/FFmpeg/nv-codec-headers.git /src/nv-codec-headers\nRUN rm -rf /src\n');
    expect(result).toEqual([{ line: 3, message: expect.stringContaining('wrote "/src/nv-codec-headers" below it'), related: [2] }]);
  });

  it('matches rm inside a tree an archive unpacked', async () => {
    const result = await findings(`FROM ubuntu:24.04\nRUN curl -fsSL ${URL} | tar -xJ -C /opt\nRUN rm -rf /opt/ffmpeg-6.1.1/doc\n`);
    expect(result.map((entry) => entry.line)).toEqual([3]);
  });

  it('tracks stages the final stage is built FROM', async () => {
    const result = await findings(`FROM ubuntu:24.04 AS base\nRUN curl -fsSLo /opt/model.bin https://example.com/model.bin\nFROM base\nRUN rm /opt/model.bin\n`);
    expect(result.map((entry) => entry.line)).toEqual([4]);
  });

  it('reports a later rm in a heredoc RUN', async () => {
    const result = await findings(`FROM ubuntu:24.04\nRUN curl -fsSLo /tmp/f.tar.xz ${URL}\nRUN <<EOF\nset -e\ntar -xJf /tmp/f.tar.xz -C /opt\nrm /tmp/f.tar.xz\nEOF\n`);
    expect(result.map((entry) => entry.line)).toEqual([6]);
  });

  it('reads COPY sources from the repository and skips what .dockerignore excludes', async () => {
    const dockerfile = 'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf docs tests\n';
    const files = { 'docs/index.md': '# docs\n', 'tests/test_app.py': 'def test_ok():\n    pass\n', 'app.py': 'print(1)\n' };
    expect((await findings(dockerfile, files)).map((entry) => entry.message.slice(0, 22))).toEqual(['rm of "/app/docs" does', 'rm of "/app/tests" doe']);
    expect(await findings(dockerfile, { ...files, '.dockerignore': 'docs\ntests\n' })).toEqual([]);
  });

  it('lists several earlier instructions under one glob once', async () => {
    const result = await findings(`FROM ubuntu:24.04\nRUN curl -fsSLo /tmp/a.tgz ${URL}\nRUN curl -fsSLo /tmp/b.tgz ${URL}\nRUN rm -f /tmp/*.tgz\n`);
    expect(result).toEqual([{ line: 4, message: expect.stringContaining('(and 1 more earlier instruction)'), related: [2, 3] }]);
  });

  it('reports pruning a tree copied from a builder stage in a later RUN', async () => {
    const dockerfile = 'FROM python:3.13-slim AS build\nRUN true\nFROM ubuntu:24.04\nCOPY --from=build /usr/local/lib/python3.13 /usr/local/lib/python3.13\nRUN rm -rf /usr/local/lib/python3.13/test /usr/local/lib/python3.13/idlelib\n';
    const result = await findings(dockerfile);
    expect(result.map((entry) => entry.message.split(' and the bytes')[0])).toEqual([
      'rm of "/usr/local/lib/python3.13/test" does not shrink the image: the COPY at line 4 wrote it as part of "/usr/local/lib/python3.13"',
      'rm of "/usr/local/lib/python3.13/idlelib" does not shrink the image: the COPY at line 4 wrote it as part of "/usr/local/lib/python3.13"',
    ]);
  });
});
