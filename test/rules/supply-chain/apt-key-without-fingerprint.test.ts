import { describe, expect, it } from 'vitest';
import { aptKeyWithoutFingerprint } from '../../../src/rules/supply-chain/apt-key-without-fingerprint.js';
import { lintLines, run } from './lint.js';

const KEY = 'https://download.docker.com/linux/ubuntu/gpg';

describe('supply-chain/apt-key-without-fingerprint', () => {
  it.each([
    `curl -fsSL ${KEY} | gpg --dearmor -o /etc/apt/keyrings/docker.gpg`,
    `curl -fsSL ${KEY} | gpg --dearmor > /usr/share/keyrings/docker.gpg`,
    `curl -fsSL ${KEY} | sudo gpg --dearmor | sudo tee /etc/apt/keyrings/docker.gpg > /dev/null`,
    `curl -fsSL ${KEY} | gpg --no-default-keyring --keyring /usr/share/keyrings/docker.gpg --import`,
    `wget -qO /etc/apt/keyrings/docker.asc ${KEY}`,
    `curl -fsSL ${KEY} -o /tmp/docker.asc && mv /tmp/docker.asc /etc/apt/keyrings/docker.asc`,
    `curl -fsSL ${KEY} -o /tmp/docker.asc && gpg --dearmor -o /etc/apt/keyrings/docker.gpg /tmp/docker.asc`,
    `curl -fsSL ${KEY} -o /tmp/docker.asc && gpg --show-keys /tmp/docker.asc && gpg --dearmor -o /etc/apt/keyrings/docker.gpg /tmp/docker.asc`,
    `curl -fsSL ${KEY} | apt-key add -`,
    `apt-key adv --fetch-keys ${KEY}`,
    'apt-key adv --keyserver keyserver.ubuntu.com --recv-keys 0EBFCD88',
  ])('flags %j', async (body) => {
    const lines = await lintLines(aptKeyWithoutFingerprint, run(body));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^2 warning: /);
  });

  it.each([
    `curl -fsSL ${KEY} -o /tmp/docker.asc && gpg --show-keys --with-colons /tmp/docker.asc | grep -q 9DC858229FC7DD38854AE2D88D81803C0EBFCD88 && gpg --dearmor -o /etc/apt/keyrings/docker.gpg /tmp/docker.asc`,
    `curl -fsSL ${KEY} -o /tmp/docker.asc && gpg --import-options show-only --import /tmp/docker.asc | grep -q "9DC8 5822 9FC7 DD38 854A  E2D8 8D81 803C 0EBF CD88" && install -m 0644 /tmp/docker.asc /etc/apt/keyrings/docker.asc`,
    `curl -fsSL ${KEY} -o /tmp/docker.asc && echo "$KEY_SHA256  /tmp/docker.asc" | sha256sum -c - && mv /tmp/docker.asc /etc/apt/keyrings/`,
    'gpg --keyserver hkps://keyserver.ubuntu.com --recv-keys 9DC858229FC7DD38854AE2D88D81803C0EBFCD88 && gpg --export 9DC858229FC7DD38854AE2D88D81803C0EBFCD88 > /etc/apt/keyrings/docker.gpg',
    'gpg --keyserver hkps://keys.openpgp.org --recv-keys 64E628F8D684696D && gpg --verify Python-3.12.8.tgz.asc',
    'curl -fsSL https://ffmpeg.org/ffmpeg-devel.asc | gpg --import',
    'curl -fsSL https://example.com/data.json -o /tmp/data.json',
  ])('accepts %j', async (body) => {
    expect(await lintLines(aptKeyWithoutFingerprint, run(body))).toEqual([]);
  });

  it('reports apt-key itself as deprecated when the key is pinned', async () => {
    expect(await lintLines(aptKeyWithoutFingerprint, run('apt-key adv --keyserver keyserver.ubuntu.com --recv-keys 9DC858229FC7DD38854AE2D88D81803C0EBFCD88'))).toEqual([
      '2 info: apt-key is deprecated (its last releases are Debian 12 and Ubuntu 24.04); keep the key in /etc/apt/keyrings and name it with signed-by= in the source line',
    ]);
    expect(await lintLines(aptKeyWithoutFingerprint, run('apt-key add /tmp/vendor.asc'))).toHaveLength(1);
  });

  it('takes the expected fingerprint from an ARG', async () => {
    const dockerfile = 'FROM ubuntu:24.04\nARG FPR=9DC858229FC7DD38854AE2D88D81803C0EBFCD88\n'
      + `RUN curl -fsSL ${KEY} -o /tmp/k.asc && gpg --show-keys --with-colons /tmp/k.asc | grep -q "fpr:::::::::$FPR:" && gpg --dearmor -o /etc/apt/keyrings/docker.gpg /tmp/k.asc\n`;
    expect(await lintLines(aptKeyWithoutFingerprint, dockerfile)).toEqual([]);
  });
});
