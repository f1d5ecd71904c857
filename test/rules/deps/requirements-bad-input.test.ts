/**
 * Bad requirements input gives findings, never a crash: garbage lines, recursive includes, a 1 MB
 * line and unknown index options each end up as a finding with a file and a line, and the rest of
 * the file is still checked.
 */
import { describe, expect, it } from 'vitest';
import { reviewFiles } from '../../helpers.js';

const DOCKERFILE = 'FROM python:3.12-slim\nCOPY img/requirements.txt /tmp/requirements.txt\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\n';

async function findings(requirements: Record<string, string>): Promise<{ rule: string; file: string; line: number; message: string }[]> {
  const files: Record<string, string> = { 'img/Dockerfile': DOCKERFILE };
  for (const [name, text] of Object.entries(requirements)) {
    files[`img/${name}`] = text;
  }
  const result = await reviewFiles(files);
  return result.findings
    .filter((finding) => finding.ruleId.startsWith('deps/') || finding.ruleId.startsWith('compat/'))
    .map((finding) => ({ rule: finding.ruleId, file: finding.file, line: finding.range.start.line, message: finding.message }));
}

describe('bad requirements input', () => {
  it('reports garbage lines and still checks the good ones', async () => {
    const found = await findings({ 'requirements.txt': '%%% not a requirement\n[weird] é 🐳\ncryptography==42.0.7\n' });
    expect(found.filter((finding) => finding.rule === 'deps/requirement-parse-error').map((finding) => finding.line)).toEqual([1, 2]);
    expect(found.some((finding) => finding.rule === 'compat/known-advisory' && finding.line === 3)).toBe(true);
  });

  it('reports a recursive include once, at the include line', async () => {
    const found = await findings({ 'requirements.txt': '-r requirements-dev.txt\nnumpy==2.2.6\n', 'requirements-dev.txt': '-r requirements.txt\n' });
    const cycles = found.filter((finding) => finding.rule === 'deps/requirements-include-problem');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toContain('forms a cycle');
  });

  it('survives a 1 MB line', async () => {
    const found = await findings({ 'requirements.txt': `numpy==2.2.6\n${'x'.repeat(1024 * 1024)}==1\ntorch>=2\n` });
    expect(found.some((finding) => finding.rule === 'deps/pin-policy-violation' && finding.line === 3)).toBe(true);
  });

  it('reports unknown index options and keeps the known ones', async () => {
    const found = await findings({ 'requirements.txt': '--extra-index https://example.com/simple\n--index-url https://pypi.org/simple\nrequests\n' });
    expect(found.find((finding) => finding.rule === 'deps/requirement-parse-error')?.message).toContain('unknown option "--extra-index"');
    expect(found.some((finding) => finding.rule === 'deps/pin-policy-violation' && finding.line === 3)).toBe(true);
  });
});
