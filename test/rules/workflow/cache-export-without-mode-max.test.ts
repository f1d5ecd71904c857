import { describe, expect, it } from 'vitest';
import { cacheExportWithoutModeMax } from '../../../src/rules/workflow/cache-export-without-mode-max.js';
import { reviewFiles } from '../../helpers.js';

const MULTI = 'FROM scratch AS builder\nFROM scratch AS tools\nFROM scratch AS final\nCOPY --from=builder /x /x\n';

async function findings(withLines: string[]): Promise<{ message: string; fix: string | null }[]> {
  const text = ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', '      - uses: docker/build-push-action@v7', '        with:', '          file: img/Dockerfile', ...withLines, ''].join('\n');
  const result = await reviewFiles({ 'img/Dockerfile': MULTI, 'one/Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': text }, { rules: [cacheExportWithoutModeMax] });
  return result.findings.map((finding) => ({ message: finding.message, fix: finding.fix?.edits.map((edit) => edit.newText).join('|') ?? null }));
}

describe('workflow/cache-export-without-mode-max', () => {
  it('names only the stages the built target reads', async () => {
    const [finding] = await findings(['          cache-to: type=gha,scope=img']);
    expect(finding?.message).toContain('skips the builder stage "builder" of multi-stage "img/Dockerfile"');
    expect(finding?.fix).toBe(',mode=max');
  });

  it('replaces an explicit mode=min', async () => {
    const [finding] = await findings(['          cache-to: "type=registry,ref=r/x:cache,mode=min"']);
    expect(finding?.fix).toBe('mode=max');
  });

  it('skips a target stage with no dependencies', async () => {
    expect(await findings(['          target: tools', '          cache-to: type=gha,scope=tools'])).toEqual([]);
  });

  it('skips inline caches, mode=max and expressions', async () => {
    expect(await findings(['          cache-to: type=inline'])).toEqual([]);
    expect(await findings(['          cache-to: type=gha,mode=max,scope=img'])).toEqual([]);
    expect(await findings(['          cache-to: ${{ env.CACHE_TO }}'])).toEqual([]);
  });
});
