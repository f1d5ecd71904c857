/**
 * Property tests for the shell parser alone: parseShell never throws, whatever the text, and what
 * it returns is well-formed (indexes in order, positions inside the text, errors with positions).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { LineIndex } from '../../src/parse/locations.js';
import { invocation, argsWithoutFlags, downloadOutput, pipInstall, aptSubcommand, hasFlag, flagValue } from '../../src/parse/shell-query.js';
import { initShellParser, parseShell, type ShellScript } from '../../src/parse/shell.js';
import { dockerfileText, noise, shellBody } from './arbitraries.js';

beforeAll(async () => {
  await initShellParser();
});

const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(noise, { maxLength: 30 }).map((parts) => parts.join('')),
);

function checkWellFormed(text: string, script: ShellScript): void {
  const lines = new LineIndex(text);
  const lastLine = lines.positionAt(text.length).line;
  script.commands.forEach((command, index) => {
    expect(command.index).toBe(index);
    expect(command.range.start.line).toBeGreaterThanOrEqual(1);
    expect(command.range.start.column).toBeGreaterThanOrEqual(1);
    expect(command.range.end.line).toBeLessThanOrEqual(lastLine);
    expect(command.program === null || !command.program.includes('/')).toBe(true);
    for (const word of command.args) {
      expect(word.range.start.line).toBeGreaterThanOrEqual(1);
    }
    // The query vocabulary accepts whatever the parser produced.
    const call = invocation(command);
    argsWithoutFlags(call.args, ['-o']);
    hasFlag(call.args, '-y', '--yes');
    flagValue(call.args, '-o', '--output');
    aptSubcommand(call);
    pipInstall(call);
    downloadOutput(call);
  });
  const starts = script.commands.map((command) => command.range.start);
  for (let i = 1; i < starts.length; i++) {
    const previous = starts[i - 1];
    const current = starts[i];
    if (previous && current) {
      expect(previous.line < current.line || (previous.line === current.line && previous.column <= current.column)).toBe(true);
    }
  }
  for (const error of script.errors) {
    expect(error.message).not.toBe('');
    expect(error.range.start.line).toBeGreaterThanOrEqual(1);
    expect(error.range.start.column).toBeGreaterThanOrEqual(1);
  }
}

describe('parseShell properties', () => {
  it('never throws on arbitrary strings and returns a well-formed script', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checkWellFormed(text, parseShell(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on shell-shaped text and parses it the same way twice', () => {
    fc.assert(
      fc.property(shellBody, fc.constantFrom<'sh' | 'bash'>('sh', 'bash'), (text, dialect) => {
        const first = parseShell(text, { dialect });
        checkWellFormed(text, first);
        const second = parseShell(text, { dialect });
        expect(second.commands.map((command) => command.text)).toEqual(first.commands.map((command) => command.text));
        expect(second.errors).toEqual(first.errors);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseDockerfile properties', () => {
  it('never throws and maps every RUN command inside the file', () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        const dockerfile = parseDockerfile('Dockerfile', text);
        const lineCount = dockerfile.lines.lineCount;
        for (const instruction of dockerfile.instructions) {
          expect(instruction.range.start.line).toBeGreaterThanOrEqual(1);
          expect(instruction.range.start.line).toBeLessThanOrEqual(lineCount + 1);
          if (instruction.kind === 'run' && instruction.shell) {
            for (const command of instruction.shell.commands) {
              // RUN bodies are mapped into the Dockerfile: within the instruction's lines.
              expect(command.range.start.line).toBeGreaterThanOrEqual(instruction.range.start.line);
              expect(command.range.start.line).toBeLessThanOrEqual(Math.max(instruction.range.end.line, lineCount) + 1);
              expect(command.range.start.column).toBeGreaterThanOrEqual(1);
            }
          }
        }
        for (const stage of dockerfile.stages) {
          expect(stage.dependsOn.every((dependency) => dependency.index < stage.index)).toBe(true);
        }
        expect(dockerfile.stages.filter((stage) => stage.isFinal).length).toBe(dockerfile.stages.length > 0 ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });
});
