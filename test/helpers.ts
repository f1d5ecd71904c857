/** Shared test helpers: temporary repositories and a one-call review. */
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Io } from '../src/cli/main.js';
import { review, type ReviewOptions, type ReviewResult } from '../src/review.js';
import { detect } from '../src/tools/shellcheck.js';

/**
 * Whether tests that need ShellCheck run: when it is installed, or when BASEIMG_REQUIRE_SHELLCHECK=1
 * (CI), where a missing ShellCheck must fail them rather than skip them.
 */
export const runShellcheckTests = (await detect()) !== null || process.env.BASEIMG_REQUIRE_SHELLCHECK === '1';
if (!runShellcheckTests) {
  console.warn('shellcheck not found on PATH: the tests that need it are skipped (BASEIMG_REQUIRE_SHELLCHECK=1 turns the skip into a failure)');
}

/** Writes `files` (path -> content) into a new temporary folder; returns its path and a cleanup. */
export async function tempRepo(files: Record<string, string | Uint8Array>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'baseimg-test-'));
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    if (path.endsWith('.sh')) {
      await chmod(target, 0o755);
    }
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Reviews a temporary repository made of `files`, then removes it. */
export async function reviewFiles(files: Record<string, string | Uint8Array>, options: Omit<ReviewOptions, 'path'> = {}): Promise<ReviewResult> {
  const repo = await tempRepo(files);
  try {
    return await review({ shellcheck: 'off', actionlint: 'off', ...options, path: repo.root });
  } finally {
    await repo.cleanup();
  }
}

/** An in-memory `Io` for calling the CLI's `main()`: what it prints collects in `out` and `err`. */
export function captureIo(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}
