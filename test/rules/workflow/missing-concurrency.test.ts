import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { missingConcurrency } from '../../../src/rules/workflow/missing-concurrency.js';
import { findingsOf, fixedWith } from './fix-helpers.js';

const JOBS = 'jobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: docker build -t example/edge .\n';
const BLOCK = "concurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n";

async function messages(head: string): Promise<string[]> {
  return (await findingsOf(missingConcurrency, `${head}${JOBS}`)).map((finding) => finding.message);
}

describe('workflow/missing-concurrency', () => {
  it.each([
    ['the recommended group', `on: [push, pull_request]\n${BLOCK}`],
    ['a named group per head ref', 'on: pull_request\nconcurrency:\n  group: edge-${{ github.head_ref || github.ref }}\n  cancel-in-progress: true\n'],
    ['a push-only workflow without cancel-in-progress', 'on: push\nconcurrency: edge-${{ github.ref }}\n'],
    ['a reusable workflow', 'on: workflow_call\n'],
  ])('accepts %s', async (_case, head) => {
    expect(await messages(head)).toEqual([]);
  });

  it('ignores workflows that build no image', async () => {
    expect(await findingsOf(missingConcurrency, 'on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make test\n')).toEqual([]);
  });

  it.each([
    ['a constant group', 'on: push\nconcurrency: build\n', 'concurrency group "build" of the workflow is the same for every ref'],
    ['a group without the ref', 'on: push\nconcurrency:\n  group: edge-${{ github.sha }}\n', 'does not include the ref'],
    ['a group without a name', 'on: push\nconcurrency:\n  group: ${{ github.ref }}\n', 'does not name the workflow or image'],
    ['a mapping without a group', 'on: push\nconcurrency:\n  cancel-in-progress: true\n', 'concurrency of the workflow has no group'],
    ['a pull-request workflow that never cancels', 'on: pull_request\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n', 'does not cancel superseded pull-request runs'],
  ])('flags %s', async (_case, head, expected) => {
    const found = await messages(head);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it.each([
    ['a blank line before jobs', 'name: b\non: push\n\n', 'name: b\non: push\n\n' + BLOCK + '\n'],
    ['no blank line before jobs', 'on:\n  push:\n    paths:\n      - a/**\n', 'on:\n  push:\n    paths:\n      - a/**\n\n' + BLOCK],
    ['a comment introducing jobs', 'on: push\n\n# the build\n', 'on: push\n\n' + BLOCK + '\n# the build\n'],
  ])('adds the block with %s', async (_case, head, expected) => {
    const { text, stable } = await fixedWith(missingConcurrency, `${head}${JOBS}`);
    expect(text).toBe(`${expected}${JOBS}`);
    expect(parseDocument(text).errors).toEqual([]);
    expect(stable).toBe(true);
  });

  it('indents the block like the file (4 spaces)', async () => {
    const jobs = JOBS.replace(/^( +)/gm, (spaces) => spaces.repeat(2));
    const { text } = await fixedWith(missingConcurrency, `on: push\n\n${jobs}`);
    expect(text).toContain('concurrency:\n    group: ${{ github.workflow }}-${{ github.ref }}\n    cancel-in-progress:');
  });
});
