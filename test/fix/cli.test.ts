import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo, tempRepo } from '../helpers.js';

const BAD = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y curl\n';
const FIXED = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n';


describe('baseimg fix', () => {
  it('without --write prints the diff, touches no file and exits 1', async () => {
    // With a .dockerignore, context/dockerignore-missing does not add a second file to the fix.
    const repo = await tempRepo({ Dockerfile: BAD, '.dockerignore': '.git\n' });
    try {
      const path = join(repo.root, 'Dockerfile');
      const before = await stat(path);
      const io = captureIo();
      expect(await main(['fix', repo.root], io)).toBe(1);
      expect(io.out).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
      expect(io.out).toContain('+RUN apt-get update && apt-get install --no-install-recommends -y curl\n');
      expect(io.err).toMatch(/pending in 1 file; run with --write to apply/);
      const after = await stat(path);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(await readFile(path, 'utf8')).toBe(BAD);
    } finally {
      await repo.cleanup();
    }
  });

  it('with --write writes, summarises per file, reports what remains and exits 0; a second run finds nothing', async () => {
    // With a .dockerignore, context/dockerignore-missing does not add a second file to the fix.
    const repo = await tempRepo({ Dockerfile: BAD, '.dockerignore': '.git\n' });
    try {
      const io = captureIo();
      expect(await main(['fix', repo.root, '--write'], io)).toBe(0);
      expect(await readFile(join(repo.root, 'Dockerfile'), 'utf8')).toBe(FIXED);
      expect(io.out).toMatch(/^fixed Dockerfile: 1 fix \(dockerfile\/apt-without-no-install-recommends\)\n/);
      expect(io.out).toMatch(/\d+ findings? remains?; run baseimg review/);
      const again = captureIo();
      expect(await main(['fix', repo.root], again)).toBe(0);
      expect(again.out).toBe('');
      expect(again.err).toMatch(/nothing to fix/);
    } finally {
      await repo.cleanup();
    }
  });

  it('applies unsafe fixes only with --unsafe', async () => {
    const repo = await tempRepo({ Dockerfile: 'FROM alpine:3.20\nRUN sudo apk add --no-cache curl\n' });
    try {
      const safeOnly = captureIo();
      await main(['fix', repo.root], safeOnly);
      expect(safeOnly.out).not.toContain('-RUN sudo apk add');
      const unsafe = captureIo();
      expect(await main(['fix', repo.root, '--unsafe'], unsafe)).toBe(1);
      expect(unsafe.out).toContain('-RUN sudo apk add --no-cache curl');
    } finally {
      await repo.cleanup();
    }
  });

  it.each([
    [['fix', '--bogus']],
    [['fix', 'a', 'b']],
    [['fix', '/nonexistent/baseimg-repo']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err).toMatch(/^baseimg: /);
  });

  it('is listed in --help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('baseimg fix [PATH] [--write] [--unsafe] [--config FILE]');
  });
});
