/** The text renderer (src/report/text.ts). */
import { describe, expect, it } from 'vitest';
import { formatFinding, renderText } from '../../src/report/text.js';
import { finding, RULE_A, sampleFindings, sampleResult, span } from './sample.js';

const ESC = '\u001b';

describe('formatFinding', () => {
  it('prints file:line:column severity message [rule-id]', () => {
    const line = formatFinding(finding({ ruleId: RULE_A.id, file: 'Dockerfile', severity: 'warning', message: 'lacks "x"', range: span(12, 3) }));
    expect(line).toBe('Dockerfile:12:3 warning lacks "x" [dockerfile/apt-without-no-install-recommends]');
  });
});

describe('renderText', () => {
  it('groups findings by file, one blank line between groups, then the summary line', () => {
    expect(renderText(sampleResult())).toBe([
      'docker/gpu/Dockerfile:4:5 warning apt-get install in stage "build" lacks --no-install-recommends [dockerfile/apt-without-no-install-recommends]',
      'docker/gpu/Dockerfile:9:5 error curl output piped to "sh" | without a checksum [supply-chain/curl-pipe-to-shell]',
      '',
      'my scripts/build.sh:3:8 info SC2086: Double quote to prevent globbing and word splitting. [shell/shellcheck]',
      '',
      '3 findings in 2 files: 1 error, 1 warning, 1 info (reviewed 2 Dockerfiles, 1 script, 1 workflow, 1 requirements file)',
      '',
    ].join('\n'));
  });

  it('prints only the summary when there is nothing to report', () => {
    const result = sampleResult([]);
    result.counts = { dockerfiles: 1, scripts: 0, workflows: 2, requirements: 0 };
    expect(renderText(result)).toBe('no findings (reviewed 1 Dockerfile, 0 scripts, 2 workflows, 0 requirements files)\n');
  });

  it('uses singular and plural forms', () => {
    const one = sampleResult(sampleFindings().slice(0, 1));
    expect(renderText(one).trimEnd().split('\n').pop()).toBe(
      '1 finding in 1 file: 0 errors, 1 warning, 0 info (reviewed 2 Dockerfiles, 1 script, 1 workflow, 1 requirements file)',
    );
  });

  it('has no colour codes by default or with color: false', () => {
    expect(renderText(sampleResult())).not.toContain(ESC);
    expect(renderText(sampleResult(), { color: false })).not.toContain(ESC);
  });

  it('colours location, severity and rule id with color: true', () => {
    const text = renderText(sampleResult(), { color: true });
    expect(text).toContain(`${ESC}[1mdocker/gpu/Dockerfile:4:5${ESC}[0m`);
    expect(text).toContain(`${ESC}[31merror${ESC}[0m`);
    expect(text).toContain(`${ESC}[33mwarning${ESC}[0m`);
    expect(text).toContain(`${ESC}[36minfo${ESC}[0m`);
    expect(text).toContain(`${ESC}[2m[supply-chain/curl-pipe-to-shell]${ESC}[0m`);
    // Stripped of colour, the lines are the plain ones.
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderText(sampleResult()));
  });
});
