/**
 * What the syft, trivy and grype adapters share: finding the program and its version, the skip
 * (with a reason) when it is not installed, and BASEIMG_REQUIRE_<TOOL>=1 turning that skip into
 * a failure. The image source strings are the tools' own (`docker-archive:/path.tar`,
 * `oci-archive:/path.tar`, `docker:ref` for syft and grype; trivy reads archives with --input).
 */
import { EngineError, InputError } from '../errors.js';
import { runProcess } from './process.js';

/** A tool that can be run, or the reason it cannot. */
export type Availability = { available: true; program: string; version: string } | { available: false; reason: string };

/** Finds `program` and its version with `versionArgs`; honours BASEIMG_REQUIRE_<NAME>=1. */
export async function detectTool(name: string, program: string, versionArgs: string[], versionPattern: RegExp): Promise<Availability> {
  const result = await runProcess(program, versionArgs, { timeoutMs: 30_000 }).catch((error: Error) => ({ error }));
  let availability: Availability;
  if ('error' in result) {
    availability = { available: false, reason: `${name} is not installed (${program}: ${result.error.message})` };
  } else {
    const version = versionPattern.exec(`${result.stdout}\n${result.stderr}`)?.[1];
    availability = version && result.code === 0
      ? { available: true, program, version }
      : { available: false, reason: `${name} at ${program} did not report a version (exit ${result.code})` };
  }
  const require = process.env[`BASEIMG_REQUIRE_${name.toUpperCase()}`] === '1';
  if (!availability.available && require) {
    throw new EngineError(`BASEIMG_REQUIRE_${name.toUpperCase()}=1 but ${availability.reason}`);
  }
  return availability;
}

/** Runs a scanner and returns its stdout parsed as JSON; a failed run is an EngineError. */
export async function runJson(name: string, program: string, args: string[], timeoutMs: number): Promise<{ text: string; json: unknown }> {
  const result = await runProcess(program, args, { timeoutMs });
  if (result.timedOut) {
    throw new EngineError(`${name} timed out after ${Math.round(timeoutMs / 1000)} s`);
  }
  if (result.code !== 0) {
    throw new EngineError(`${name} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  try {
    return { text: result.stdout, json: JSON.parse(result.stdout) as unknown };
  } catch (error) {
    throw new InputError(`${name} printed invalid JSON: ${(error as Error).message}`, `${name} output`);
  }
}
