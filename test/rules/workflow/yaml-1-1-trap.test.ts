import { describe, expect, it } from 'vitest';
import { yaml11Trap } from '../../../src/rules/workflow/yaml-1-1-trap.js';
import { findingsOf, fixedWith } from './fix-helpers.js';

const wrap = (withLines: string[]): string =>
  ['on: push', 'jobs:', '  t:', '    runs-on: ubuntu-24.04', '    timeout-minutes: 10.0', '    steps:', '      - uses: actions/setup-python@v6', '        with:', ...withLines.map((line) => `          ${line}`), ''].join('\n');

describe('workflow/yaml-1-1-trap', () => {
  it.each([
    ['python-version: "3.10"'],
    ["python-version: '3.10'"],
    ['python-version: 3.9'],
    ['python-version: 3.12.1'],
    ['cache: true'],
    ['key: yes-please'],
  ])('accepts %s', async (line) => {
    expect(await findingsOf(yaml11Trap, wrap([line]))).toEqual([]);
  });

  it.each([
    ['python-version: 3.10', 'warning', 'value 3.10 of "python-version" is a number that GitHub passes on as "3.1"; quote it ("3.10")'],
    ['cuda: 12.10', 'warning', 'value 12.10 of "cuda" is a number that GitHub passes on as "12.1"; quote it ("12.10")'],
    ['check-latest: yes', 'info', 'value yes of "check-latest" is a string to GitHub but boolean true to YAML 1.1 tools; quote it ("yes") or write true/false if a boolean is meant'],
    ['allow: off', 'info', 'value off of "allow" is a string to GitHub but boolean false to YAML 1.1 tools; quote it ("off") or write false/true if a boolean is meant'],
  ])('flags %s', async (line, severity, message) => {
    const findings = await findingsOf(yaml11Trap, wrap([line]));
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([[severity, message]]);
  });

  it('quotes booleans-to-be safely and versions only with --unsafe', async () => {
    const workflow = wrap(['python-version: 3.10', 'check-latest: yes']);
    const safe = await fixedWith(yaml11Trap, workflow);
    expect(safe.text).toBe(workflow.replace('check-latest: yes', 'check-latest: "yes"'));
    const unsafe = await fixedWith(yaml11Trap, workflow, { unsafe: true });
    expect(unsafe.text).toBe(workflow.replace('check-latest: yes', 'check-latest: "yes"').replace('3.10', '"3.10"'));
    expect(unsafe.stable).toBe(true);
  });
});
