/** The Markdown renderer (src/report/markdown.ts). */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Finding } from '../../src/rules/finding.js';
import { finding, RULE_A, sampleResult, span } from './sample.js';

describe('renderMarkdown', () => {
  it('renders a heading, the summary, counts and one table per file', () => {
    const markdown = renderMarkdown(sampleResult());
    expect(markdown).toBe([
      '## baseimg review',
      '',
      '3 findings in 2 files: 1 error, 1 warning, 1 info (reviewed 2 Dockerfiles, 1 script, 1 workflow, 1 requirements file)',
      '',
      '| errors | warnings | info |',
      '| ---: | ---: | ---: |',
      '| 1 | 1 | 1 |',
      '',
      '### `docker/gpu/Dockerfile`',
      '',
      '| line | severity | finding | rule |',
      '| ---: | --- | --- | --- |',
      '| 4 | 🟡 warning | apt-get install in stage "build" lacks --no-install-recommends | [`dockerfile/apt-without-no-install-recommends`](docs/rules.md#dockerfileapt-without-no-install-recommends) |',
      '| 9 | 🔴 error | curl output piped to "sh" \\| without a checksum | [`supply-chain/curl-pipe-to-shell`](docs/rules.md#supply-chaincurl-pipe-to-shell) |',
      '',
      '### `my scripts/build.sh`',
      '',
      '| line | severity | finding | rule |',
      '| ---: | --- | --- | --- |',
      '| 3 | 🔵 info | SC2086: Double quote to prevent globbing and word splitting. | [`shell/shellcheck`](docs/rules.md#shellshellcheck) |',
      '',
      '',
    ].join('\n'));
  });

  it('escapes pipes and flattens newlines inside a table cell', () => {
    const markdown = renderMarkdown(sampleResult([
      finding({ ruleId: RULE_A.id, file: 'Dockerfile', message: 'a | b || c\nsecond line', range: span(1) }),
    ]));
    const row = markdown.split('\n').find((line) => line.startsWith('| 1 |'));
    expect(row).toBe('| 1 | 🟡 warning | a \\| b \\|\\| c second line | [`dockerfile/apt-without-no-install-recommends`](docs/rules.md#dockerfileapt-without-no-install-recommends) |');
    // Every table row still has exactly 4 cells.
    expect(row?.replace(/\\\|/g, '').split('|').length).toBe(6);
  });

  it('caps the tables at 300 rows and says how many were left out', () => {
    const findings: Finding[] = [];
    for (let i = 1; i <= 305; i++) {
      findings.push(finding({ ruleId: RULE_A.id, file: i <= 200 ? 'a/Dockerfile' : 'b/Dockerfile', range: span(i) }));
    }
    const markdown = renderMarkdown(sampleResult(findings));
    const rows = markdown.split('\n').filter((line) => /^\| \d+ \| /.test(line) && !line.startsWith('| 0 |'));
    // The counts row (| 0 | 305 | 0 |) is not a finding row.
    expect(rows.filter((line) => line.includes('🟡'))).toHaveLength(300);
    expect(markdown).toContain('_5 more findings not shown; use `--format json` for all of them._');
    expect(markdown).toContain('| 0 | 305 | 0 |');
  });

  it('prints no cap message and no tables when there are no findings', () => {
    const markdown = renderMarkdown(sampleResult([]));
    expect(markdown).not.toContain('###');
    expect(markdown).not.toContain('more findings not shown');
    expect(markdown).toContain('no findings (reviewed 2 Dockerfiles');
  });
});
