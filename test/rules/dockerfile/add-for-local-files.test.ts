import { describe, expect, it } from 'vitest';
import { addForLocalFiles } from '../../../src/rules/dockerfile/add-for-local-files.js';
import { fixed, lintLines } from './lint.js';

const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/add-for-local-files', () => {
  it.each([
    'ADD rootfs.tar /',
    'ADD cudnn-linux-x86_64-9.1.0.70_cuda12-archive.tar.xz /opt/',
    'ADD ffmpeg-7.0.tar.bz2 /opt/src/',
    'ADD https://github.com/opencv/opencv/archive/4.10.0.zip /tmp/',
    'ADD git@github.com:org/models.git /opt/models',
    'ADD --keep-git-dir=true https://github.com/pytorch/vision.git#v0.19.1 /opt/vision',
    'ARG SRC\nADD ${SRC} /opt/',
    'COPY app.py /opt/app.py',
  ])('accepts %j', async (lines) => {
    expect(await lintLines(addForLocalFiles, `${from}${lines}\n`)).toEqual([]);
  });

  it('replaces the keyword with COPY, keeping flags and case', async () => {
    expect(await fixed(addForLocalFiles, `${from}ADD --chown=1000:1000 --chmod=755 app/ /opt/app/\nadd run.sh /run.sh\n`))
      .toBe(`${from}COPY --chown=1000:1000 --chmod=755 app/ /opt/app/\ncopy run.sh /run.sh\n`);
  });

  it('does not rewrite an ADD that also unpacks an archive', async () => {
    const input = `${from}ADD weights.tar.gz config.json /opt/model/\n`;
    expect(await fixed(addForLocalFiles, input)).toBe(input);
    expect(await lintLines(addForLocalFiles, input)).toHaveLength(1);
  });
});
