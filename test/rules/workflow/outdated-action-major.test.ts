import { describe, expect, it } from 'vitest';
import { planFixes } from '../../../src/fix/plan.js';
import { outdatedActionMajor } from '../../../src/rules/workflow/outdated-action-major.js';
import { reviewFiles, tempRepo } from '../../helpers.js';

function workflow(steps: string[], on = 'workflow_dispatch'): string {
  return [`on: ${on}`, 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', ...steps, ''].join('\n');
}

async function findings(steps: string[], on?: string): Promise<{ message: string; fix: string | null; safety: string | null }[]> {
  const result = await reviewFiles({ '.github/workflows/b.yml': workflow(steps, on) }, { rules: [outdatedActionMajor], today: '2026-11-29' });
  return result.findings.map((finding) => ({
    message: finding.message,
    fix: finding.fix ? finding.fix.edits.map((edit) => edit.newText).join('|') : null,
    safety: finding.fix?.safety ?? null,
  }));
}

async function fixed(steps: string[]): Promise<string> {
  const repo = await tempRepo({ '.github/workflows/b.yml': workflow(steps) });
  try {
    const plan = await planFixes({ path: repo.root, rules: [outdatedActionMajor], today: '2026-11-29' });
    return plan.changes[0]?.after ?? '';
  } finally {
    await repo.cleanup();
  }
}

describe('workflow/outdated-action-major', () => {
  it('names the removed node runtime and bumps a major tag', async () => {
    const [finding] = await findings(['      - uses: docker/login-action@v3']);
    expect(finding?.message).toContain('runs on node20, which GitHub runners removed on 2026-09-16');
    expect(finding?.fix).toBe('v4');
    expect(finding?.safety).toBe('safe');
  });

  it('says node20 is only forced onto node24 before its removal date', async () => {
    const result = await reviewFiles({ '.github/workflows/b.yml': workflow(['      - uses: docker/login-action@v3']) }, { rules: [outdatedActionMajor], today: '2026-07-01' });
    expect(result.findings[0]?.message).toContain('which GitHub runners force onto node24 since 2026-06-16 and remove on 2026-09-16');
  });

  it('names node16 majors', async () => {
    const [finding] = await findings(['      - uses: actions/checkout@v3']);
    expect(finding?.message).toContain('runs on node16, which GitHub runners force onto node20 since 2024-06-03');
    expect(finding?.message).not.toContain('undefined');
  });

  it('refuses to bump when a removed input is in use, and names it', async () => {
    const [finding] = await findings(['      - uses: docker/setup-buildx-action@v3', '        with:', '          install: true']);
    expect(finding?.message).toContain('once the step no longer uses input "install" (removed in v4)');
    expect(finding?.fix).toBeNull();
  });

  it('refuses to bump bake-action v6 with workdir, pointing at source', async () => {
    const [finding] = await findings(['      - uses: docker/bake-action@v6', '        with:', '          workdir: images']);
    expect(finding?.message).toContain('"workdir" (removed in v7, see "source")');
    expect(finding?.fix).toBeNull();
  });

  it('renames inputs the new major renamed one to one', async () => {
    const after = await fixed(['      - uses: docker/setup-buildx-action@v3', '        with:', '          config-inline: |', '            debug = true']);
    expect(after).toContain('docker/setup-buildx-action@v4');
    expect(after).toContain('          buildkitd-config-inline: |');
  });

  it('keeps a version comment after a tag in step with the new ref', async () => {
    const after = await fixed(['      - uses: docker/login-action@v3.7.0 # v3.7.0', '      - uses: docker/setup-qemu-action@v3 # v3']);
    expect(after).toContain('docker/login-action@v4.1.0 # v4.1.0');
    expect(after).toContain('docker/setup-qemu-action@v4 # v4');
  });

  it('gives no fix for a sha pin and says why', async () => {
    const [finding] = await findings(['      - uses: docker/login-action@0123456789abcdef0123456789abcdef01234567 # v3.7.0']);
    expect(finding?.message).toContain('no automatic fix: the new commit sha cannot be known offline');
    expect(finding?.fix).toBeNull();
  });

  it('leaves the checkout bump to a human in pull_request_target workflows', async () => {
    const [finding] = await findings(['      - uses: actions/checkout@v4'], 'pull_request_target');
    expect(finding?.safety).toBe('unsafe');
  });

  it.each(['actions/checkout@v7', 'docker/login-action@v4', 'example/unknown@v1', './local', 'docker://alpine:3'])('accepts %s', async (uses) => {
    expect(await findings([`      - uses: ${uses}`])).toEqual([]);
  });
});
