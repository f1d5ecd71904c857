import { describe, expect, it } from 'vitest';
import { tlsVerificationDisabled } from '../../../src/rules/supply-chain/tls-verification-disabled.js';
import { lint, run } from './lint.js';

describe('supply-chain/tls-verification-disabled', () => {
  it.each([
    'curl -sSk https://example.com -o /tmp/x',
    'curl --proxy-insecure -fsSL https://example.com -o /tmp/x',
    'pip install --trusted-host=pypi.example.com torch',
    'python3 -m pip config set global.trusted-host pypi.example.com',
    'uv pip install --allow-insecure-host pypi.example.com torch',
    'GIT_SSL_NO_VERIFY=1 git clone https://example.com/r.git',
    'export NODE_TLS_REJECT_UNAUTHORIZED=0',
    'git config --global http.sslVerify false',
    'git config --global http.https://git.example.com/.sslverify false',
    'yarn config set strict-ssl false',
    'npm install --strict-ssl=false',
    'apt-get --allow-insecure-repositories update',
    'apt-get install -y --force-yes ffmpeg',
    'apt-get install -y -o APT::Get::AllowUnauthenticated=true ffmpeg',
    'apk add --allow-untrusted /tmp/x.apk',
    'dnf install -y --setopt=sslverify=false ffmpeg',
    'rpm -i --nosignature /tmp/x.rpm',
    'printf "deb [arch=amd64 trusted=yes] http://repo.example.com stable main\\n" | tee /etc/apt/sources.list.d/x.list',
    'echo "Acquire::https::Verify-Peer \\"false\\";" > /etc/apt/apt.conf.d/99verify',
    'echo "strict-ssl=false" >> /root/.npmrc',
    'micromamba install -y --insecure python=3.12',
  ])('flags %j', async (body) => {
    expect(await lint(tlsVerificationDisabled, run(body))).toHaveLength(1);
  });

  it.each([
    'curl -fsSL -K /etc/curlrc https://example.com -o /tmp/x',
    'tar -xkf /tmp/x.tar',
    'git -c http.sslVerify=true clone https://example.com/r.git',
    'npm config set strict-ssl true',
    'pip install --index-url https://pypi.example.com/simple torch',
    'echo "deb [signed-by=/etc/apt/keyrings/x.gpg] https://repo.example.com stable main" > /etc/apt/sources.list.d/x.list',
    'export NODE_TLS_REJECT_UNAUTHORIZED=1',
    'apt-get -o Acquire::Retries=3 update',
  ])('accepts %j', async (body) => {
    expect(await lint(tlsVerificationDisabled, run(body))).toEqual([]);
  });

  it('checks ENV, ARG and COPY heredocs', async () => {
    const dockerfile = 'FROM ubuntu:24.04\nENV PIP_TRUSTED_HOST=pypi.example.com\nARG GIT_SSL_NO_VERIFY=1\nCOPY <<EOF /etc/pip.conf\n[global]\ntrusted-host = pypi.example.com\nEOF\n';
    expect((await lint(tlsVerificationDisabled, dockerfile)).map((finding) => finding.range.start.line)).toEqual([2, 3, 5]);
  });
});
