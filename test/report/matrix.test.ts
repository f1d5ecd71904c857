/**
 * `baseimg matrix`: the plan-shaped repository renders both families (golden reviewed by eye,
 * test/fixtures/repos/plan-edge-node.matrix.md; BASEIMG_UPDATE_GOLDENS=1 rewrites it), JSON carries
 * schemaVersion 1, and a bench run record validates a family only when its tests passed on the same
 * combination; unreadable records are skipped with a note.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Matrix } from '../../src/report/matrix.js';
import { captureIo } from '../helpers.js';

const repo = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node');
const golden = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node.matrix.md');

async function matrix(path: string, format: 'md' | 'json'): Promise<string> {
  const io = captureIo();
  const code = await main(['matrix', path, '--format', format, '--today', '2026-11-29'], io);
  expect(code, io.err).toBe(0);
  return io.out;
}

describe('baseimg matrix', () => {
  it('renders both families of the plan-shaped repository (golden)', async () => {
    const text = await matrix(repo, 'md');
    if (process.env.BASEIMG_UPDATE_GOLDENS === '1' || !existsSync(golden)) {
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
    expect(text).toContain('## base_edge_node_amd64_cpu');
    expect(text).toContain('## base_edge_node_amd64_gpu');
  });

  it('marks the planted incompatibilities broken in JSON', async () => {
    const data = JSON.parse(await matrix(repo, 'json')) as Matrix;
    expect(data.schemaVersion).toBe(1);
    const status = (family: string, component: string): string | undefined =>
      data.families.find((entry) => entry.family === family)?.components.find((row) => row.component === component)?.status;
    expect(status('base_edge_node_amd64_gpu', 'torchvision')).toBe('broken');
    expect(status('base_edge_node_amd64_cpu', 'openvino')).toBe('broken');
    expect(status('base_edge_node_amd64_cpu', 'cryptography')).toBe('broken');
    expect(status('base_edge_node_amd64_gpu', 'ffmpeg')).toBe('broken');
    expect(status('base_edge_node_amd64_gpu', 'tensorrt (apt)')).toBe('unpinned');
    expect(data.families[0]?.pins.pypi?.unpinned).toBeGreaterThan(0);
  });

  it('cites a passing run on the same combination as evidence, and skips unreadable records', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baseimg-matrix-'));
    try {
      await cp(repo, root, { recursive: true });
      const before = JSON.parse(await matrix(root, 'json')) as Matrix;
      const cpu = before.families.find((entry) => entry.family === 'base_edge_node_amd64_cpu');
      await mkdir(join(root, '.baseimg', 'runs'), { recursive: true });
      const record = (combination: string, ok: boolean): string => JSON.stringify({ family: 'base_edge_node_amd64_cpu', status: 'ok', tests: [{ ok }], finishedAt: '2026-11-28T10:00:00Z', combination });
      await writeFile(join(root, '.baseimg', 'runs', 'cpu-after.json'), record(cpu?.combination ?? '', true));
      await writeFile(join(root, '.baseimg', 'runs', 'cpu-failed.json'), record(cpu?.combination ?? '', false));
      await writeFile(join(root, '.baseimg', 'runs', 'cpu-other.json'), record('0000000000000000', true));
      await writeFile(join(root, '.baseimg', 'runs', 'broken.json'), '{ not json');
      await writeFile(join(root, '.baseimg', 'runs', 'old.json'), JSON.stringify({ family: 'x' }));
      const after = JSON.parse(await matrix(root, 'json')) as Matrix;
      const torch = after.families.find((entry) => entry.family === 'base_edge_node_amd64_cpu')?.components.find((row) => row.component === 'torch');
      expect(torch?.evidence).toEqual({ kind: 'run', id: 'cpu-after', finishedAt: '2026-11-28T10:00:00Z' });
      const gpuTorch = after.families.find((entry) => entry.family === 'base_edge_node_amd64_gpu')?.components.find((row) => row.component === 'torch');
      expect(gpuTorch?.evidence.kind).toBe('upstream');
      expect(after.notes).toEqual([
        'run record broken.json skipped: not valid JSON',
        'run record old.json skipped: field "status" Invalid input: expected string, received undefined',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('rejects an unknown format', async () => {
    const io = captureIo();
    expect(await main(['matrix', repo, '--format', 'html'], io)).toBe(2);
    expect(io.err).toContain('--format');
  });
});
