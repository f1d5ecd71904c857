/**
 * Property tests: random and mutated Dockerfiles and random shell bodies go through discovery,
 * parseDockerfile and every rule of the registry (policy rules included). Whatever the input:
 * no exception escapes, no rule fails (`review/rule-failed`), every finding points at a file of
 * the repository (or `.`) and at a line that exists, and the output is the same on a second run.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { review, type ReviewResult } from '../../src/review.js';
import { compareFindings } from '../../src/rules/finding.js';
import { RULES } from '../../src/rules/registry.js';
import { dockerfileText, mutate, mutations, shellBody } from './arbitraries.js';

const NUM_RUNS = Number(process.env.BASEIMG_PROPERTY_RUNS ?? 150);
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node');
const GPU = 'base_edge_node_amd64_gpu/Dockerfile';
// The CPU family is left out of the copy: one family is the plan's shape, and half the parsing keeps the run short.
const LEFT_OUT = ['base_edge_node_amd64_cpu', 'build-and-push-amd64-cpu.sh', '.github/workflows/base_edge_node_amd64_cpu.yaml.paused'];

// Every rule, the ones disabled by default too.
const ALL_RULES = RULES.map((rule) => ({ ...rule, meta: { ...rule.meta, enabledByDefault: true } }));

let scratch: string;
let fixtureCopy: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'baseimg-property-'));
  fixtureCopy = await mkdtemp(join(tmpdir(), 'baseimg-property-plan-'));
  await cp(FIXTURE, fixtureCopy, { recursive: true });
  for (const path of LEFT_OUT) {
    await rm(join(fixtureCopy, path), { recursive: true, force: true });
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rm(fixtureCopy, { recursive: true, force: true });
});

function run(root: string): Promise<ReviewResult> {
  return review({ path: root, rules: ALL_RULES, shellcheck: 'off', today: '2026-11-29' });
}

/** Line counts of the files a sample wrote, for the "line exists" property. */
type Written = Map<string, number>;

function lineCount(text: string): number {
  return text.split('\n').length;
}

async function checkReview(root: string, written: Written, twice: boolean): Promise<void> {
  const first = await run(root);
  const failed = first.findings.filter((finding) => finding.ruleId === 'review/rule-failed');
  expect(failed.map((finding) => finding.message)).toEqual([]);
  for (const finding of first.findings) {
    const where = `${finding.ruleId} at ${finding.file}:${finding.range.start.line}: ${finding.message}`;
    expect(finding.file, where).not.toBe('');
    expect(finding.range.start.line, where).toBeGreaterThanOrEqual(1);
    expect(finding.range.start.column, where).toBeGreaterThanOrEqual(1);
    const lines = written.get(finding.file);
    if (lines !== undefined) {
      expect(finding.range.start.line, where).toBeLessThanOrEqual(lines + 1);
    } else {
      // Findings on files the sample did not write: the untouched fixture files, or the repo itself.
      expect(finding.file === '.' || existsIn(root, finding.file), where).toBe(true);
    }
  }
  for (let i = 1; i < first.findings.length; i++) {
    const previous = first.findings[i - 1];
    const current = first.findings[i];
    if (previous && current) {
      expect(compareFindings(previous, current)).toBeLessThanOrEqual(0);
    }
  }
  if (twice) {
    const second = await run(root);
    expect(renderJson(second, { version: 'test' })).toBe(renderJson(first, { version: 'test' }));
  }
}

function existsIn(root: string, file: string): boolean {
  return existsSync(join(root, file));
}

describe('review over random input', () => {
  it('survives generated Dockerfiles and shell scripts', async () => {
    await fc.assert(
      fc.asyncProperty(dockerfileText, shellBody, async (dockerfile, script) => {
        await writeFile(join(scratch, 'Dockerfile'), dockerfile);
        await writeFile(join(scratch, 'build.sh'), `#!/usr/bin/env bash\n${script}\n`);
        await writeFile(join(scratch, 'requirements.txt'), 'torch==2.5.1\nnumpy<2\n');
        const written: Written = new Map([
          ['Dockerfile', lineCount(dockerfile)],
          ['build.sh', lineCount(script) + 2],
          ['requirements.txt', 3],
        ]);
        await checkReview(scratch, written, true);
      }),
      // On failure fast-check prints the seed, the path and the shrunk input to replay it.
      { numRuns: NUM_RUNS },
    );
  });

  it('survives mutations of the plan-shaped fixture Dockerfile', async () => {
    const original = readFileSync(join(FIXTURE, GPU), 'utf8');
    let samples = 0;
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (edits, crlf) => {
        const text = mutate(original, edits).replace(/\r?\n/g, crlf ? '\r\n' : '\n');
        await writeFile(join(fixtureCopy, GPU), text);
        // Determinism is checked on every fourth sample: a second review of the whole repo doubles the cost.
        samples += 1;
        await checkReview(fixtureCopy, new Map([[GPU, lineCount(text)]]), samples % 4 === 1);
      }),
      // On failure fast-check prints the seed, the path and the shrunk input to replay it.
      { numRuns: NUM_RUNS },
    );
  });
});
