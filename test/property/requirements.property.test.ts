/**
 * Property tests for the requirements parser (src/parse/requirements.ts): random PEP 440 versions
 * and specifiers round-trip through a requirement line (operator, version and specifier read back
 * as written, the pin class follows the operator), and no input, however broken, makes it throw or
 * report a problem outside the text.
 */
import { explain, validRange } from '@renovatebot/pep440';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName, parseRequirements } from '../../src/parse/requirements.js';
import { noise } from './arbitraries.js';

const int = fc.integer({ min: 0, max: 2000 });
/** PEP 440 public versions: epoch, release, pre, post, dev (https://peps.python.org/pep-0440/). */
const version = fc.record({
  epoch: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  release: fc.array(int, { minLength: 1, maxLength: 4 }),
  pre: fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc'), int), { nil: undefined }),
  post: fc.option(int, { nil: undefined }),
  dev: fc.option(int, { nil: undefined }),
}).map(({ epoch, release, pre, post, dev }) =>
  `${epoch ? `${epoch}!` : ''}${release.join('.')}${pre ? `${pre[0]}${pre[1]}` : ''}${post !== undefined ? `.post${post}` : ''}${dev !== undefined ? `.dev${dev}` : ''}`);
const operator = fc.constantFrom('==', '!=', '<=', '>=', '<', '>', '===');
const name = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/);
const clause = fc.tuple(operator, version).map(([op, v]) => ({ op, v }));

describe('requirements parser properties', () => {
  it('round-trips random PEP 440 versions and specifiers', () => {
    fc.assert(fc.property(name, fc.array(clause, { minLength: 1, maxLength: 3 }), fc.boolean(), (project, clauses, spaced) => {
      const specifier = clauses.map(({ op, v }) => `${op}${spaced ? ' ' : ''}${v}`).join(',');
      fc.pre(validRange(specifier.replace(/ /g, '')) !== null && clauses.every(({ v }) => explain(v) !== null));
      const parsed = parseRequirements('requirements.txt', `${project}${specifier.startsWith('=') ? '' : ' '}${specifier}\n`);
      expect(parsed.problems).toEqual([]);
      const [requirement] = parsed.requirements;
      expect(requirement?.normalizedName).toBe(normalizeName(project));
      expect(requirement?.clauses.map((read) => [read.operator, read.version])).toEqual(clauses.map(({ op, v }) => [op, v]));
      const exact = clauses.some(({ op }) => op === '==' || op === '===');
      expect(requirement?.clauses.some((read) => read.kind === 'exact')).toBe(exact);
    }), { numRuns: 300 });
  });

  it('reads extras, markers and hashes beside a pinned version', () => {
    fc.assert(fc.property(name, version, fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { maxLength: 3 }), fc.boolean(), (project, v, extras, marker) => {
      fc.pre(explain(v) !== null);
      const hash = `sha256:${'ab'.repeat(32)}`;
      const line = `${project}${extras.length > 0 ? `[${extras.join(',')}]` : ''}==${v}${marker ? ' ; python_version >= "3.10"' : ''} --hash=${hash}`;
      const parsed = parseRequirements('requirements.txt', `${line}\n`);
      expect(parsed.problems).toEqual([]);
      const [requirement] = parsed.requirements;
      expect(requirement?.extras).toEqual(extras);
      expect(requirement?.marker).toBe(marker ? 'python_version >= "3.10"' : null);
      expect(requirement?.hashes).toEqual([hash]);
      expect(requirement?.clauses[0]?.version).toBe(v);
    }), { numRuns: 200 });
  });

  it('never throws on arbitrary text, and every problem points inside it', () => {
    const line = fc.oneof(noise, fc.string({ maxLength: 60 }), fc.constantFrom('-r', '-c x.txt', '--index-url', '--extra-index-url=https://x', '--unknown-opt', 'a==', 'b[', 'c @', 'd ; ', '-e', '--hash=sha1:00'));
    fc.assert(fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\\\n'), (lines, separator) => {
      const text = lines.join(separator);
      const parsed = parseRequirements('requirements.txt', text);
      const lastLine = text.split(/\r?\n/).length;
      for (const problem of parsed.problems) {
        expect(problem.line).toBeGreaterThanOrEqual(1);
        expect(problem.range.start.line).toBeLessThanOrEqual(lastLine);
        expect(problem.message).not.toBe('');
      }
    }), { numRuns: 300 });
  });
});
