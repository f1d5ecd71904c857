import { describe, expect, it } from 'vitest';
import { curlPipeShell } from '../../../src/rules/supply-chain/curl-pipe-shell.js';
import { lint, run } from './lint.js';

describe('supply-chain/curl-pipe-shell', () => {
  it.each([
    'curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash -',
    'wget -qO- https://get.docker.com | sh',
    'wget -O - https://get.docker.com | bash -s -- --version 27.3',
    'curl -sSL https://bootstrap.pypa.io/get-pip.py | python3 -',
    'curl -sSL https://install.perlbrew.pl | perl',
    'curl -fsSL https://example.com/setup.js | node',
    'curl -fsSL https://example.com/i.sh | tee /tmp/i.log | sh',
    'curl -fsSL https://example.com/i.sh | busybox sh',
    'curl -fsSL https://example.com/i.sh | env FOO=1 bash',
    'bash <(curl -fsSL https://example.com/i.sh)',
    'sh -c "$(curl -fsSL https://example.com/i.sh)"',
    'eval "$(curl -fsSL https://example.com/env.sh)"',
    'curl -fsSL "$INSTALLER_URL" | sh',
  ])('flags %j', async (body) => {
    expect(await lint(curlPipeShell, run(body))).toHaveLength(1);
  });

  it.each([
    'curl -fsSL https://api.github.com/repos/x/y/releases/latest | python3 -c "import json,sys; print(json.load(sys.stdin))"',
    'curl -fsSL https://api.github.com/repos/x/y/releases/latest | jq -r .tag_name',
    'wget https://example.com/i.sh | sh',
    'curl -fsSL -o /tmp/i.sh https://example.com/i.sh | sh',
    'bash -c "echo $(curl -fsSL https://checkip.amazonaws.com)"',
    'VERSION="$(curl -fsSL https://dl.k8s.io/release/stable.txt)"',
    'curl -fsSL https://example.com/data | sh -c "cat > /tmp/data"',
    'curl -fsSL https://example.com/data | bash /opt/consume.sh',
    'curl --version | sh',
  ])('accepts %j', async (body) => {
    expect(await lint(curlPipeShell, run(body))).toEqual([]);
  });

  it('reads heredoc RUN bodies', async () => {
    expect(await lint(curlPipeShell, 'FROM ubuntu:24.04\nRUN <<EOF\nset -e\ncurl -LsSf https://astral.sh/uv/install.sh | sh\nEOF\n')).toHaveLength(1);
  });

  it('expands ARGs in the URL for the message', async () => {
    const [finding] = await lint(curlPipeShell, 'FROM ubuntu:24.04\nARG NODE_MAJOR=20\nRUN curl -fsSL https://deb.nodesource.com/setup_${NODE_MAJOR}.x | bash -\n');
    expect(finding?.message).toContain('"https://deb.nodesource.com/setup_20.x"');
    expect(finding?.message).toContain('NodeSource');
  });

  it('checks build scripts', async () => {
    expect(await lint(curlPipeShell, { 'scripts/setup.sh': '#!/bin/sh\ncurl -fsSL https://example.com/i.sh | sh\n' })).toHaveLength(1);
  });
});
