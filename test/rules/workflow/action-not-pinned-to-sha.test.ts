import { describe, expect, it } from 'vitest';
import { actionNotPinnedToSha } from '../../../src/rules/workflow/action-not-pinned-to-sha.js';
import { reviewFiles } from '../../helpers.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

async function findings(uses: string, config?: object): Promise<{ severity: string; message: string }[]> {
  const files: Record<string, string> = {
    '.github/workflows/b.yml': ['on: workflow_dispatch', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', `      - uses: ${uses}`, ''].join('\n'),
  };
  if (config) {
    files['baseimg.config.json'] = JSON.stringify(config);
  }
  const result = await reviewFiles(files, { rules: [actionNotPinnedToSha] });
  return result.findings.map((finding) => ({ severity: finding.severity, message: finding.message }));
}

describe('workflow/action-not-pinned-to-sha', () => {
  it.each([
    'actions/checkout@v7',
    'github/codeql-action/upload-sarif@v4',
    'docker/build-push-action@v7.3.0',
    `aquasecurity/trivy-action@${SHA} # v0.36.0`,
    `aquasecurity/trivy-action@${SHA} # tag=v0.36.0`,
    './.github/actions/local',
    'docker://alpine:3.22',
  ])('accepts %s', async (uses) => {
    expect(await findings(uses)).toEqual([]);
  });

  it.each(['actions/checkout@main', 'docker/build-push-action@master', 'example/action@feature/x', 'example/action@latest'])('flags branch ref %s for every owner', async (uses) => {
    const [finding] = await findings(uses);
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('follows branch');
  });

  it('flags a third-party tag', async () => {
    const [finding] = await findings('aquasecurity/trivy-action@0.35.0');
    expect(finding?.message).toBe('aquasecurity/trivy-action@0.35.0 is a third-party action pinned to tag "0.35.0", which its owner can move; pin it to the full commit sha of that release with a "# 0.35.0" comment, or allow owner "aquasecurity" in the rule\'s allowOwners option');
  });

  it('notes a sha without a version comment at info level', async () => {
    const [finding] = await findings(`aquasecurity/trivy-action@${SHA}`);
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toContain('without a "# vX.Y.Z" comment');
  });

  it('notes a sha whose comment names no version', async () => {
    const [finding] = await findings(`aquasecurity/trivy-action@${SHA} # pinned`);
    expect(finding?.severity).toBe('info');
  });

  it('follows the allowOwners option in both directions', async () => {
    const options = { rules: { 'workflow/action-not-pinned-to-sha': { options: { allowOwners: ['aquasecurity'] } } } };
    expect(await findings('aquasecurity/trivy-action@v0.36.0', options)).toEqual([]);
    expect((await findings('docker/login-action@v4', options))[0]?.message).toContain('third-party action pinned to tag "v4"');
  });

  it('matches owners case-insensitively', async () => {
    expect(await findings('Docker/login-action@v4')).toEqual([]);
  });
});
