import { describe, expect, it } from 'vitest';
import { cachePrunedBeforeBuild } from '../../../src/rules/workflow/cache-pruned-before-build.js';
import { reviewFiles } from '../../helpers.js';

async function messages(jobs: string): Promise<string[]> {
  const result = await reviewFiles({ 'Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': `on: push\njobs:\n${jobs}` }, { rules: [cachePrunedBeforeBuild] });
  return result.findings.map((finding) => finding.message);
}

describe('workflow/cache-pruned-before-build', () => {
  it.each(['docker builder prune -af', 'sudo docker buildx prune --all', 'docker system prune -a --volumes -f'])('flags %s before a build', async (prune) => {
    const found = await messages(`  b:\n    runs-on: x\n    steps:\n      - run: ${prune}\n      - run: docker buildx build -t x .\n`);
    expect(found).toHaveLength(1);
  });

  it('ignores prunes after the build, in other jobs, and other prunes', async () => {
    expect(await messages('  b:\n    runs-on: x\n    steps:\n      - run: docker buildx build -t x .\n      - run: docker builder prune -f\n')).toEqual([]);
    expect(await messages('  a:\n    runs-on: x\n    steps:\n      - run: docker system prune -f\n  b:\n    runs-on: x\n    steps:\n      - run: docker buildx build -t x .\n')).toEqual([]);
    expect(await messages('  b:\n    runs-on: x\n    steps:\n      - run: docker image prune -f\n      - run: docker buildx build -t x .\n')).toEqual([]);
  });
});
