import { describe, expect, it } from 'vitest';
import { excessivePermissions } from '../../../src/rules/workflow/excessive-permissions.js';
import { findingsOf } from './fix-helpers.js';

const workflow = (permissions: string[], steps: string[]): string =>
  ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    permissions:', ...permissions.map((line) => `      ${line}`), '    steps:', ...steps.map((step) => (step.startsWith(' ') ? `      ${step}` : `      - ${step}`)), ''].join('\n');

async function messages(permissions: string[], steps: string[]): Promise<string[]> {
  return (await findingsOf(excessivePermissions, workflow(permissions, steps))).map((finding) => finding.message);
}

describe('workflow/excessive-permissions', () => {
  it.each([
    ['build-push-action with push: true', ['uses: docker/build-push-action@v7', '  with:', '    push: true']],
    ['build-push-action with push from an expression', ['uses: docker/build-push-action@v7', '  with:', "    push: ${{ github.event_name != 'pull_request' }}"]],
    ['bake-action with push', ['uses: docker/bake-action@v7', '  with:', '    push: true']],
    ['docker push', ['run: docker push ghcr.io/example/edge:cpu']],
    ['buildx build --push', ['run: docker buildx build --push -t ghcr.io/example/edge .']],
    ['imagetools create', ['run: docker buildx imagetools create -t ghcr.io/a:b ghcr.io/a:c']],
  ])('accepts packages: write on a job that pushes with %s', async (_case, steps) => {
    expect(await messages(['packages: write'], steps)).toEqual([]);
  });

  it('flags packages: write on a job that only builds', async () => {
    expect(await messages(['packages: write'], ['uses: docker/build-push-action@v7', '  with:', '    push: false'])).toEqual([
      '"packages: write" on job "build", which pushes no image; expected it only on a job that pushes to ghcr.io',
    ]);
  });

  it.each([
    ['actions/attest-build-provenance', ['uses: actions/attest-build-provenance@v3']],
    ['cosign sign', ['run: cosign sign --yes ghcr.io/a@sha256:0']],
    ['build-push-action provenance pushed', ['uses: docker/build-push-action@v7', '  with:', '    push: true', '    provenance: mode=max']],
  ])('accepts id-token and attestations writes with %s', async (_case, steps) => {
    expect(await messages(['id-token: write', 'attestations: write'], steps)).toEqual([]);
  });

  it('accepts id-token: write for a cloud OIDC login, but not attestations: write', async () => {
    expect(await messages(['id-token: write', 'attestations: write'], ['uses: aws-actions/configure-aws-credentials@v5'])).toEqual([
      '"attestations: write" on job "build", but nothing in the job attests; expected no attestations scope',
    ]);
  });

  it('flags write-all on a job', async () => {
    const findings = await findingsOf(excessivePermissions, 'on: push\njobs:\n  a:\n    runs-on: x\n    permissions: write-all\n    steps:\n      - run: make\n');
    expect(findings.map((finding) => [finding.message, finding.range.start.line])).toEqual([
      ['"write-all" on job "a" gives every step write access to all scopes; expected "contents: read" and only the writes the job needs', 5],
    ]);
  });

  it('flags top-level packages: write when no job pushes', async () => {
    const findings = await findingsOf(excessivePermissions, 'on: push\npermissions:\n  packages: write\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n');
    expect(findings.map((finding) => finding.message)).toEqual(['"packages: write" at the top level, but no job pushes an image; expected "packages: read" or no packages scope']);
  });

  it('leaves reusable workflow calls alone', async () => {
    const text = 'on: push\njobs:\n  a:\n    permissions:\n      packages: write\n      id-token: write\n    uses: example/ci/.github/workflows/build.yml@v1\n';
    expect(await findingsOf(excessivePermissions, text)).toEqual([]);
  });
});
