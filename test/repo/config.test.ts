/**
 * Config errors must name the file, the line and the key, in JSON and in YAML, and the CLI must
 * turn them into exit 2 with exactly one line on stderr.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkRuleIds, parseConfig } from '../../src/repo/config.js';
import { config as configSchema } from '../../src/repo/config.schema.js';
import { tempRepo, captureIo } from '../helpers.js';

/** The message of the InputError `parseConfig` throws, with its line. */
function configError(text: string, file: string): { message: string; line: number | undefined } {
  try {
    parseConfig(text, file);
  } catch (error) {
    const input = error as Error & { line?: number; file?: string };
    expect(input.name).toBe('InputError');
    expect(input.file).toBe(file);
    return { message: input.message, line: input.line };
  }
  throw new Error('expected parseConfig to throw');
}

const JSON_FILE = 'baseimg.config.json';
const YAML_FILE = 'baseimg.config.yaml';

describe('config errors name the key and the line', () => {
  const cases: { name: string; file: string; text: string; message: string; line: number }[] = [
    {
      name: 'unknown top-level key (JSON)',
      file: JSON_FILE,
      text: '{\n  "families": {},\n  "rule": {\n    "dockerfile/apt-without-no-install-recommends": "off"\n  }\n}\n',
      message: `baseimg.config.json:3: rule: unknown key (expected one of ${Object.keys(configSchema.shape).join(', ')})`,
      line: 3,
    },
    {
      name: 'unknown nested key (YAML)',
      file: YAML_FILE,
      text: 'families:\n  gpu:\n    dockerfile: images/gpu/Dockerfile\n    contxt: images\n',
      message: 'baseimg.config.yaml:4: families.gpu.contxt: unknown key (expected one of dockerfile, context, target, requirements, workflows, scripts, test)',
      line: 4,
    },
    {
      name: 'wrong type (JSON)',
      file: JSON_FILE,
      text: '{\n  "ignore": {\n    "paths": "vendor/**"\n  }\n}\n',
      message: 'baseimg.config.json:3: ignore.paths: expected array, received string',
      line: 3,
    },
    {
      name: 'wrong type (YAML)',
      file: YAML_FILE,
      text: 'thresholds:\n  maxLayerMiB: "512"\n',
      message: 'baseimg.config.yaml:2: thresholds.maxLayerMiB: expected number, received string',
      line: 2,
    },
    {
      name: 'bad severity (JSON)',
      file: JSON_FILE,
      text: '{\n  "rules": {\n    "dockerfile/apt-without-no-install-recommends": "fatal"\n  }\n}\n',
      message: 'baseimg.config.json:3: rules.dockerfile/apt-without-no-install-recommends: expected "off", "error", "warning", "info" or { "severity": ..., "options": {...} }, got "fatal"',
      line: 3,
    },
    {
      name: 'bad severity inside a rule object (YAML)',
      file: YAML_FILE,
      text: 'rules:\n  dockerfile/apt-without-no-install-recommends:\n    severity: high\n',
      message: 'baseimg.config.yaml:2: rules.dockerfile/apt-without-no-install-recommends: expected "off", "error", "warning", "info" or { "severity": ..., "options": {...} }, got {"severity":"high"}',
      line: 2,
    },
    {
      name: 'bad family name (JSON)',
      file: JSON_FILE,
      text: '{\n  "families": {\n    "GPU Image": { "dockerfile": "gpu/Dockerfile" }\n  }\n}\n',
      message: 'baseimg.config.json:3: families.GPU Image: family names are lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
      line: 3,
    },
    {
      name: 'missing required key points at the entry that lacks it (YAML)',
      file: YAML_FILE,
      text: 'ignore:\n  findings:\n    - rule: dockerfile/apt-without-no-install-recommends\n      paths: ["legacy/**"]\n',
      message: 'baseimg.config.yaml:3: ignore.findings.0.reason: required key is missing (expected string)',
      line: 3,
    },
    {
      name: 'YAML syntax error',
      file: YAML_FILE,
      text: 'families:\n  gpu:\n    dockerfile: "gpu/Dockerfile\n',
      message: 'baseimg.config.yaml:3: Missing closing "quote',
      line: 3,
    },
    {
      name: 'JSON syntax error',
      file: JSON_FILE,
      text: '{\n  "families": {\n    "gpu": { "dockerfile": "gpu/Dockerfile" \n  }\n',
      message: 'baseimg.config.json:4: Flow map in block collection must be sufficiently indented and end with a }',
      line: 4,
    },
    {
      name: 'duplicate key (YAML)',
      file: YAML_FILE,
      text: 'rules:\n  dockerfile/apt-without-no-install-recommends: warning\n  dockerfile/apt-without-no-install-recommends: error\n',
      message: 'baseimg.config.yaml:3: rules.dockerfile/apt-without-no-install-recommends: duplicate key',
      line: 3,
    },
    {
      name: 'duplicate key (JSON)',
      file: JSON_FILE,
      text: '{\n  "shellcheck": { "severity": "warning" },\n  "shellcheck": { "severity": "error" }\n}\n',
      message: 'baseimg.config.json:3: shellcheck: duplicate key',
      line: 3,
    },
  ];

  for (const entry of cases) {
    it(entry.name, () => {
      expect(configError(entry.text, entry.file)).toEqual({ message: entry.message, line: entry.line });
    });
  }

  it('accepts a valid config in both syntaxes, and an empty file', () => {
    const json = '{\n  "rules": { "dockerfile/apt-without-no-install-recommends": { "severity": "error" } },\n  "ignore": { "paths": ["vendor/**"] }\n}\n';
    const yaml = 'rules:\n  dockerfile/apt-without-no-install-recommends:\n    severity: error\nignore:\n  paths: ["vendor/**"]\n';
    expect(parseConfig(json, JSON_FILE)).toEqual(parseConfig(yaml, YAML_FILE));
    expect(parseConfig('', YAML_FILE)).toEqual({});
  });
});

