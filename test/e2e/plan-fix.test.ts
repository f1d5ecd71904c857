/**
 * `baseimg fix --write` on a copy of the plan-shaped repository, through the CLI: the paused
 * workflows are re-enabled (`.yaml.paused` -> `.yaml`), every finding of a fixable workflow/* rule
 * is gone afterwards (whatever workflow fixes the registry holds), a second `fix --write` changes
 * nothing, and the rewritten workflows have no actionlint errors.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../../src/cli/main.js';
import { review, type ReviewResult } from '../../src/review.js';
import { RULES } from '../../src/rules/registry.js';
import { captureIo } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node');
const FIXABLE_WORKFLOW_RULES = new Set(RULES.filter((rule) => rule.id.startsWith('workflow/') && rule.meta.fixable === 'safe').map((rule) => rule.id));

let root: string;
let before: ReviewResult;
let firstExit: number;
let secondIo: ReturnType<typeof captureIo>;
let secondExit: number;

async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(folder, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(path);
      } else {
        files.set(path, await readFile(join(folder, path), 'utf8'));
      }
    }
  };
  await walk('');
  return files;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'baseimg-plan-fix-'));
  await cp(FIXTURE, root, { recursive: true });
  before = await review({ path: root, shellcheck: 'off', actionlint: 'off' });
  firstExit = await main(['fix', root, '--write'], captureIo());
  const afterFirst = await snapshot(root);
  secondIo = captureIo();
  secondExit = await main(['fix', root, '--write'], secondIo);
  expect(await snapshot(root)).toEqual(afterFirst);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('baseimg fix --write on the plan repository', () => {
  it('had fixable workflow findings to begin with', () => {
    const fixable = new Set(before.findings.filter((finding) => FIXABLE_WORKFLOW_RULES.has(finding.ruleId) && finding.fix?.safety === 'safe').map((finding) => finding.ruleId));
    for (const id of ['workflow/disabled-by-extension', 'workflow/missing-workflow-dispatch', 'workflow/trigger-paths-miss-build-inputs', 'workflow/missing-permissions', 'workflow/missing-concurrency']) {
      expect(fixable).toContain(id);
    }
    expect(firstExit).toBe(0);
  });

  it('re-enables the paused workflows', async () => {
    expect((await readdir(join(root, '.github/workflows'))).sort()).toEqual(['base_edge_node_amd64_cpu.yaml', 'base_edge_node_amd64_gpu.yaml']);
  });

  it('leaves workflows that parse, with no finding of a rule that fixes it safely', async () => {
    const after = await review({ path: root, shellcheck: 'off', actionlint: 'off' });
    for (const name of ['base_edge_node_amd64_cpu.yaml', 'base_edge_node_amd64_gpu.yaml']) {
      const text = await readFile(join(root, '.github/workflows', name), 'utf8');
      expect(parseDocument(text).errors).toEqual([]);
      expect(text).toContain('workflow_dispatch:');
      expect(text).toContain('permissions:\n  contents: read\n');
      expect(text).toContain("concurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n");
      expect(text).toContain(`      - 'scripts/**'\n      - 'retag_and_push.sh'\n      - '.github/workflows/${name}'\n`);
    }
    const left = after.findings.filter((finding) => finding.file.startsWith('.github/workflows/') && FIXABLE_WORKFLOW_RULES.has(finding.ruleId) && finding.fix?.safety === 'safe');
    expect(left.map((finding) => `${finding.file}:${finding.range.start.line} ${finding.ruleId} ${finding.message}`)).toEqual([]);
  });

  it('changes nothing on a second run', () => {
    expect(secondExit).toBe(0);
    expect(secondIo.out).not.toContain('fixed ');
  });

  it('leaves workflows actionlint accepts', async () => {
    const actionlintRule = RULES.find((rule) => rule.id === 'workflow/actionlint');
    expect(actionlintRule).toBeDefined();
    const result = await review({ path: root, shellcheck: 'off', actionlint: process.env.BASEIMG_REQUIRE_ACTIONLINT === '1' ? 'require' : 'auto', rules: [actionlintRule!] });
    // The linter ran on both rewritten files (it reports tool data when it loaded).
    expect(result.tools.actionlint === undefined ? 'not reported' : 'reported').toBe('reported');
    if (result.tools.actionlint === null || result.tools.actionlint === undefined) {
      // The embedded actionlint did not load on this platform; review says so in its own findings.
      console.warn('actionlint did not load: the rewritten workflows were not linted');
      return;
    }
    const errors = result.findings.filter((finding) => finding.ruleId === 'workflow/actionlint' && finding.severity === 'error');
    expect(errors.map((finding) => `${finding.file}:${finding.range.start.line} ${finding.message}`)).toEqual([]);
  });
});
