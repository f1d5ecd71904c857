import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/parse/dockerfile.js';
import { initShellParser } from '../../../src/parse/shell.js';
import { noFrom } from '../../../src/rules/dockerfile/no-from.js';
import { unknownInstruction } from '../../../src/rules/dockerfile/unknown-instruction.js';
import type { ReportInput, Rule } from '../../../src/rules/rule.js';
import type { DockerfileContext } from '../../../src/rules/rule.js';
import { lintLines } from './lint.js';

/**
 * Runs a rule's dockerfile hook on a parsed file directly. Discovery reports a file without FROM as
 * review/unreadable-file and does not hand it to rules; the rules still judge such a file
 * sensibly should one reach them (a caller that parses text itself).
 */
async function direct(rule: Rule, text: string): Promise<string[]> {
  await initShellParser();
  const dockerfile = parseDockerfile('Dockerfile', text);
  const found: string[] = [];
  const ctx = { dockerfile, file: dockerfile.path, report: (input: ReportInput) => found.push(`${input.at.start.line}: ${input.message}`) } as unknown as DockerfileContext;
  rule.hooks.dockerfile?.(dockerfile, ctx);
  return found;
}

describe('dockerfile/unknown-instruction', () => {
  it.each([
    ['a RUN continued through a comment line', 'RUN apt-get update && \\\n    # ffmpeg\n    apt-get install -y ffmpeg\n'],
    ['a RUN here-document', 'RUN <<EOF\nset -eu\nffmpeg -version\nEOF\n'],
    ['a lower-case instruction', 'run echo hi\nonbuild RUN echo child\n'],
    ['a line holding only the escape character', 'COPY a /a\n  \\\nEXPOSE 8080\n'],
    ['a backtick escape', '# escape=`\nRUN echo a `\n    b\n'],
  ])('accepts %s', async (_name, body) => {
    const text = body.startsWith('# escape') ? body.replace('\n', '\nFROM ubuntu:22.04\n') : `FROM ubuntu:22.04\n${body}`;
    expect(await lintLines(unknownInstruction, text)).toEqual([]);
  });

  it('points at a lost line continuation only after a RUN', async () => {
    expect(await lintLines(unknownInstruction, 'FROM ubuntu:22.04\nENV A=1\n    apt-get install -y ffmpeg\n')).toEqual([
      '3: unknown instruction "apt-get": a line must start with an instruction, a comment or a parser directive, so the build fails',
    ]);
  });

  it('reports prose that has no FROM once, as not a Dockerfile', async () => {
    expect(await direct(unknownInstruction, 'This image bundles FFmpeg.\nBuild it with docker build.\nThen run it.\n')).toEqual([
      '1: 3 lines do not start with a Dockerfile instruction (the first is "This"): this file does not look like a Dockerfile and the build fails',
    ]);
  });
});

describe('dockerfile/no-from', () => {
  it('reports a fragment without FROM and an empty file', async () => {
    expect(await direct(noFrom, 'RUN apt-get update\nENV A=1\n')).toEqual(['1: no FROM instruction: a Dockerfile must open its first build stage with FROM, so the build fails']);
    expect(await direct(noFrom, '# nothing yet\n')).toEqual(['1: the file has no instructions: a Dockerfile must open its first build stage with FROM, so the build fails']);
  });

  it('accepts ARG, comments and directives before FROM', async () => {
    expect(await lintLines(noFrom, '# syntax=docker/dockerfile:1\n# base image\nARG BASE=ubuntu:22.04\n\nFROM ${BASE}\nRUN echo ok\n')).toEqual([]);
  });

  it('leaves unknown lines before FROM to dockerfile/unknown-instruction', async () => {
    expect(await lintLines(noFrom, 'RUNN echo hi\nFROM ubuntu:22.04\n')).toEqual([]);
  });
});
