/** The requirements-file model (src/parse/requirements.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequirements, type Requirement } from '../../src/parse/requirements.js';

function only(line: string): Requirement {
  const parsed = parseRequirements('requirements.txt', `${line}\n`);
  expect(parsed.problems).toEqual([]);
  expect(parsed.requirements).toHaveLength(1);
  return parsed.requirements[0] as Requirement;
}

describe('parseRequirements: PEP 508 lines', () => {
  it.each([
    ['numpy', { name: 'numpy', specifier: '', clauses: [], extras: [], marker: null }],
    ['numpy==1.26.4', { specifier: '==1.26.4', clauses: [{ operator: '==', version: '1.26.4', kind: 'exact', wildcard: false }] }],
    ['tensorrt-cu12-bindings==10.14.1.48.post1', { normalizedName: 'tensorrt-cu12-bindings', clauses: [{ kind: 'exact', version: '10.14.1.48.post1' }] }],
    ['Tensorrt_CU12 == 10.14.1', { name: 'Tensorrt_CU12', normalizedName: 'tensorrt-cu12', clauses: [{ kind: 'exact' }] }],
    ['torch===2.4.1+cu121', { clauses: [{ operator: '===', kind: 'exact' }] }],
    ['numpy==1.*', { clauses: [{ operator: '==', wildcard: true, kind: 'range' }] }],
    ['pydantic>=2', { clauses: [{ operator: '>=', kind: 'range' }] }],
    ['paho-mqtt>=1.6,<2', { clauses: [{ operator: '>=', version: '1.6' }, { operator: '<', version: '2' }] }],
    ['requests ~= 2.31', { clauses: [{ operator: '~=', kind: 'range' }] }],
    ['uvicorn[standard]', { extras: ['standard'], specifier: '' }],
    ['uvicorn[standard, http2]==0.30.1', { extras: ['standard', 'http2'], clauses: [{ kind: 'exact' }] }],
    ['nvidia-ml-py; sys_platform == "linux"', { name: 'nvidia-ml-py', marker: 'sys_platform == "linux"', specifier: '' }],
    ['uvloop==0.21.0 ; sys_platform != "win32"', { marker: 'sys_platform != "win32"', clauses: [{ kind: 'exact' }] }],
    ['numpy (>=1.26)', { specifier: '>=1.26', clauses: [{ kind: 'range' }] }],
    ['torch==${TORCH_VERSION}', { clauses: [{ kind: 'exact', dynamic: true }] }],
    ['pkg @ https://example.com/pkg-1.0-py3-none-any.whl', { url: 'https://example.com/pkg-1.0-py3-none-any.whl', specifier: '' }],
    ['pkg @ git+https://github.com/org/pkg@v1.0 ; python_version >= "3.10"', { url: 'git+https://github.com/org/pkg@v1.0', marker: 'python_version >= "3.10"' }],
  ])('reads %s', (line, expected) => {
    expect(only(line)).toMatchObject(expected);
  });

  it('keeps --hash options of a requirement', () => {
    const requirement = only('numpy==1.26.4 --hash=sha256:aaaa --hash sha256:bbbb');
    expect(requirement.hashes).toEqual(['sha256:aaaa', 'sha256:bbbb']);
    expect(requirement.text).toBe('numpy==1.26.4');
  });

  it('gives the requirement range without the comment or options', () => {
    const parsed = parseRequirements('r.txt', '# deps\n  pandas>=2  # data frames\n');
    expect(parsed.requirements[0]).toMatchObject({ line: 2, range: { start: { line: 2, column: 3 }, end: { line: 2, column: 12 } }, nameRange: { end: { line: 2, column: 9 } } });
  });
});

describe('parseRequirements: options, includes and references', () => {
  it('reads file options in their short, long and = forms', () => {
    const parsed = parseRequirements('r.txt', [
      '--extra-index-url https://pypi.nvidia.com',
      '-i https://pypi.org/simple',
      '--index-url=https://mirror.example/simple',
      '-f ./wheels',
      '--trusted-host pypi.nvidia.com',
      '--pre',
      '--no-binary :all:',
    ].join('\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((entry) => (entry.kind === 'option' ? `${entry.name}=${entry.value}` : entry.kind))).toEqual([
      '--extra-index-url=https://pypi.nvidia.com',
      '--index-url=https://pypi.org/simple',
      '--index-url=https://mirror.example/simple',
      '--find-links=./wheels',
      '--trusted-host=pypi.nvidia.com',
      '--pre=null',
      '--no-binary=:all:',
    ]);
  });

  it('reads -r and -c includes', () => {
    const parsed = parseRequirements('r.txt', '-r base.txt\n--requirement=gpu.txt\n-c constraints.txt\n-rcompact.txt\n');
    expect(parsed.entries.map((entry) => (entry.kind === 'include' ? `${entry.type}:${entry.path}` : entry.kind))).toEqual([
      'requirements:base.txt', 'requirements:gpu.txt', 'constraints:constraints.txt', 'requirements:compact.txt',
    ]);
  });

  it('reads URLs, paths and editables as references', () => {
    const parsed = parseRequirements('r.txt', [
      'https://download.pytorch.org/whl/cu121/torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl',
      './vendor/mylib',
      '-e git+https://github.com/org/tool.git@abc123#egg=tool',
      'dist/pkg-1.0.tar.gz',
    ].join('\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((entry) => (entry.kind === 'reference' ? [entry.editable, entry.name] : entry.kind))).toEqual([
      [false, 'torch'], [false, null], [true, 'tool'], [false, 'pkg'],
    ]);
  });
});

describe('parseRequirements: line structure', () => {
  it('joins continuation lines and reports the first physical line', () => {
    const parsed = parseRequirements('r.txt', 'numpy==1.26.4 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nscipy\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.requirements.map((requirement) => [requirement.name, requirement.line, requirement.hashes.length])).toEqual([
      ['numpy', 1, 2],
      ['scipy', 4, 0],
    ]);
  });

  it('skips comments and blank lines; keeps #egg= inside URLs', () => {
    const parsed = parseRequirements('r.txt', '# comment\n\n   \nnumpy # trailing\n');
    expect(parsed.entries).toHaveLength(1);
  });

  it('handles CRLF line endings', () => {
    const parsed = parseRequirements('r.txt', 'numpy==1.0\r\npandas>=2\r\n');
    expect(parsed.requirements.map((requirement) => [requirement.specifier, requirement.range.end.column])).toEqual([['==1.0', 11], ['>=2', 10]]);
  });
});

describe('parseRequirements: garbage never throws', () => {
  it.each([
    ['numpy===', 'invalid version specifier'],
    ['numpy==1.0 bogus', 'invalid version specifier'],
    ['numpy>=abc!', 'not PEP 440'],
    ['foo bar baz', 'invalid version specifier'],
    ['[extras]only', 'cannot read'],
    ['pkg[unclosed', 'unclosed "["'],
    ['pkg; ', 'empty environment marker'],
    ['--unknown-flag x', 'unknown option "--unknown-flag"'],
    ['-r', 'needs a file name'],
    ['numpy --frobnicate', 'unknown option "--frobnicate"'],
    ['<<<<<<< HEAD', 'merge conflict marker'],
    ['numpy==1.0 --hash=md5:abc', 'invalid --hash value'],
  ])('reports %s', (line, message) => {
    const parsed = parseRequirements('r.txt', `ok==1.0\n${line}\n`);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.message).toContain(message);
    expect(parsed.problems[0]?.line).toBe(2);
    expect(parsed.problems[0]?.range.start.line).toBe(2);
  });
});

describe('parseRequirements: never throws (property)', () => {
  const line = fc.oneof(
    fc.constantFrom('numpy', 'numpy==1.26.4', 'a[b]>=1,<2; python_version < "3.12"', '-r x.txt', '--hash=sha256:ab', '\\', '#', ' #c', '-e .', 'pkg @ ', '==', '[', ';', '${X}', 'https://x/y.whl'),
    fc.string({ maxLength: 20 }),
  );
  it('models any text', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.boolean(), (lines, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n');
        const parsed = parseRequirements('r.txt', text);
        for (const entry of [...parsed.entries, ...parsed.problems]) {
          expect(entry.range.start.line).toBeGreaterThanOrEqual(1);
          expect(entry.range.start.line).toBeLessThanOrEqual(parsed.lines.lineCount + 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
