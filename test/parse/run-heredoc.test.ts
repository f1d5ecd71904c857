/** How RUN bodies given as here-documents are parsed (src/parse/dockerfile.ts, runShell). */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile, type RunInstruction } from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';

beforeAll(async () => {
  await initShellParser();
});

function run(text: string): RunInstruction {
  const dockerfile = parseDockerfile('Dockerfile', text);
  const found = dockerfile.instructions.find((instruction) => instruction.kind === 'run');
  if (!found || found.kind !== 'run') {
    throw new Error('no RUN');
  }
  return found;
}

describe('RUN heredoc bodies', () => {
  it('parses `RUN <<EOF bash` as the script, in bash', () => {
    const parsed = run('FROM ubuntu:22.04\nRUN <<EOF bash\nset -o pipefail\ncurl -fsSL https://example.com | tar -x\nEOF\n');
    expect(parsed.shell?.dialect).toBe('bash');
    expect(parsed.shell?.commands.map((command) => command.program)).toEqual(['set', 'curl', 'tar']);
    expect(parsed.shell?.commands[1]?.range.start).toEqual({ line: 4, column: 1 });
  });

  it('parses `RUN <<EOF python3` as python3 reading the body, not the body as shell', () => {
    const parsed = run('FROM ubuntu:22.04\nRUN <<EOF python3 -u\nimport os\nprint("a | b")\nEOF\n');
    expect(parsed.shell?.commands.map((command) => command.program)).toEqual(['python3']);
    expect(parsed.shell?.commands[0]?.range.start).toEqual({ line: 2, column: 11 });
    expect(parsed.shell?.commands[0]?.redirects).toEqual([{ operator: '<<', target: null, heredoc: 'import os\nprint("a | b")\n' }]);
  });

  it('does not parse a body whose shebang names another language', () => {
    const parsed = run('FROM ubuntu:22.04\nRUN <<EOF\n#!/usr/bin/env python3\nprint("a | b")\nEOF\n');
    expect(parsed.shell?.commands).toEqual([]);
  });

  it('parses a body with a shell shebang in that shell', () => {
    const parsed = run('FROM ubuntu:22.04\nRUN <<EOF\n#!/bin/bash\nset -euo pipefail\necho "$((1 + 2))"\nEOF\n');
    expect(parsed.shell?.dialect).toBe('bash');
    expect(parsed.shell?.commands.map((command) => command.program)).toEqual(['set', 'echo']);
  });
});

describe('exec-form instructions', () => {
  it('keeps the JSON strings without their quotes, for RUN and SHELL', () => {
    const dockerfile = parseDockerfile('Dockerfile', 'FROM ubuntu:22.04\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ["apt-get", "install", "-y", "curl"]\n');
    const parsed = dockerfile.instructions.find((instruction) => instruction.kind === 'run') as RunInstruction;
    expect(parsed.shellCommand).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(parsed.shell?.dialect).toBe('bash');
    expect(parsed.shell?.commands[0]?.program).toBe('apt-get');
  });
});
