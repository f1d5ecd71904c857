import { beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';

beforeAll(async () => {
  await initShellParser();
});

describe('exec-form (JSON) arguments', () => {
  it('keeps blanks and escapes inside the strings', () => {
    const dockerfile = parseDockerfile('Dockerfile', 'FROM ubuntu:22.04\nCOPY ["docs/read me.txt", "a\\"b", "/app/"]\nCMD ["sh", "-c", "echo $HOME"]\n');
    const copy = dockerfile.instructions[1];
    expect(copy?.jsonArgs).toEqual(['docs/read me.txt', 'a"b', '/app/']);
    expect(copy?.kind === 'copy' ? copy.sources.map((source) => source.value) : []).toEqual(['docs/read me.txt', 'a"b']);
    expect(dockerfile.instructions[2]?.jsonArgs).toEqual(['sh', '-c', 'echo $HOME']);
  });
});
