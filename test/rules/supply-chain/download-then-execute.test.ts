import { describe, expect, it } from 'vitest';
import { downloadThenExecute } from '../../../src/rules/supply-chain/download-then-execute.js';
import { lint, run } from './lint.js';

describe('supply-chain/download-then-execute', () => {
  it.each([
    'curl -fsSLo x.sh https://example.com/x.sh && bash x.sh',
    'wget https://example.com/cuda_12.4.1_linux.run && sh cuda_12.4.1_linux.run --silent',
    'curl -fsSL https://example.com/x.sh > /tmp/x.sh && sh /tmp/x.sh',
    'cd /tmp && curl -fsSLO https://example.com/install.sh && chmod +x install.sh && ./install.sh',
    'curl -fsSLo /usr/local/bin/tool https://example.com/tool && chmod +x /usr/local/bin/tool && tool --version',
    'curl -fsSLo x.sh https://example.com/x.sh && sha1sum x.sh && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && md5sum -c x.sh.md5 && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && bash x.sh && echo "$SHA  x.sh" | sha256sum -c -',
    'curl -fsSLo a.sh https://example.com/a.sh && curl -fsSLo b.sh https://example.com/b.sh && echo "$SHA  b.sh" | sha256sum -c - && bash a.sh',
    'wget -q -P /tmp https://example.com/get.py && python3 /tmp/get.py',
    'curl -fsSL --output-dir /tmp -O https://example.com/get.py && python3 /tmp/get.py',
    'curl -fsSLo x.sh https://example.com/x.sh && . ./x.sh',
  ])('flags %j', async (body) => {
    expect(await lint(downloadThenExecute, run(body))).toHaveLength(1);
  });

  it.each([
    'curl -fsSLo x.sh https://example.com/x.sh && echo "$SHA  x.sh" | sha256sum -c - && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && sha256sum -c <<< "$SHA  x.sh" && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && shasum -a 256 -c x.sh.sha256 && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && curl -fsSLO https://example.com/SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && gpg --verify x.sh.asc x.sh && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && cosign verify-blob --bundle x.sh.bundle x.sh && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && minisign -Vm x.sh -P "$KEY" && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && test "$(sha256sum x.sh | cut -d" " -f1)" = "$SHA" && bash x.sh',
    'curl -fsSLo x.sh https://example.com/x.sh && cat x.sh',
    'curl -fsSLo /tmp/tool https://example.com/tool && chmod +x /tmp/tool && tool --version',
  ])('accepts %j', async (body) => {
    expect(await lint(downloadThenExecute, run(body))).toEqual([]);
  });

  it('does not follow a file from one RUN into the next', async () => {
    expect(await lint(downloadThenExecute, 'FROM ubuntu:24.04\nRUN curl -fsSLo /tmp/x.sh https://example.com/x.sh\nRUN bash /tmp/x.sh\n')).toEqual([]);
  });

  it('points at the run in a related location', async () => {
    const [finding] = await lint(downloadThenExecute, run('curl -fsSLo x.sh https://example.com/x.sh \\\n && bash x.sh'));
    expect(finding?.range.start.line).toBe(2);
    expect(finding?.related?.[0]?.range.start.line).toBe(3);
  });
});
