import { describe, expect, it } from 'vitest';
import { cloudBuilderNotReady } from '../../../src/rules/workflow/cloud-builder-not-ready.js';
import { reviewFiles } from '../../helpers.js';

async function messages(steps: string[], extra = ''): Promise<string[]> {
  const text = ['on: workflow_dispatch', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', ...steps, extra].join('\n');
  const result = await reviewFiles({ '.github/workflows/b.yml': text }, { rules: [cloudBuilderNotReady] });
  return result.findings.map((finding) => finding.message);
}

const LOGIN = ['      - uses: docker/login-action@v4', '        with:', '          username: u', '          password: ${{ secrets.P }}'];
const CLOUD = (version: string | null, id = 'builder'): string[] => [
  `      - id: ${id}`,
  '        uses: docker/setup-buildx-action@v4',
  '        with:',
  '          driver: cloud',
  '          endpoint: org/builder',
  ...(version === null ? [] : [`          version: ${version}`]),
];
const INSPECT = ['      - run: docker buildx inspect --bootstrap'];
const FALLBACK = ['      - if: failure()', '        uses: docker/setup-buildx-action@v4'];

describe('workflow/cloud-builder-not-ready', () => {
  it('accepts the complete setup', async () => {
    expect(await messages([...LOGIN, ...CLOUD('v0.30.1'), ...INSPECT, ...FALLBACK])).toEqual([]);
  });

  it('names each missing piece', async () => {
    const [message] = await messages([...CLOUD(null)]);
    expect(message).toContain('docker/login-action step before it');
    expect(message).toContain('pinned buildx version (it defaults to cloud:latest)');
    expect(message).toContain('readiness check');
    expect(message).toContain('documented fallback');
  });

  it.each(['latest', 'cloud:latest', 'lab:latest'])('treats version %s as unpinned', async (version) => {
    const [message] = await messages([...LOGIN, ...CLOUD(version), ...INSPECT, ...FALLBACK]);
    expect(message).toBe(`cloud builder "org/builder" is set up without a pinned buildx version ("${version}" floats)`);
  });

  it('accepts a docker login run step, the status output and a fallback job', async () => {
    const steps = [
      '      - run: echo "$PAT" | docker login -u u --password-stdin',
      ...CLOUD('v0.30.1', 'bx'),
      "      - if: steps.bx.outputs.status != 'running'",
      '        run: exit 1',
    ];
    const fallbackJob = ['  fallback:', '    needs: build', "    if: needs.build.result == 'failure'", '    runs-on: ubuntu-24.04', '    steps:', '      - run: echo rebuild'].join('\n');
    expect(await messages(steps, fallbackJob)).toEqual([]);
  });

  it.each([
    ['a GHCR login', ['      - uses: docker/login-action@v4', '        with:', '          registry: ghcr.io', '          username: u', '          password: p']],
    ['a docker login to another registry', ['      - run: echo "$T" | docker login ghcr.io -u u --password-stdin']],
  ])('does not count %s as the Docker login', async (_name, login) => {
    const [message] = await messages([...login, ...CLOUD('v0.30.1'), ...INSPECT, ...FALLBACK]);
    expect(message).toBe('cloud builder "org/builder" is set up without a docker/login-action step before it (Build Cloud needs a Docker login)');
  });

  it('counts a Docker Hub login given as docker.io', async () => {
    const login = ['      - uses: docker/login-action@v4', '        with:', '          registry: docker.io', '          username: u', '          password: p'];
    expect(await messages([...login, ...CLOUD('v0.30.1'), ...INSPECT, ...FALLBACK])).toEqual([]);
  });

  it('ignores other drivers', async () => {
    expect(await messages(['      - uses: docker/setup-buildx-action@v4', '        with:', '          driver: docker-container'])).toEqual([]);
  });
});
