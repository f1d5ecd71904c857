/** The ShellCheck result cache gives the same findings as a fresh run, and a changed body misses. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../../src/tools/shellcheck.js';
import { reviewFiles } from '../helpers.js';

const shellcheck = await detect();
const required = process.env.BASEIMG_REQUIRE_SHELLCHECK === '1';
const dockerfile = (n: number) => `FROM debian:bookworm-slim
ARG VERSION=1
RUN echo $VERSION && cd /tmp && ls $undeclared_${n} | grep x
RUN echo $VERSION && cd /tmp && ls $undeclared_${n} | grep x
`;

describe.skipIf(!shellcheck && !required)('shellcheck result cache', () => {
  let cache = '';
  afterAll(async () => {
    if (cache) {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('serves identical findings from the cache and misses on a changed body', async () => {
    expect(shellcheck, 'shellcheck must be installed (BASEIMG_REQUIRE_SHELLCHECK=1)').not.toBeNull();
    cache = await mkdtemp(join(tmpdir(), 'baseimg-cache-'));
    process.env.BASEIMG_CACHE_DIR = cache;
    try {
      const options = { shellcheck: 'require' as const, cache: true };
      const fresh = await reviewFiles({ Dockerfile: dockerfile(1) }, options);
      const entries = await readdir(join(cache, 'shellcheck'));
      // Two identical RUN bodies are checked once, so one entry.
      expect(entries).toHaveLength(1);
      const cached = await reviewFiles({ Dockerfile: dockerfile(1) }, options);
      expect(cached.findings).toEqual(fresh.findings);
      expect(fresh.findings.filter((finding) => finding.ruleId === 'shell/shellcheck').length).toBeGreaterThan(1);
      // Both RUN lines carry their own findings, also when served from one cache entry.
      expect(new Set(cached.findings.filter((finding) => finding.code === 'SC2154').map((finding) => finding.range.start.line))).toEqual(new Set([3, 4]));
      const changed = await reviewFiles({ Dockerfile: dockerfile(2) }, options);
      expect(await readdir(join(cache, 'shellcheck'))).toHaveLength(2);
      expect(changed.findings.some((finding) => finding.message.includes('undeclared_2'))).toBe(true);
    } finally {
      delete process.env.BASEIMG_CACHE_DIR;
    }
  });
});
