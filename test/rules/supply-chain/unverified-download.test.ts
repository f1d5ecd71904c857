import { describe, expect, it } from 'vitest';
import { unverifiedDownload } from '../../../src/rules/supply-chain/unverified-download.js';
import { lint, run } from './lint.js';

describe('supply-chain/unverified-download', () => {
  it.each([
    ['curl -fsSLO https://example.com/pkg_1.0_amd64.deb && dpkg -i pkg_1.0_amd64.deb', 'error'],
    ['curl -fsSLO https://example.com/pkg_1.0_amd64.deb && apt-get install -y ./pkg_1.0_amd64.deb', 'error'],
    ['curl -fsSLo /tmp/pkg.rpm https://example.com/pkg.rpm && rpm -ivh /tmp/pkg.rpm', 'error'],
    ['curl -fsSLo /tmp/x.whl https://example.com/x-1.0-py3-none-any.whl && python3 -m pip install /tmp/x.whl', 'error'],
    ['curl -fsSLo /tmp/tool https://example.com/download/tool && chmod 755 /tmp/tool', 'error'],
    ['curl -fsSLo /tmp/tool https://example.com/download/tool && install -m 0755 /tmp/tool /usr/local/bin/tool', 'error'],
    ['wget -qO /usr/local/bin/tool https://example.com/download/tool', 'error'],
    ['curl -fsSLo /tmp/blob https://example.com/blob && tar -xf /tmp/blob -C /opt', 'warning'],
    ['curl -fsSLo /tmp/x.zip https://example.com/x.zip && unzip /tmp/x.zip -d /opt', 'warning'],
    ['curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt', 'warning'],
    ['curl -fsSL https://example.com/x.tar.zst | zstd -d | tar -x -C /opt', 'warning'],
    ['curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && sha1sum -c x.tgz.sha1 && tar -xzf /tmp/x.tgz', 'warning'],
    ['curl -fsSLo /tmp/a.tgz https://e.com/a.tgz && curl -fsSLo /tmp/b.tgz https://e.com/b.tgz && echo "$A  /tmp/a.tgz" | sha256sum -c -', 'warning'],
    ['curl -fsSLo /tmp/bin https://github.com/o/r/releases/download/v1/bin-linux-amd64', 'warning'],
  ])('flags %j as %s', async (body, severity) => {
    const findings = await lint(unverifiedDownload, run(body));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe(severity);
  });

  it.each([
    'curl -fsSLO https://example.com/pkg.deb && echo "$SHA  pkg.deb" | sha256sum -c - && dpkg -i pkg.deb',
    'curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && cosign verify-blob --key cosign.pub --signature x.tgz.sig /tmp/x.tgz && tar -xzf /tmp/x.tgz',
    'curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && sha512sum --check x.tgz.sha512 && tar -xzf /tmp/x.tgz',
    'curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && [ "$(openssl sha256 -r /tmp/x.tgz | cut -d" " -f1)" = "$SHA" ] && tar -xzf /tmp/x.tgz',
    'curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && gh attestation verify /tmp/x.tgz --repo o/r && tar -xzf /tmp/x.tgz',
    'curl -fsSLo /tmp/index.json https://example.com/index.json',
    'curl -fsSLO https://example.com/x.tgz.sha256',
    'curl -fsSLo /etc/apt/keyrings/docker.asc https://download.docker.com/linux/ubuntu/gpg',
    'curl -fsSLo x.run https://example.com/x.run && sh x.run',
    'curl -fsSL https://example.com/releases | grep -o "v[0-9.]*"',
  ])('accepts %j', async (body) => {
    expect(await lint(unverifiedDownload, run(body))).toEqual([]);
  });

  it('resolves ARGs in URLs and output paths', async () => {
    const dockerfile = 'FROM ubuntu:24.04\nARG FFMPEG_VERSION=7.1\nARG SRC=/usr/src\nRUN curl -fsSL https://ffmpeg.org/releases/ffmpeg-${FFMPEG_VERSION}.tar.xz -o "${SRC}/ffmpeg.tar.xz" && tar -xJf ${SRC}/ffmpeg.tar.xz -C ${SRC}\n';
    const [finding] = await lint(unverifiedDownload, dockerfile);
    expect(finding?.message).toMatch(/^"ffmpeg.tar.xz" is downloaded and extracted/);
  });
});
