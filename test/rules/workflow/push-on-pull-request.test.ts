import { describe, expect, it } from 'vitest';
import { pushOnPullRequest } from '../../../src/rules/workflow/push-on-pull-request.js';
import { reviewFiles } from '../../helpers.js';

async function messages(on: string, step: string[], extra = ''): Promise<string[]> {
  const text = [`on: ${on}`, extra, 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', '      - uses: docker/build-push-action@v7', ...step, ''].join('\n');
  const result = await reviewFiles({ 'Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': text }, { rules: [pushOnPullRequest] });
  return result.findings.map((finding) => finding.message);
}

const PUSH = (value: string): string[] => ['        with:', `          push: ${value}`];

describe('workflow/push-on-pull-request', () => {
  it('ignores workflows without pull request events', async () => {
    expect(await messages('[push, workflow_dispatch]', PUSH('true'))).toEqual([]);
  });

  it('names every pull request event the push is reachable from', async () => {
    const [message] = await messages('[pull_request, pull_request_target]', PUSH('true'));
    expect(message).toContain('pushes the image on pull_request and pull_request_target events');
  });

  it.each([
    "${{ github.event_name != 'pull_request' && github.event_name != 'pull_request_target' }}",
    "${{ github.event_name == 'push' }}",
    "${{ github.ref == 'refs/heads/main' }}",
    "${{ startsWith(github.ref, 'refs/tags/') }}",
    '${{ inputs.push }}',
    'false',
  ])('accepts push: %s on pull_request', async (value) => {
    expect(await messages('[push, pull_request]', PUSH(value))).toEqual([]);
  });

  it('evaluates env values defined in the workflow', async () => {
    expect(await messages('[push, pull_request]', PUSH("${{ env.PUSH == 'true' }}"), "env:\n  PUSH: ${{ github.event_name != 'pull_request' }}")).toEqual([]);
    expect(await messages('[push, pull_request]', PUSH("${{ env.PUSH == 'true' }}"), 'env:\n  PUSH: "true"')).toHaveLength(1);
  });

  it('accepts a step guard that excludes pull requests', async () => {
    expect(await messages('[push, pull_request]', ["        if: github.event_name != 'pull_request'", ...PUSH('true')])).toEqual([]);
    expect(await messages('[push, pull_request]', ["        if: ${{ !startsWith(github.event_name, 'pull_request') }}", ...PUSH('true')])).toEqual([]);
  });

  it('still flags pull_request_target when only pull_request is excluded', async () => {
    const [message] = await messages('[pull_request, pull_request_target]', PUSH("${{ github.event_name != 'pull_request' }}"));
    expect(message).toContain('on pull_request_target events');
  });

  it('flags outputs that push to a registry', async () => {
    const found = await messages('pull_request', ['        with:', '          outputs: type=image,name=x/y,push=true']);
    expect(found[0]).toContain('"outputs: type=image,name=x/y,push=true"');
  });
});
