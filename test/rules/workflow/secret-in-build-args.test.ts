import { describe, expect, it } from 'vitest';
import { secretInBuildArgs } from '../../../src/rules/workflow/secret-in-build-args.js';
import { reviewFiles } from '../../helpers.js';

async function messages(steps: string[], env = ''): Promise<string[]> {
  const text = ['on: push', env, 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', ...steps, ''].join('\n');
  const result = await reviewFiles({ 'Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': text }, { rules: [secretInBuildArgs] });
  return result.findings.map((finding) => finding.message);
}

const ARGS = (...lines: string[]): string[] => ['      - uses: docker/build-push-action@v7', '        with:', '          build-args: |', ...lines.map((line) => `            ${line}`)];

describe('workflow/secret-in-build-args', () => {
  it('flags secrets and the GitHub token, one finding per argument', async () => {
    const found = await messages(ARGS('A=${{ secrets.A }}', 'B=${{ github.token }}', 'C=${{ github.sha }}'));
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('passes secrets.A');
    expect(found[1]).toContain('passes github.token');
  });

  it('follows env entries that hold a secret', async () => {
    const found = await messages(ARGS('T=${{ env.TOKEN }}'), 'env:\n  TOKEN: ${{ secrets.TOKEN }}');
    expect(found[0]).toContain('secrets.TOKEN (through TOKEN)');
    expect(await messages(ARGS('T=${{ env.TOKEN }}'), 'env:\n  TOKEN: plain')).toEqual([]);
  });

  it('flags --build-arg in run steps, by value or by name', async () => {
    const step = ['      - env:', '          TOKEN: ${{ secrets.TOKEN }}', '        run: docker buildx build --build-arg TOKEN --build-arg=X=${{ secrets.X }} .'];
    const found = await messages(step);
    expect(found).toHaveLength(2);
  });

  it('accepts BuildKit secrets', async () => {
    const step = ['      - uses: docker/build-push-action@v7', '        with:', '          secrets: |', '            token=${{ secrets.TOKEN }}'];
    expect(await messages(step)).toEqual([]);
  });
});
