import { describe, expect, it } from 'vitest';
import { cdInsteadOfWorkdir } from '../../../src/rules/dockerfile/cd-instead-of-workdir.js';
import { lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/cd-instead-of-workdir', () => {
  it.each([
    'RUN cd - && make',
    'RUN cd && ls',
    'RUN make && cd /opt && make install',
    'RUN git clone https://github.com/FFmpeg/FFmpeg.git && cd FFmpeg && make',
    'RUN (cd /opt/src && make) && ls',
    'RUN { cd /opt/src; make; }',
    'RUN echo "$(cd /opt && pwd)"',
    'RUN for d in /opt/a /opt/b; do cd /opt/a; make; done',
    'RUN while read -r d; do cd /opt/src; done < /tmp/dirs',
    'RUN if true; then cd /opt; fi',
    'RUN X=/opt && cd $X && make',
    'RUN cd "$UNKNOWN" && make',
    'RUN cd /opt | tee /tmp/log',
    'RUN ["sh", "-c", "cd /opt && make"]',
    'RUN cd /tmp && curl -fsSLO https://example.com/tool.tar.gz && tar -xzf tool.tar.gz && rm tool.tar.gz',
    'RUN cd /opt/src/nccl && make -j8 install && rm -rf /opt/src/nccl',
  ])('accepts %s', async (line) => {
    expect(await lintLines(cdInsteadOfWorkdir, `${from}${line}\n`)).toEqual([]);
  });

  it.each([
    ['RUN cd /opt/src && make', 'cd "/opt/src" starts this RUN'],
    ['RUN set -eux && cd /opt/src && make', 'cd "/opt/src" starts this RUN'],
    ['RUN \\\n    # build it\n    cd /opt/src && make', 'cd "/opt/src" starts this RUN'],
    ['RUN cd "/opt/my src" || exit 1; make', 'cd "/opt/my src" starts this RUN'],
    ['RUN cd /opt/src', 'cd "/opt/src" is all this RUN'],
    ['ENV SRC=/usr/local/src\nRUN cd ${SRC}/ffmpeg && make', 'cd "/usr/local/src/ffmpeg" starts this RUN'],
  ])('reports %j', async (lines, expected) => {
    const found = await lintLines(cdInsteadOfWorkdir, `${from}${lines}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it('reads line continuations with a backtick escape', async () => {
    const dockerfile = '# escape=`\nFROM mcr.microsoft.com/powershell:lts-ubuntu-22.04\nRUN `\n    cd /opt/src && make\n';
    expect(await lintLines(cdInsteadOfWorkdir, dockerfile)).toHaveLength(1);
  });
});
