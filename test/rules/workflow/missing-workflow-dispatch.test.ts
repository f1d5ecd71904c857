import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { missingWorkflowDispatch } from '../../../src/rules/workflow/missing-workflow-dispatch.js';
import { findingsOf, fixedWith } from './fix-helpers.js';

const JOBS = 'jobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: docker build -t example/edge .\n';

describe('workflow/missing-workflow-dispatch fix', () => {
  it.each([
    ['a scalar', 'on: push\n', 'on: [push, workflow_dispatch]\n'],
    ['a quoted scalar', "on: 'push'\n", "on: ['push', workflow_dispatch]\n"],
    ['a flow list', 'on: [push, pull_request] # both\n', 'on: [push, pull_request, workflow_dispatch] # both\n'],
    ['a block list', 'on:\n  - push\n  - pull_request\n\n', 'on:\n  - push\n  - pull_request\n  - workflow_dispatch\n\n'],
    ['a block mapping', 'on:\n  # main only\n  push:\n    branches: [main]\n', 'on:\n  # main only\n  workflow_dispatch:\n  push:\n    branches: [main]\n'],
    ['a 4-space block mapping', 'on:\n    push:\n        branches: [main]\n', 'on:\n    workflow_dispatch:\n    push:\n        branches: [main]\n'],
    ['a flow mapping', 'on: {push: {branches: [main]}}\n', 'on: {push: {branches: [main]}, workflow_dispatch: {}}\n'],
  ])('adds workflow_dispatch to %s, keeping the rest byte for byte', async (_shape, on, expected) => {
    const workflow = `name: build\n${on}${JOBS}`;
    expect(await findingsOf(missingWorkflowDispatch, workflow)).toHaveLength(1);
    const { text, stable } = await fixedWith(missingWorkflowDispatch, workflow);
    expect(text).toBe(`name: build\n${expected}${JOBS}`);
    expect(parseDocument(text).errors).toEqual([]);
    expect(await findingsOf(missingWorkflowDispatch, text)).toEqual([]);
    expect(stable).toBe(true);
  });

  it('keeps CRLF line ends', async () => {
    const workflow = `on:\r\n  push:\r\n${JOBS.replace(/\n/g, '\r\n')}`;
    const { text } = await fixedWith(missingWorkflowDispatch, workflow);
    expect(text).toBe(`on:\r\n  workflow_dispatch:\r\n  push:\r\n${JOBS.replace(/\n/g, '\r\n')}`);
  });
});