describe('rule ids named by the config must exist', () => {
  const known = new Set(['dockerfile/apt-without-no-install-recommends', 'shell/shellcheck']);

  it('names the key, the line and the nearest known id', () => {
    const text = '{\n  "rules": {\n    "shell/shellcheck": "error",\n    "dockerfile/apt-without-no-install-recomends": "off"\n  }\n}\n';
    expect(() => checkRuleIds(parseConfig(text, JSON_FILE), { path: JSON_FILE, text }, known)).toThrow(
      'baseimg.config.json:4: rules.dockerfile/apt-without-no-install-recomends: unknown rule "dockerfile/apt-without-no-install-recomends" (did you mean "dockerfile/apt-without-no-install-recommends"?)',
    );
  });

  it('checks ignore.findings rules too', () => {
    const text = 'ignore:\n  findings:\n    - rule: docs/missing-readme\n      reason: docs live in the wiki\n';
    expect(() => checkRuleIds(parseConfig(text, YAML_FILE), { path: YAML_FILE, text }, known)).toThrow(
      'baseimg.config.yaml:3: ignore.findings.0.rule: unknown rule "docs/missing-readme"',
    );
  });
});

describe('the CLI on a bad config', () => {

  async function runCli(files: Record<string, string>, extra: string[] = []): Promise<{ code: number; out: string; err: string }> {
    const repo = await tempRepo(files);
    try {
      const io = captureIo();
      const code = await main(['review', repo.root, '--no-shellcheck', ...extra], io);
      return { code, out: io.out, err: io.err };
    } finally {
      await repo.cleanup();
    }
  }

  const config = [
    '{',
    '  "families": {',
    '    "cpu": { "dockerfile": "Dockerfile" }',
    '  },',
    '  "rules": {',
    '    "dockerfile/apt-without-no-install-recommends": "error",',
    '    "x": "off"',
    '  }',
    '}',
    '',
  ].join('\n');

  it('exits 2 with one line naming file, line and key (unknown rule)', async () => {
    const result = await runCli({ 'baseimg.config.json': config, 'Dockerfile': 'FROM debian:bookworm-slim\n' });
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe('baseimg: baseimg.config.json:7: rules.x: unknown rule "x"\n');
  });

  it('exits 2 with one line for a schema error', async () => {
    const result = await runCli({ 'baseimg.config.json': config.replace('"x": "off"', '"shell/shellcheck": "loud"'), 'Dockerfile': 'FROM debian:bookworm-slim\n' });
    expect(result.code).toBe(2);
    expect(result.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.err).toMatch(/^baseimg: baseimg\.config\.json:7: rules\.shell\/shellcheck: expected "off"/);
  });

  it('exits 2 with one line for a YAML syntax error', async () => {
    const result = await runCli({ 'baseimg.config.yaml': 'rules:\n  shell/shellcheck: [error\n', 'Dockerfile': 'FROM debian:bookworm-slim\n' });
    expect(result.code).toBe(2);
    expect(result.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.err).toMatch(/^baseimg: baseimg\.config\.yaml:\d+: /);
  });

  it('exits 2 with one line when --config names a file that does not exist', async () => {
    const result = await runCli({ 'Dockerfile': 'FROM debian:bookworm-slim\n' }, ['--config', '/nonexistent/baseimg.json']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('baseimg: /nonexistent/baseimg.json: cannot read config: ENOENT\n');
  });
});
