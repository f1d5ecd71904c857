import { describe, expect, it } from 'vitest';
import { buildWithoutCache } from '../../../src/rules/workflow/build-without-cache.js';
import { reviewFiles } from '../../helpers.js';

async function messages(steps: string[], extra: Record<string, string> = {}): Promise<string[]> {
  const text = ['on: workflow_dispatch', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', ...steps, ''].join('\n');
  const result = await reviewFiles({ 'Dockerfile': 'FROM scratch\n', 'img/Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': text, ...extra }, { rules: [buildWithoutCache] });
  return result.findings.map((finding) => finding.message);
}

const BAKE = 'target "img" {\n  dockerfile = "img/Dockerfile"\n}\ntarget "cached" {\n  dockerfile = "img/Dockerfile"\n  cache-from = ["type=gha,scope=img"]\n}\n';

describe('workflow/build-without-cache', () => {
  it('scopes the suggested cache by the Dockerfile folder', async () => {
    const [message] = await messages(['      - uses: docker/build-push-action@v7', '        with:', '          file: img/Dockerfile']);
    expect(message).toContain('add cache-from: type=gha,scope=img and cache-to: type=gha,mode=max,scope=img');
  });

  it('accepts a cache-to without cache-from (and the reverse)', async () => {
    expect(await messages(['      - uses: docker/build-push-action@v7', '        with:', '          cache-to: type=gha,mode=max'])).toEqual([]);
    expect(await messages(['      - run: docker buildx build --cache-from=type=gha .'])).toEqual([]);
  });

  it('reads bake targets and set overrides', async () => {
    const bake = { 'docker-bake.hcl': BAKE };
    expect(await messages(['      - uses: docker/bake-action@v7', '        with:', '          targets: cached'], bake)).toEqual([]);
    expect(await messages(['      - uses: docker/bake-action@v7', '        with:', '          targets: img', '          set: |', '            img.cache-from=type=gha,scope=img'], bake)).toEqual([]);
    expect(await messages(['      - uses: docker/bake-action@v7', '        with:', '          targets: img'], bake)).toEqual([
      'docker/bake-action@v7 in job "build" builds "img/Dockerfile" without a build cache, so every run starts cold; set cache-from and cache-to in bake target "img"',
    ]);
    expect(await messages(['      - run: docker buildx bake img --set "*.cache-to=type=gha,mode=max"'], bake)).toEqual([]);
  });

  it('leaves a plain docker build (legacy builder) and expression-valued caches alone', async () => {
    expect(await messages(['      - run: docker build -t x .'])).toEqual([]);
    expect(await messages(['      - uses: docker/build-push-action@v7', '        with:', '          cache-from: ${{ env.CACHE }}'])).toEqual([]);
  });
});
