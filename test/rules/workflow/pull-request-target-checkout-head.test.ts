import { describe, expect, it } from 'vitest';
import { pullRequestTargetCheckoutHead } from '../../../src/rules/workflow/pull-request-target-checkout-head.js';
import { reviewFiles } from '../../helpers.js';

async function messages(on: string, steps: string[], jobIf?: string): Promise<string[]> {
  const text = [`on: ${on}`, 'jobs:', '  build:', ...(jobIf ? [`    if: ${jobIf}`] : []), '    runs-on: ubuntu-24.04', '    steps:', ...steps, ''].join('\n');
  const result = await reviewFiles({ '.github/workflows/b.yml': text }, { rules: [pullRequestTargetCheckoutHead] });
  return result.findings.map((finding) => finding.message);
}

const CHECKOUT = (key: string, value: string): string[] => ['      - uses: actions/checkout@v7', '        with:', `          ${key}: ${value}`];

describe('workflow/pull-request-target-checkout-head', () => {
  it.each([
    ['ref', '${{ github.event.pull_request.head.sha }}'],
    ['ref', '${{ github.event.pull_request.head.ref }}'],
    ['ref', '${{ github.head_ref }}'],
    ['repository', '${{ github.event.pull_request.head.repo.full_name }}'],
    ['ref', 'refs/pull/${{ github.event.number }}/merge'],
  ])('flags checkout %s: %s', async (key, value) => {
    expect(await messages('pull_request_target', CHECKOUT(key, value))).toHaveLength(1);
  });

  it('ignores the same checkout under pull_request', async () => {
    expect(await messages('pull_request', CHECKOUT('ref', '${{ github.event.pull_request.head.sha }}'))).toEqual([]);
  });

  it('ignores a checkout of the base', async () => {
    expect(await messages('pull_request_target', ['      - uses: actions/checkout@v7'])).toEqual([]);
  });

  it('accepts a same-repository guard', async () => {
    expect(await messages('pull_request_target', CHECKOUT('ref', '${{ github.event.pull_request.head.sha }}'), 'github.event.pull_request.head.repo.full_name == github.repository')).toEqual([]);
  });

  it('flags git fetches of the pull request head in run steps', async () => {
    const found = await messages('pull_request_target', ['      - run: git fetch origin refs/pull/1/head && git checkout FETCH_HEAD']);
    expect(found[0]).toContain('"refs/pull/1/head"');
  });
});
