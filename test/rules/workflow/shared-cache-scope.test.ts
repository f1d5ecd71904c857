import { describe, expect, it } from 'vitest';
import { sharedCacheScope } from '../../../src/rules/workflow/shared-cache-scope.js';
import { reviewFiles } from '../../helpers.js';

function job(id: string, file: string, cacheTo: string, target?: string): string[] {
  return [`  ${id}:`, '    runs-on: ubuntu-24.04', '    steps:', '      - uses: docker/build-push-action@v7', '        with:', `          file: ${file}`, ...(target ? [`          target: ${target}`] : []), `          cache-to: ${cacheTo}`];
}

async function messages(jobs: string[][], extra: Record<string, string> = {}): Promise<string[]> {
  const text = ['on: push', 'jobs:', ...jobs.flat(), ''].join('\n');
  const files = { 'a/Dockerfile': 'FROM scratch AS base\nFROM base AS app\n', 'b/Dockerfile': 'FROM scratch\n', '.github/workflows/b.yml': text, ...extra };
  const result = await reviewFiles(files, { rules: [sharedCacheScope] });
  return result.findings.map((finding) => `${finding.file}:${finding.range.start.line} ${finding.message}`);
}

describe('workflow/shared-cache-scope', () => {
  it('accepts distinct scopes and one image writing twice', async () => {
    expect(await messages([job('a', 'a/Dockerfile', 'type=gha,scope=a,mode=max'), job('b', 'b/Dockerfile', 'type=gha,scope=b,mode=max')])).toEqual([]);
    expect(await messages([job('a', 'a/Dockerfile', 'type=gha'), job('a2', 'a/Dockerfile', 'type=gha,mode=max')])).toEqual([]);
  });

  it('treats two targets of one Dockerfile as two images', async () => {
    const found = await messages([job('base', 'a/Dockerfile', 'type=gha,scope=shared', 'base'), job('app', 'a/Dockerfile', 'type=gha,scope=shared', 'app')]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('writes gha scope "shared", which image');
  });

  it('finds writers across workflow files', async () => {
    const other = ['on: push', 'jobs:', ...job('b', 'b/Dockerfile', 'type=gha,mode=max'), ''].join('\n');
    const found = await messages([job('a', 'a/Dockerfile', 'type=gha,mode=max')], { '.github/workflows/other.yml': other });
    expect(found.map((line) => line.split(' ')[0])).toEqual(['.github/workflows/b.yml:9', '.github/workflows/other.yml:9']);
    expect(found[0]).toContain('(the default, no scope= set)');
  });

  it('ignores inline caches and expression scopes', async () => {
    expect(await messages([job('a', 'a/Dockerfile', 'type=inline'), job('b', 'b/Dockerfile', 'type=inline')])).toEqual([]);
    expect(await messages([job('a', 'a/Dockerfile', 'type=gha,scope=${{ matrix.image }}'), job('b', 'b/Dockerfile', 'type=gha,scope=${{ matrix.image }}')])).toEqual([]);
  });
});
