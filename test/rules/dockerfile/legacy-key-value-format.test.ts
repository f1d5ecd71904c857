import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyKeyValueFormat } from '../../../src/rules/dockerfile/legacy-key-value-format.js';
import { fixed, lintLines } from './lint.js';

const folder = join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'dockerfile', 'legacy-key-value-format');
const from = 'FROM ubuntu:22.04\n';

describe('dockerfile/legacy-key-value-format', () => {
  it('rewrites the bad fixture into bad.fixed.Dockerfile', async () => {
    const bad = readFileSync(join(folder, 'bad.Dockerfile'), 'utf8');
    expect(await fixed(legacyKeyValueFormat, bad)).toBe(readFileSync(join(folder, 'bad.fixed.Dockerfile'), 'utf8'));
  });

  it.each([
    ['ENV A=1 B=2'],
    ['ENV A="x y"'],
    ['LABEL a=b c="d e"'],
    ['ARG A B'],
    ['LABEL "a=b"'],
  ])('accepts %s', async (line) => {
    expect(await lintLines(legacyKeyValueFormat, `${from}${line}\n`)).toEqual([]);
  });

  it.each([
    ['ENV PATH /opt/conda/bin:$PATH', 'ENV PATH=/opt/conda/bin:$PATH'],
    ['ENV MSG hello   world', 'ENV MSG="hello   world"'],
    ['ENV QUOTED "a b"', 'ENV QUOTED "a b"'],
    ['ENV ESCAPED a\\ b', 'ENV ESCAPED a\\ b'],
    ['ENV LONG a \\\n    b', 'ENV LONG a \\\n    b'],
    ['label version 1.0', 'label version=1.0'],
  ])('fixes %j to %j (or leaves it when unsure)', async (line, expected) => {
    expect(await lintLines(legacyKeyValueFormat, `${from}${line}\n`)).toHaveLength(1);
    expect(await fixed(legacyKeyValueFormat, `${from}${line}\n`)).toBe(`${from}${expected}\n`);
  });
});
