/**
 * The SARIF renderer (src/report/sarif.ts), validated against the SARIF 2.1.0 JSON schema that
 * @microsoft/jest-sarif ships (sarif-2.1.0-rtm.5.json, the schemastore copy of the OASIS
 * schema; draft-04, hence ajv-draft-04), plus the properties GitHub code scanning reads.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { review } from '../../src/review.js';
import { RULES } from '../../src/rules/registry.js';
import { finding, RULE_A, RULE_B, RULE_C, sampleResult, span } from './sample.js';

type Json = Record<string, any>;

const require = createRequire(import.meta.url);
const schemaPath = join(require.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Json;
// The schema's language pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not valid with the u flag.
// Both packages are CommonJS with `exports.default`; under NodeNext the default import is the module object.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(text: string): Json {
  const log = JSON.parse(text) as Json;
  const valid = validate(log);
  expect(valid ? [] : validate.errors).toEqual([]);
  return log;
}

/** The structural requirements GitHub code scanning documents for uploaded SARIF. */
function expectGitHubShape(log: Json): void {
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0] as Json;
  expect(typeof run.tool.driver.name).toBe('string');
  const rules = run.tool.driver.rules as Json[];
  const ids = rules.map((rule) => rule.id as string);
  expect(new Set(ids).size).toBe(ids.length);
  for (const result of run.results as Json[]) {
    expect(typeof result.ruleId).toBe('string');
    expect(result.message.text.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'note', 'none']).toContain(result.level);
    if (result.ruleIndex !== undefined) {
      expect(rules[result.ruleIndex as number]?.id).toBe(result.ruleId);
    }
    for (const location of result.locations as Json[]) {
      expect(location.physicalLocation.artifactLocation.uri.length).toBeGreaterThan(0);
      expect(location.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(result.partialFingerprints ?? {}).length).toBeGreaterThan(0);
  }
}

describe('renderSarif', () => {
  const text = renderSarif(sampleResult(), { version: '1.2.3' });

  it('validates against the SARIF 2.1.0 schema and GitHub\'s requirements', () => {
    const log = expectValid(text);
    expectGitHubShape(log);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  });

  it('rejects a broken log (the validator is live)', () => {
    const log = JSON.parse(text) as Json;
    delete log.runs[0].tool.driver.name;
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('describes every rule with help, default level and tags', () => {
    const log = JSON.parse(text) as Json;
    const driver = log.runs[0].tool.driver as Json;
    expect(driver).toMatchObject({ name: 'baseimg', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(driver.rules.map((rule: Json) => [rule.id, rule.name, rule.defaultConfiguration])).toEqual([
      ['dockerfile/apt-without-no-install-recommends', 'AptWithoutNoInstallRecommends', { level: 'warning', enabled: true }],
      ['supply-chain/curl-pipe-to-shell', 'CurlPipeToShell', { level: 'error', enabled: true }],
      ['docs/missing-readme', 'MissingReadme', { level: 'note', enabled: false }],
    ]);
    const first = driver.rules[0] as Json;
    expect(first.shortDescription).toEqual({ text: RULE_A.meta.title });
    expect(first.fullDescription).toEqual({ text: RULE_A.meta.rationale });
    expect(first.help).toEqual({
      text: `${RULE_A.meta.rationale}\n\nRemediation: ${RULE_A.meta.remediation}`,
      markdown: `${RULE_A.meta.rationale}\n\n**Remediation:** ${RULE_A.meta.remediation}`,
    });
    expect(first.properties).toEqual({ tags: ['dockerfile'], hadolint: ['DL3015'] });
    expect(driver.rules[1].properties).toEqual({ tags: ['supply-chain', 'security'] });
    expect(driver.rules[2].properties).toEqual({ tags: ['docs'] });
  });

  it('maps results: level, ruleIndex, location, region, related locations', () => {
    const results = (JSON.parse(text) as Json).runs[0].results as Json[];
    expect(results.map((result) => [result.ruleId, result.ruleIndex, result.level])).toEqual([
      [RULE_A.id, 0, 'warning'],
      [RULE_B.id, 1, 'error'],
      // A ShellCheck finding whose rule is not in the rule table gets no ruleIndex.
      ['shell/shellcheck', undefined, 'note'],
    ]);
    expect(results[0]?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'docker/gpu/Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 5, endLine: 6, endColumn: 32 },
    });
    // An empty range has no end (SARIF forbids an end before the start; GitHub rejects it).
    expect(results[2]?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'my%20scripts/build.sh', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 8 },
    });
    expect(results[1]?.relatedLocations).toEqual([
      {
        id: 0,
        message: { text: 'the same download in the build script' },
        physicalLocation: { artifactLocation: { uri: 'build.sh', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 1 } },
      },
    ]);
    expect(results[0]?.relatedLocations).toBeUndefined();
  });

  it('gives fingerprints that survive line shifts and tell repeats apart', () => {
    const fingerprints = (result: ReturnType<typeof sampleResult>): string[] =>
      ((JSON.parse(renderSarif(result, { version: 'x' })) as Json).runs[0].results as Json[]).map((entry) => entry.partialFingerprints['baseimg/v1'] as string);
    const same = [
      finding({ ruleId: RULE_A.id, file: 'Dockerfile', message: 'm', range: span(3) }),
      finding({ ruleId: RULE_A.id, file: 'Dockerfile', message: 'm', range: span(8) }),
    ];
    const shifted = [
      finding({ ruleId: RULE_A.id, file: 'Dockerfile', message: 'm', range: span(13) }),
      finding({ ruleId: RULE_A.id, file: 'Dockerfile', message: 'm', range: span(18, 4) }),
    ];
    const before = fingerprints(sampleResult(same));
    expect(before[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(before[0]).not.toBe(before[1]);
    expect(fingerprints(sampleResult(shifted))).toEqual(before);
    const otherFile = fingerprints(sampleResult([finding({ ruleId: RULE_A.id, file: 'Dockerfile.cpu', message: 'm' })]));
    expect(otherFile[0]).not.toBe(before[0]);
  });

  it('is stable for the same input', () => {
    expect(renderSarif(sampleResult(), { version: '1.2.3' })).toBe(text);
  });

  it('validates with no findings and with a rule table only', () => {
    const log = expectValid(renderSarif(sampleResult([]), { version: '0.1.0' }));
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(3);
    expect(RULE_C.meta.enabledByDefault).toBe(false);
  });

  it('validates a real review of the plan-shaped fixture with the whole registry', async () => {
    const result = await review({
      path: join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node'),
      rules: RULES.map((rule) => ({ ...rule, meta: { ...rule.meta, enabledByDefault: true } })),
      shellcheck: 'off',
      today: '2026-11-29',
    });
    const log = expectValid(renderSarif(result, { version: '0.1.0' }));
    expectGitHubShape(log);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
  });
});
