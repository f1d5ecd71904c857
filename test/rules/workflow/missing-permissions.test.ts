import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { missingPermissions } from '../../../src/rules/workflow/missing-permissions.js';
import { findingsOf, fixedWith } from './fix-helpers.js';

const job = (id: string, steps: string[], extra: string[] = []): string =>
  [`  ${id}:`, '    runs-on: ubuntu-24.04', ...extra, '    steps:', ...steps.map((step) => (step.startsWith(' ') ? `      ${step}` : `      - ${step}`))].join('\n');

describe('workflow/missing-permissions', () => {
  it('accepts top-level permissions, or permissions on every job', async () => {
    expect(await findingsOf(missingPermissions, `on: push\npermissions: {}\njobs:\n${job('a', ['run: make'])}\n`)).toEqual([]);
    expect(await findingsOf(missingPermissions, `on: push\njobs:\n${job('a', ['run: make'], ['    permissions:', '      contents: read'])}\n`)).toEqual([]);
  });

  it('grants packages, id-token and attestations writes on the jobs that need them', async () => {
    const workflow = [
      'on: push',
      '',
      'jobs:',
      job('build', ['uses: docker/build-push-action@v7', '  with:', '    push: true', '    tags: ghcr.io/example/edge:cpu']),
      job('sign', ['uses: sigstore/cosign-installer@v4', 'run: cosign sign --yes example/edge@sha256:abc']),
      job('test', ['run: make test']),
      '',
    ].join('\n');
    const [finding] = await findingsOf(missingPermissions, workflow);
    expect(finding?.message).toContain('with packages: write on job "build"; id-token: write, attestations: write on job "sign"');
    expect(finding?.fix?.safety).toBe('safe');
    const { text, stable } = await fixedWith(missingPermissions, workflow);
    expect(text).toContain('permissions:\n  contents: read\n\njobs:\n  build:\n    permissions:\n      contents: read\n      packages: write\n    runs-on');
    expect(text).toContain('  sign:\n    permissions:\n      contents: read\n      id-token: write\n      attestations: write\n    runs-on');
    expect(text).toContain('  test:\n    runs-on');
    expect(parseDocument(text).errors).toEqual([]);
    expect(stable).toBe(true);
  });

  it('keeps packages: read for a job that logs in to GHCR to pull', async () => {
    const workflow = `on: push\njobs:\n${job('test', ['uses: docker/login-action@v4', '  with:', '    registry: ghcr.io', '    password: ${{ secrets.GITHUB_TOKEN }}', 'run: docker run --rm ghcr.io/example/private:1 true'])}\n`;
    const { text } = await fixedWith(missingPermissions, workflow);
    expect(text).toContain('  test:\n    permissions:\n      contents: read\n      packages: read\n    runs-on');
  });

  it('leaves a job that already declares permissions alone', async () => {
    const workflow = `on: push\njobs:\n${job('build', ['run: docker push ghcr.io/example/edge'], ['    permissions:', '      packages: write'])}\n${job('lint', ['run: make lint'])}\n`;
    const { text } = await fixedWith(missingPermissions, workflow);
    expect(text).toBe(workflow.replace('jobs:\n', 'permissions:\n  contents: read\n\njobs:\n'));
  });

  it.each([
    ['a third-party action', 'uses: example/notify@v1', 'example/notify@v1 (job "a")'],
    ['gh in a run step', 'run: gh release upload v1 dist/*', 'the GitHub calls of step "step 1" (job "a")'],
    ['git push', 'run: git push origin HEAD:main', 'the GitHub calls of step "step 1" (job "a")'],
  ])('makes the fix unsafe for %s', async (_case, step, named) => {
    const [finding] = await findingsOf(missingPermissions, `on: push\njobs:\n${job('a', [step])}\n`);
    expect(finding?.fix?.safety).toBe('unsafe');
    expect(finding?.message).toContain(`check what ${named} needs first`);
    const safeOnly = await fixedWith(missingPermissions, `on: push\njobs:\n${job('a', [step])}\n`);
    expect(safeOnly.text).not.toContain('permissions');
  });

  it('offers no fix for a flow-style workflow', async () => {
    const [finding] = await findingsOf(missingPermissions, '{on: push, jobs: {a: {runs-on: x, steps: [{run: make}]}}}\n');
    expect(finding).toBeDefined();
    expect(finding?.fix).toBeUndefined();
  });
});
