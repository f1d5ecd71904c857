import { describe, expect, it } from 'vitest';
import { applyEdits, collectFixes, lineEnding, overlaps, selectFixes, withLineEnding, type CandidateFix } from '../../src/fix/edits.js';
import { lineRange } from '../../src/parse/locations.js';
import type { Finding, TextEdit } from '../../src/rules/finding.js';

function edit(start: number, end: number, newText: string, file = 'Dockerfile'): TextEdit {
  return { file, start, end, newText };
}

function candidate(ruleId: string, ...edits: TextEdit[]): CandidateFix {
  return { ruleId, file: 'Dockerfile', line: 1, fix: { description: ruleId, safety: 'safe', edits } };
}

describe('overlaps', () => {
  it.each([
    [[0, 3], [3, 5], false],
    [[0, 3], [2, 5], true],
    [[0, 5], [2, 2], true],
    [[2, 2], [2, 2], true],
    [[2, 2], [2, 4], true],
    [[0, 2], [2, 2], false],
  ] as const)('%j and %j -> %s', (a, b, expected) => {
    expect(overlaps(edit(a[0], a[1], 'x'), edit(b[0], b[1], 'y'))).toBe(expected);
    expect(overlaps(edit(b[0], b[1], 'y'), edit(a[0], a[1], 'x'))).toBe(expected);
  });

  it('never holds across files', () => {
    expect(overlaps(edit(0, 3, 'x', 'a'), edit(0, 3, 'x', 'b'))).toBe(false);
  });
});

describe('selectFixes', () => {
  it('accepts fixes in offset order and defers the later of two overlapping ones', () => {
    const first = candidate('test/a', edit(4, 12, 'echo --verbose foo'));
    const second = candidate('test/b', edit(9, 12, 'bar'));
    const selection = selectFixes([second, first]);
    expect(selection.accepted.map((fix) => fix.ruleId)).toEqual(['test/a']);
    expect(selection.deferred.map((fix) => fix.ruleId)).toEqual(['test/b']);
    expect(selection.edits.get('Dockerfile')).toEqual([edit(4, 12, 'echo --verbose foo')]);
  });

  it('defers a whole fix when any of its edits overlaps', () => {
    const selection = selectFixes([candidate('test/a', edit(0, 2, 'x')), candidate('test/b', edit(10, 12, 'y'), edit(1, 3, 'z'))]);
    expect(selection.accepted.map((fix) => fix.ruleId)).toEqual(['test/a']);
    expect(selection.edits.get('Dockerfile')).toEqual([edit(0, 2, 'x')]);
  });

  it('applies an edit two rules ask for once', () => {
    const selection = selectFixes([candidate('test/a', edit(5, 5, ' -y')), candidate('test/b', edit(5, 5, ' -y'))]);
    expect(selection.edits.get('Dockerfile')).toEqual([edit(5, 5, ' -y')]);
    expect(selection.deferred).toEqual([]);
  });

  it('drops renames already planned and defers a second target for the same file', () => {
    const rename = (to: string): CandidateFix => ({ ruleId: 'test/r', file: 'a.yaml.paused', line: 1, fix: { description: 'enable', safety: 'safe', edits: [], renames: [{ from: 'a.yaml.paused', to }] } });
    expect(selectFixes([rename('a.yaml')], [{ from: 'a.yaml.paused', to: 'a.yaml' }]).accepted).toEqual([]);
    const selection = selectFixes([rename('a.yaml'), rename('b.yaml')]);
    expect(selection.renames).toEqual([{ from: 'a.yaml.paused', to: 'a.yaml' }]);
    expect(selection.deferred).toHaveLength(1);
  });
});

describe('collectFixes', () => {
  const finding = (safety: 'safe' | 'unsafe'): Finding => ({
    ruleId: `test/${safety}`, severity: 'warning', message: 'm', file: 'Dockerfile', range: lineRange(2),
    fix: { description: safety, safety, edits: [edit(0, 1, 'x')] },
  });

  it('takes unsafe fixes only when asked', () => {
    expect(collectFixes([finding('safe'), finding('unsafe')]).map((fix) => fix.ruleId)).toEqual(['test/safe']);
    expect(collectFixes([finding('safe'), finding('unsafe')], { unsafe: true }).map((fix) => fix.ruleId)).toEqual(['test/safe', 'test/unsafe']);
  });
});

describe('applyEdits', () => {
  it('applies edits given in any order', () => {
    expect(applyEdits('RUN apt install -y curl', [edit(15, 15, ' --no-install-recommends'), edit(4, 7, 'apt-get')]))
      .toBe('RUN apt-get install --no-install-recommends -y curl');
  });

  it('rejects overlapping or out-of-range edits', () => {
    expect(() => applyEdits('abcdef', [edit(0, 3, 'x'), edit(2, 4, 'y')])).toThrow(RangeError);
    expect(() => applyEdits('abc', [edit(2, 9, 'x')])).toThrow(RangeError);
  });
});

describe('line ends', () => {
  it('detects the line end a text mostly uses', () => {
    expect(lineEnding('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(lineEnding('a\nb\n')).toBe('\n');
    expect(lineEnding('')).toBe('\n');
  });

  it('writes new text with the file line end', () => {
    expect(withLineEnding('a\nb\r\n', '\r\n')).toBe('a\r\nb\r\n');
    expect(withLineEnding('a\nb', '\n')).toBe('a\nb');
  });
});
