/**
 * The one place baseimg spawns processes: bounded concurrency, a timeout, and stderr kept for the
 * error message (actionlint's process.go).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';

/** What a finished process left behind. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Options for one process. */
export interface ProcessOptions {
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const limit = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (running < limit) {
    running += 1;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
}

function release(): void {
  running -= 1;
  waiting.shift()?.();
}

/** Runs a program to completion; never rejects for a non-zero exit, only for a spawn failure (ENOENT). */
export async function runProcess(program: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  await acquire();
  try {
    return await new Promise<ProcessResult>((resolve, reject) => {
      const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
        : null;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        if (timer) {
          clearTimeout(timer);
        }
        reject(error);
      });
      child.on('close', (code, signal) => {
        if (timer) {
          clearTimeout(timer);
        }
        resolve({
          code,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
        });
      });
      child.stdin.on('error', () => {
        // The child may exit before reading its input; its exit status tells what happened.
      });
      child.stdin.end(options.input ?? '');
    });
  } finally {
    release();
  }
}

/** A long-running process whose output is read while it runs (a build's progress, `docker save`). */
export interface StreamingProcess {
  stdout: Readable;
  stderr: Readable;
  /** Sends a signal; a no-op once the process has exited. */
  kill: (signal?: NodeJS.Signals) => void;
  /** Settles when the process has exited; rejects only when it could not be started. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a program whose output the caller streams. Unlike runProcess it takes no concurrency slot:
 * builds and archive exports run one at a time and for minutes, and buffering them is not an option.
 */
export function spawnStreaming(program: string, args: readonly string[], options: Omit<ProcessOptions, 'input' | 'timeoutMs'> = {}): StreamingProcess {
  const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    },
    done,
  };
}
