import { describe, expect, it } from 'vitest';
import { shellFormCmdEntrypoint } from '../../../src/rules/dockerfile/shell-form-cmd-entrypoint.js';
import { fixed, lintLines } from './lint.js';

const from = 'FROM python:3.11-slim\n';

describe('dockerfile/shell-form-cmd-entrypoint', () => {
  it.each([
    ['CMD python3 -m http.server 8000', 'CMD ["python3", "-m", "http.server", "8000"]'],
    ['ENTRYPOINT exec /usr/local/bin/serve --port=8000', 'ENTRYPOINT ["/usr/local/bin/serve", "--port=8000"]'],
    ['CMD python3 "/opt/my app.py"', 'CMD ["python3", "/opt/my app.py"]'],
  ])('rewrites %s as exec form (unsafe fix)', async (input, output) => {
    expect(await fixed(shellFormCmdEntrypoint, `${from}${input}\n`)).toBe(`${from}${output}\n`);
  });

  it.each([
    'CMD python3 serve.py --port "$PORT"',
    'CMD nvidia-smi && python3 serve.py',
    'CMD python3 serve.py > /var/log/serve.log 2>&1',
    'CMD python3 *.py',
  ])('offers no fix when %s needs the shell', async (input) => {
    expect(await fixed(shellFormCmdEntrypoint, `${from}${input}\n`)).toBe(`${from}${input}\n`);
    expect(await lintLines(shellFormCmdEntrypoint, `${from}${input}\n`)).toHaveLength(1);
  });

  it('follows BuildKit: an explicit SHELL in the stage or its base stage silences it', async () => {
    const dockerfile = `${from}SHELL ["/bin/sh", "-c"]\nCMD python3 serve.py\n\nFROM python:3.11-slim AS other\nCMD python3 other.py\n`;
    expect(await lintLines(shellFormCmdEntrypoint, dockerfile)).toEqual(['6: shell-form CMD in stage "other" makes /bin/sh PID 1, so the program does not receive SIGTERM; use the exec form ["...", "..."]']);
  });

  it('reports a SHELL that only comes after the CMD', async () => {
    expect(await lintLines(shellFormCmdEntrypoint, `${from}CMD python3 serve.py\nSHELL ["/bin/bash", "-c"]\n`)).toHaveLength(1);
  });
});
