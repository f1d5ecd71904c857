/**
 * BuildKit's `--progress=rawjson` stream (buildx >= 0.12): one JSON `SolveStatus` delta per line on
 * stderr (moby/buildkit client/graph.go). A vertex appears many times (named, started, completed);
 * fields merge by digest, the newest non-empty value winning, and a vertex that ran more than once
 * has several started/completed intervals, whose union is its duration. Times are the daemon's
 * clock. Lines that are not JSON (buildx's closing `ERROR: ...`) are kept as trailing text.
 */
import { z } from 'zod';
import { newStep, type BuildStep } from './steps.js';

const vertex = z.object({
  digest: z.string(),
  inputs: z.array(z.string()).optional(),
  name: z.string().optional(),
  started: z.string().optional(),
  completed: z.string().optional(),
  cached: z.boolean().optional(),
  error: z.string().optional(),
}).loose();

const solveStatus = z.object({
  vertexes: z.array(vertex).optional(),
  statuses: z.array(z.unknown()).optional(),
  logs: z.array(z.unknown()).optional(),
  warnings: z.array(z.unknown()).optional(),
}).loose();

interface Folded {
  step: BuildStep;
  intervals: Map<string, string | null>;
  cached: boolean;
  error: string | null;
}

/** Folds rawjson progress lines into steps. */
export class RawJsonProgressParser {
  private readonly byDigest = new Map<string, Folded>();
  private readonly trailing: string[] = [];

  /** Feeds one line; returns the steps it touched. */
  push(line: string): BuildStep[] {
    const trimmed = line.trim();
    if (trimmed === '') {
      return [];
    }
    let parsed: z.infer<typeof solveStatus>;
    try {
      parsed = solveStatus.parse(JSON.parse(trimmed));
    } catch {
      this.trailing.push(trimmed);
      if (this.trailing.length > 20) {
        this.trailing.shift();
      }
      return [];
    }
    const touched: BuildStep[] = [];
    for (const event of parsed.vertexes ?? []) {
      let folded = this.byDigest.get(event.digest);
      if (!folded) {
        folded = { step: newStep(event.name ?? event.digest, event.digest), intervals: new Map(), cached: false, error: null };
        this.byDigest.set(event.digest, folded);
      }
      if (event.name && folded.step.name !== event.name) {
        Object.assign(folded.step, newStep(event.name, event.digest), { line: folded.step.line });
      }
      if (event.started) {
        const end = event.completed ?? folded.intervals.get(event.started) ?? null;
        folded.intervals.set(event.started, end);
      }
      folded.cached ||= event.cached === true;
      if (event.error) {
        folded.error = event.error;
      }
      this.settle(folded);
      touched.push(folded.step);
    }
    return touched;
  }

  private settle(folded: Folded): void {
    const step = folded.step;
    const starts = [...folded.intervals.keys()].sort();
    const ends = [...folded.intervals.values()].filter((end): end is string => end !== null).sort();
    step.startedAt = starts[0] ?? null;
    step.completedAt = ends.at(-1) ?? null;
    step.error = folded.error;
    const open = [...folded.intervals.values()].some((end) => end === null);
    if (folded.error !== null) {
      step.status = /context canceled/.test(folded.error) ? 'canceled' : 'error';
    } else if (folded.cached) {
      step.status = 'cached';
    } else if (!open && ends.length > 0) {
      step.status = 'done';
    } else {
      step.status = 'running';
    }
    step.durationSeconds = folded.cached && folded.error === null ? 0 : unionSeconds([...folded.intervals].filter((entry): entry is [string, string] => entry[1] !== null));
  }

  /** The steps in the order they first appeared. */
  steps(): BuildStep[] {
    return [...this.byDigest.values()].map((folded) => folded.step);
  }

  trailingLines(): string[] {
    return [...this.trailing];
  }
}

/** Seconds covered by the union of [start, end] intervals. */
function unionSeconds(intervals: [string, string][]): number | null {
  if (intervals.length === 0) {
    return null;
  }
  const spans = intervals.map(([start, end]) => [Date.parse(start), Date.parse(end)] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [currentStart, currentEnd] = spans[0] ?? [0, 0];
  for (const [start, end] of spans.slice(1)) {
    if (start > currentEnd) {
      total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else {
      currentEnd = Math.max(currentEnd, end);
    }
  }
  total += currentEnd - currentStart;
  return total / 1000;
}

/** Parses a whole captured rawjson stream. */
export function parseRawJsonProgress(text: string): BuildStep[] {
  const parser = new RawJsonProgressParser();
  for (const line of text.split('\n')) {
    parser.push(line);
  }
  return parser.steps();
}
