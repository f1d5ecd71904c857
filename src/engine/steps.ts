/**
 * Build steps as both progress formats (plain, rawjson) report them, and their mapping back to
 * Dockerfile lines. BuildKit's Dockerfile frontend names a step's vertex `[<platform> <stage> i/n]
 * <instruction>` (moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go); everything else is an
 * internal or exporter vertex.
 */
import type { Dockerfile, DockerInstruction, Stage } from '../parse/dockerfile.js';

/** How a step ended. `running` means the stream stopped before it said (interrupted build). */
export type StepStatus = 'done' | 'cached' | 'error' | 'canceled' | 'running';

/** One vertex of a build: a Dockerfile step, or an internal/exporter vertex. */
export interface BuildStep {
  /** The vertex name as BuildKit printed it. */
  name: string;
  /** Vertex digest, when the stream carries it. */
  digest: string | null;
  kind: 'dockerfile' | 'internal' | 'exporter' | 'other';
  /** For Dockerfile steps: the stage as BuildKit names it (`builder`, `stage-2`), or null for a single-stage file. */
  stage: string | null;
  platform: string | null;
  /** `i` and `n` of `[i/n]`. */
  stepIndex: number | null;
  stepCount: number | null;
  /** The instruction text after the bracket (`RUN apt-get update`). */
  instruction: string | null;
  status: StepStatus;
  /** Seconds the step ran; 0 for cached steps, null when the format does not say. */
  durationSeconds: number | null;
  /** Start and end as ISO times: daemon clock for rawjson, client clock (line arrival) for plain. */
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
  /** 1-based line of the Dockerfile instruction, once mapped. */
  line: number | null;
}

const VERTEX = /^\[(?:(?<first>[^\]\s]+) )?(?:(?<second>[^\]\s]+) )?\s*(?<i>\d+)\/(?<n>\d+)\] (?<instruction>.*)$/s;

/** Splits a vertex name into its Dockerfile-step parts, or classifies it as internal/exporter. */
export function classifyVertex(name: string): Pick<BuildStep, 'kind' | 'stage' | 'platform' | 'stepIndex' | 'stepCount' | 'instruction'> {
  const match = VERTEX.exec(name);
  if (match?.groups) {
    const { first, second, i, n, instruction } = match.groups;
    // With two prefixes the first is the platform; with one, a platform has a slash and a stage has none.
    const platform = second !== undefined ? (first ?? null) : first?.includes('/') ? first : null;
    const stage = second !== undefined ? second : first !== undefined && !first.includes('/') ? first : null;
    return { kind: 'dockerfile', stage, platform, stepIndex: Number(i), stepCount: Number(n), instruction: instruction ?? null };
  }
  const kind = name.startsWith('[internal]') ? 'internal' : /^(exporting|writing image|naming to|importing cache|exporting cache)/.test(name) ? 'exporter' : 'other';
  return { kind, stage: null, platform: null, stepIndex: null, stepCount: null, instruction: null };
}

/** A fresh step for a vertex name. */
export function newStep(name: string, digest: string | null = null): BuildStep {
  return { name, digest, ...classifyVertex(name), status: 'running', durationSeconds: null, startedAt: null, completedAt: null, error: null, line: null };
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function instructionText(dockerfile: Dockerfile, instruction: DockerInstruction): string {
  // The whole instruction as written, flags included, line continuations folded as BuildKit does.
  const text = dockerfile.text.slice(dockerfile.lines.offsetAt(instruction.range.start), dockerfile.lines.offsetAt(instruction.range.end));
  return squash(text.replace(/\\\r?\n/g, ' ')).toUpperCase();
}

function stageFor(dockerfile: Dockerfile, stage: string | null): Stage | null {
  if (stage === null) {
    return dockerfile.stages.length === 1 ? (dockerfile.stages[0] ?? null) : null;
  }
  const unnamed = /^stage-(\d+)$/.exec(stage);
  if (unnamed) {
    return dockerfile.stages[Number(unnamed[1])] ?? null;
  }
  return dockerfile.stages.find((candidate) => candidate.name?.toLowerCase() === stage.toLowerCase()) ?? null;
}

/**
 * Sets `line` on each Dockerfile step: the instruction of the step's stage whose text matches the
 * vertex text. BuildKit numbers only the instructions that make a vertex (FROM of a non-scratch
 * base, RUN, COPY, ADD, WORKDIR), so the text is the key and the ordinal only breaks ties.
 */
export function mapStepsToLines(steps: BuildStep[], dockerfile: Dockerfile): void {
  for (const step of steps) {
    if (step.kind !== 'dockerfile' || step.instruction === null) {
      continue;
    }
    const stage = stageFor(dockerfile, step.stage);
    if (!stage) {
      continue;
    }
    const text = squash(step.instruction).toUpperCase();
    const keyword = text.split(' ')[0] ?? '';
    if (keyword === 'FROM') {
      step.line = stage.from.range.start.line;
      continue;
    }
    const candidates = stage.instructions.filter((instruction) => instruction.keyword.toUpperCase() === keyword && instruction.kind !== 'from');
    const exact = candidates.filter((instruction) => instructionText(dockerfile, instruction) === text);
    // Long names can be cut by the printer; a prefix match catches those.
    const loose = exact.length > 0 ? exact : candidates.filter((instruction) => instructionText(dockerfile, instruction).startsWith(text.replace(/\.\.\.$/, '')));
    const pick = loose.length === 1 ? loose[0] : loose.length > 1 ? byOrdinal(loose, stage, step) : candidates.length === 1 ? candidates[0] : undefined;
    step.line = pick ? pick.range.start.line : null;
  }
}

function byOrdinal(candidates: DockerInstruction[], stage: Stage, step: BuildStep): DockerInstruction | undefined {
  const counted = stage.instructions.filter((instruction) => ['run', 'copy', 'add'].includes(instruction.kind) || instruction.keyword.toUpperCase() === 'WORKDIR');
  const offset = stage.base.scratch ? 1 : 2;
  const guess = counted[(step.stepIndex ?? 0) - offset];
  return candidates.find((candidate) => candidate === guess) ?? candidates[0];
}

/** Cache figures over the Dockerfile steps of one build. */
export interface CacheSummary {
  dockerfileSteps: number;
  cached: number;
  executed: number;
  failed: number;
  /** cached / dockerfileSteps (0 when there are none). */
  hitRate: number;
  /** BuildKit's own count, internal and exporter vertices included (not a Dockerfile hit rate). */
  allVertices: number;
  allVerticesCached: number;
}

/** Counts cache hits over Dockerfile steps, and over all vertices separately. */
export function cacheSummary(steps: readonly BuildStep[]): CacheSummary {
  const dockerfile = steps.filter((step) => step.kind === 'dockerfile');
  const cached = dockerfile.filter((step) => step.status === 'cached').length;
  return {
    dockerfileSteps: dockerfile.length,
    cached,
    executed: dockerfile.filter((step) => step.status === 'done').length,
    failed: dockerfile.filter((step) => step.status === 'error').length,
    hitRate: dockerfile.length === 0 ? 0 : cached / dockerfile.length,
    allVertices: steps.length,
    allVerticesCached: steps.filter((step) => step.status === 'cached').length,
  };
}
