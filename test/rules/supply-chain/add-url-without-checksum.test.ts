import { describe, expect, it } from 'vitest';
import { addUrlWithoutChecksum } from '../../../src/rules/supply-chain/add-url-without-checksum.js';
import { lint } from './lint.js';

const from = '# syntax=docker/dockerfile:1.7\nFROM ubuntu:24.04\n';
const SHA = 'f7b19de32c5d1f3cedfc735c2849f12b537522ee';

describe('supply-chain/add-url-without-checksum', () => {
  it.each([
    'ADD https://example.com/x.tgz /tmp/',
    'ADD http://example.com/x.tgz /tmp/',
    'ARG URL=https://example.com/x.tgz\nADD ${URL} /tmp/',
    'ADD https://github.com/o/r.git /src',
    'ADD https://github.com/o/r.git#main /src',
    'ADD https://github.com/o/r.git#v1.2.3:sub /src',
    'ADD git@github.com:o/r.git#f7b19de /src',
    'ADD ssh://git@github.com/o/r.git /src',
    'ADD https://example.com/a.tgz https://example.com/b.tgz /tmp/',
  ])('flags %j', async (line) => {
    expect((await lint(addUrlWithoutChecksum, `${from}${line}\n`)).length).toBeGreaterThan(0);
  });

  it.each([
    'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tgz /tmp/',
    `ADD https://github.com/o/r.git#${SHA} /src`,
    `ADD https://github.com/o/r.git#${SHA}:sub /src`,
    `ADD git@github.com:o/r.git#${SHA} /src`,
    `ADD https://github.com/o/r.git?ref=${SHA}&keep-git-dir=true /src`,
    `ADD --checksum=${SHA} https://github.com/o/r.git#v1.2.3 /src`,
    'ADD ffmpeg-7.1.tar.xz /usr/src/',
    'COPY https-proxy.conf /etc/',
  ])('accepts %j', async (line) => {
    expect(await lint(addUrlWithoutChecksum, `${from}${line}\n`)).toEqual([]);
  });
});
