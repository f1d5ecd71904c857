/**
 * The command line: picks the command, and is the one place typed errors become exit codes
 * (0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input).
 */
import { EngineError, InputError, InternalError, UsageError } from '../errors.js';
import { version } from '../version.js';

const USAGE = `baseimg: review, fix and measure Docker base images

Usage:
  baseimg review [PATH] [--format text|json|sarif|md] [--out FILE] [--config FILE]
                        [--fail-on error|warning|info|never] [--no-shellcheck]
                        [--no-actionlint] [--no-cache] [--color|--no-color]
  baseimg fix [PATH] [--write] [--unsafe] [--config FILE]
                        prints the fixes as a unified diff; --write applies them
  baseimg bench [FAMILY...] [--label L] [--warm N] [--cold N] [--prune] [--format text|json]
  baseimg bench --dockerfile PATH [--dockerfile PATH] [--context DIR] [--label L] ...
                        builds on a Docker engine (cold, warm, warm after a late change),
                        measures time, cache hits, size, layers and waste, runs the image
                        tests and writes run records to .baseimg/runs/ (docs/bench.md)
  baseimg audit [PATH] [--family NAME] [--format text|md|json] [--config FILE]
                        classifies every apt and pip package of each image family as
                        required-runtime, build-only, optional-by-profile or unused
  baseimg matrix [PATH] [--format md|json] [--config FILE]
                        compatibility matrix per image family: pinned vs newest known, status, evidence
  baseimg cve REPORT... [--before REPORT...] [--repo PATH] [--format text|json|md]
                        [--fail-on-cve critical|high|medium|low|never]
                        one CVE summary from trivy, grype and pip-audit JSON reports
  baseimg --version
  baseimg --help

Exit codes: 0 clean, 1 findings at or above --fail-on (fix: fixes pending without --write),
2 bad usage or unreadable input.
Rules and configuration: docs/rules.md and README.md.`;

/** Output streams, injectable for tests. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'review':
        // Each command loads its own modules, so start-up pays only for the one that runs.
        return await (await import('./review.js')).reviewCommand(rest, io);
      case 'fix':
        return await (await import('./fix.js')).fixCommand(rest, io);
      case 'bench':
        return await (await import('./bench.js')).benchCommand(rest, io);
      case 'audit':
        return await (await import('./audit.js')).auditCommand(rest, io);
      case 'matrix':
        return await (await import('./matrix.js')).matrixCommand(rest, io);
      case 'cve':
        return await (await import('./cve.js')).cveCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${version()}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: baseimg --help)`);
    }
  } catch (error) {
    return fail(error, io);
  }
}

function fail(error: unknown, io: Io): number {
  if (error instanceof UsageError || error instanceof EngineError) {
    io.stderr(`baseimg: ${error.message}\n`);
    return 2;
  }
  if (error instanceof InputError) {
    io.stderr(`baseimg: ${error.message.startsWith(error.file) ? error.message : `${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`}\n`);
    return 2;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const kind = error instanceof InternalError ? 'internal error' : 'unexpected error';
  io.stderr(`baseimg: ${kind}: ${detail}\nThis is a bug in baseimg; please report it with the command you ran.\n`);
  return 2;
}
