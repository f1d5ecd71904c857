import { describe, expect, it } from 'vitest';
import { closestName, dockerfileVariableReferences, shellAssignedNames, shellVariableReferences } from '../../../src/rules/lib/variables.js';

const names = (references: { name: string }[]): string[] => references.map((reference) => reference.name);

describe('dockerfileVariableReferences', () => {
  it.each([
    ['$A ${B} ${C:-x} ${D:+$E}', ['A', 'B', 'C', 'D', 'E']],
    ['\\$A ${B}', ['B']],
    ["'$A' \"$B\"", ['B']],
    ['$$A', []],
    ['${#LEN} ${A%%.*}', ['LEN', 'A']],
    ['$1 ${} $', []],
  ])('finds the names in %s', (text, expected) => {
    expect(names(dockerfileVariableReferences(text))).toEqual(expected);
  });

  it('honours a backtick escape character', () => {
    expect(names(dockerfileVariableReferences('`$A $B', '`'))).toEqual(['B']);
  });

  it('treats quotes as JSON syntax in exec form', () => {
    expect(names(dockerfileVariableReferences(`["it's $A", "$B"]`, '\\', { quotes: false }))).toEqual(['A', 'B']);
  });

  it('reports the modifier', () => {
    expect(dockerfileVariableReferences('${A:-x}${B}${C+y}').map((reference) => reference.modifier)).toEqual([':-', null, '+']);
  });
});

describe('shellVariableReferences', () => {
  it('skips single quotes, escapes and comments', () => {
    expect(names(shellVariableReferences(`echo '$A' "$B" \\$C $D # $E\necho "it's $F"`))).toEqual(['B', 'D', 'F']);
  });
});

describe('shellAssignedNames', () => {
  it('finds assignments, exports, loops and reads', () => {
    const assigned = shellAssignedNames('A=1; export B=2 && for C in 1 2; do :; done; read -r D E; echo ${F:=x} G+=1');
    expect([...assigned].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  });
});

describe('closestName', () => {
  it.each([
    ['CUDA_VERISON', ['CUDA_VERSION', 'PYTHON'], 'CUDA_VERSION'],
    ['cuda_version', ['CUDA_VERSION'], 'CUDA_VERSION'],
    ['TORCH', ['CUDA_VERSION'], null],
    ['A', ['B'], null],
  ])('%s -> %s', (name, candidates, expected) => {
    expect(closestName(name, candidates)).toBe(expected);
  });
});
