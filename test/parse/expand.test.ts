/** Dockerfile variable substitution (src/parse/expand.ts). */
import { describe, expect, it } from 'vitest';
import { expand, type Scope } from '../../src/parse/expand.js';

function scope(entries: Record<string, string | undefined>): Scope {
  return new Map(Object.entries(entries));
}

const vars = scope({ A: 'alpha', EMPTY: '', UNSET: undefined, CUDA: '12.4.1' });

describe('expand', () => {
  it.each([
    ['$A', 'alpha'],
    ['${A}', 'alpha'],
    ['x$A/y', 'xalpha/y'],
    ['${A}_suffix', 'alpha_suffix'],
    // A name runs as far as identifier characters go.
    ['$A_suffix', '$A_suffix'],
    ['nvidia/cuda:${CUDA}-runtime', 'nvidia/cuda:12.4.1-runtime'],
    ['no variables here', 'no variables here'],
    ['', ''],
  ])('%s -> %s', (text, value) => {
    expect(expand(text, vars).value).toBe(value);
  });

  describe('modifiers', () => {
    it.each([
      // :- uses the word when unset OR empty; - only when unset.
      ['${A:-def}', 'alpha', true],
      ['${EMPTY:-def}', 'def', true],
      ['${EMPTY-def}', '', true],
      ['${A-def}', 'alpha', true],
      // An ARG without a default is unset at build time unless --build-arg gives it: the default build takes the word.
      ['${UNSET:-def}', 'def', true],
      ['${UNSET-def}', 'def', true],
      ['${MISSING:-def}', 'def', true],
      ['${MISSING-def}', 'def', true],
      // :+ uses the word when set and non-empty; + when set.
      ['${A:+word}', 'word', true],
      ['${A+word}', 'word', true],
      ['${EMPTY:+word}', '', true],
      ['${EMPTY+word}', 'word', true],
      // Unknown at review time: kept as written.
      ['${UNSET:+word}', '${UNSET:+word}', false],
      ['${MISSING+word}', '${MISSING+word}', false],
      ['${A:-}', 'alpha', true],
      ['${EMPTY:-}', '', true],
    ])('%s -> %j (resolved %s)', (text, value, resolved) => {
      const result = expand(text, vars);
      expect(result.value).toBe(value);
      expect(result.resolved).toBe(resolved);
    });

    it('expands nested defaults', () => {
      expect(expand('${MISSING:-${A}}', vars)).toMatchObject({ value: 'alpha', resolved: true });
      expect(expand('${MISSING:-${OTHER:-${CUDA}}}', vars)).toMatchObject({ value: '12.4.1', resolved: true });
      expect(expand('${MISSING:-${OTHER}}', vars)).toMatchObject({ value: '${OTHER}', resolved: false });
      expect(expand('${A:+v${CUDA}}', vars)).toMatchObject({ value: 'v12.4.1', resolved: true });
    });

    it('does not expand a default that is not used', () => {
      const result = expand('${A:-${MISSING}}', vars);
      expect(result).toMatchObject({ value: 'alpha', resolved: true });
      expect(result.references.map((reference) => reference.name)).toEqual(['A']);
    });

    it('keeps a word with spaces and special characters', () => {
      expect(expand('${MISSING:-a b:c/d@e}', vars).value).toBe('a b:c/d@e');
    });
  });

  describe('unknown variables', () => {
    it('stay as written and mark the expansion unresolved', () => {
      expect(expand('$MISSING', vars)).toMatchObject({ value: '$MISSING', resolved: false });
      expect(expand('${MISSING}', vars)).toMatchObject({ value: '${MISSING}', resolved: false });
      expect(expand('pre-${UNSET}-post', vars)).toMatchObject({ value: 'pre-${UNSET}-post', resolved: false });
      expect(expand('$UNSET', vars)).toMatchObject({ value: '$UNSET', resolved: false });
    });

    it('leaves malformed references as written', () => {
      expect(expand('${1BAD}', vars)).toMatchObject({ value: '${1BAD}', resolved: false });
      expect(expand('${A?required}', vars)).toMatchObject({ value: '${A?required}', resolved: false });
      expect(expand('${A', vars)).toMatchObject({ value: '${A' });
      expect(expand('cost: $5', vars)).toMatchObject({ value: 'cost: $5', resolved: true });
      expect(expand('trailing $', vars)).toMatchObject({ value: 'trailing $', resolved: true });
    });

    it('treats an empty value as known', () => {
      expect(expand('x${EMPTY}y', vars)).toMatchObject({ value: 'xy', resolved: true });
    });
  });

  describe('escapes', () => {
    it('turns \\$ into a literal dollar', () => {
      expect(expand('\\$A', vars)).toMatchObject({ value: '$A', resolved: true, references: [] });
      expect(expand('\\${A}', vars).value).toBe('${A}');
      expect(expand('cost \\$5 and $A', vars).value).toBe('cost $5 and alpha');
    });

    it('uses the backtick escape character of `# escape=`` files', () => {
      expect(expand('`$A', vars, '`')).toMatchObject({ value: '$A', references: [] });
      // With a backtick escape, a backslash is an ordinary character (Windows paths).
      expect(expand('C:\\$A', vars, '`').value).toBe('C:\\alpha');
    });

    it('leaves an escape character that does not precede $ alone', () => {
      expect(expand('a\\b', vars).value).toBe('a\\b');
    });
  });

  describe('references', () => {
    it('lists names in order with declared and offset', () => {
      const result = expand('$A-${UNSET}-${MISSING:-x}', vars);
      expect(result.references).toEqual([
        { name: 'A', declared: true, offset: 0 },
        { name: 'UNSET', declared: true, offset: 3 },
        { name: 'MISSING', declared: false, offset: 12 },
      ]);
    });

    it('includes references inside a used default word', () => {
      const result = expand('${MISSING:-$CUDA}', vars);
      expect(result.references.map((reference) => [reference.name, reference.declared])).toEqual([
        ['MISSING', false],
        ['CUDA', true],
      ]);
    });

    it('gives offsets of nested references in the whole text', () => {
      const text = 'img:${MISSING:-v$CUDA}';
      const nested = expand(text, vars).references.find((reference) => reference.name === 'CUDA');
      expect(nested?.offset).toBe(text.indexOf('$CUDA'));
    });
  });
});
