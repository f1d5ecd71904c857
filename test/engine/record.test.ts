/** The run-record schema file is fresh, and the bench helpers that need no engine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchTag, defaultChangeFile, recordStamp } from '../../src/engine/bench.js';
import { clientCandidates } from '../../src/engine/docker.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';
import { renderRunRecordSchema } from '../../tools/gen-run-record-schema.js';
import { tempRepo } from '../helpers.js';

beforeAll(async () => {
  await initShellParser();
});

describe('run records', () => {
  it('schema/run-record.schema.json is generated from the zod schema (npx tsx tools/gen-run-record-schema.ts)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'run-record.schema.json'), 'utf8')).toBe(renderRunRecordSchema());
  });

  it('names files by UTC start time, family and label', () => {
    expect(recordStamp('2026-11-29T09:07:10.123Z')).toBe('20261129T090710Z');
  });

  it('tags images uniquely and validly even for odd family names', () => {
    expect(benchTag({ family: 'My Family', label: 'before/1' }, 'abcd1234')).toBe('baseimg-bench/my-family:before-1-abcd1234');
  });
});

describe('the warm-late-change input', () => {
  const dockerfile = 'FROM scratch\nCOPY requirements.txt /r.txt\nCOPY --from=x /a /a\nCOPY app/ /app/\nCOPY *.cfg /etc/\n';

  it('prefers the family requirements file, then the last COPY source that names a file (first file of a folder)', async () => {
    const repo = await tempRepo({ 'requirements.txt': 'a\n', 'app/b.py': '', 'app/a.py': '', 'x.cfg': '' });
    try {
      const parsed = parseDockerfile('Dockerfile', dockerfile);
      expect(defaultChangeFile(parsed, repo.root, [join(repo.root, 'requirements.txt')])).toBe(join(repo.root, 'requirements.txt'));
      expect(defaultChangeFile(parsed, repo.root)).toBe(join(repo.root, 'app', 'a.py'));
      expect(defaultChangeFile(parseDockerfile('Dockerfile', 'FROM scratch\nCOPY --from=x /a /a\n'), repo.root)).toBeNull();
    } finally {
      await repo.cleanup();
    }
  });

  it('ignores a requirements file outside the build context', async () => {
    const repo = await tempRepo({ 'ctx/req.txt': 'a\n', 'other/requirements.txt': 'b\n' });
    try {
      const parsed = parseDockerfile('Dockerfile', 'FROM scratch\nCOPY req.txt /r\n');
      expect(defaultChangeFile(parsed, join(repo.root, 'ctx'), [join(repo.root, 'other', 'requirements.txt')])).toBe(join(repo.root, 'ctx', 'req.txt'));
    } finally {
      await repo.cleanup();
    }
  });
});

describe('client candidates', () => {
  it('uses only the explicit client, from the option or BASEIMG_DOCKER', () => {
    expect(clientCandidates({ docker: '/opt/docker', env: { BASEIMG_DOCKER: '/x' } })).toEqual(['/opt/docker']);
    expect(clientCandidates({ env: { BASEIMG_DOCKER: '/x' } })).toEqual(['/x']);
    expect(clientCandidates({ env: {} })).toEqual(['docker', '/usr/bin/docker', '/usr/local/bin/docker']);
  });
});
