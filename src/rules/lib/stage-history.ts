/**
 * What a stage has done before a given instruction, across the stages it builds on (`FROM build
 * AS runtime` inherits the filesystem, ENV, USER, WORKDIR and SHELL of `build`). Several hygiene
 * rules ask this: which USER a RUN runs as, whether an earlier RUN already ran `apt-get update`,
 * whether a SHELL or an absolute WORKDIR is in effect.
 */
import type { DockerInstruction, Stage } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';

/** The stage and the stages it builds on, the root first (`base`, `build`, `runtime`). */
export function stageLineage(stage: Stage): Stage[] {
  const lineage: Stage[] = [];
  const seen = new Set<Stage>();
  for (let current: Stage | null = stage; current && !seen.has(current); current = current.base.stage) {
    seen.add(current);
    lineage.unshift(current);
  }
  return lineage;
}

/**
 * The instructions that ran before `instruction` in its stage, preceded by every instruction of
 * the stages it builds on, in build order. `instruction` itself is not included; with `null`, the
 * whole stage is.
 */
export function instructionsBefore(stage: Stage, instruction: DockerInstruction | null): DockerInstruction[] {
  const before: DockerInstruction[] = [];
  for (const ancestor of stageLineage(stage)) {
    for (const candidate of ancestor.instructions) {
      if (ancestor === stage && candidate === instruction) {
        return before;
      }
      before.push(candidate);
    }
  }
  return before;
}

/** The user a RUN runs as: the last USER before it (expanded), or null when only the base image decides. */
export function effectiveUser(stage: Stage, instruction: DockerInstruction): string | null {
  let user: string | null = null;
  for (const candidate of instructionsBefore(stage, instruction)) {
    if (candidate.keyword === 'USER' && candidate.argsText.trim() !== '') {
      user = expand(candidate.argsText.trim(), candidate.scope).value;
    }
  }
  return user;
}

/** True for `root`, `0`, `root:root`, `0:0` and the like. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === 'root' || name === '0';
}

/** The last SHELL instruction before `instruction` in the stage lineage, or null. */
export function shellInstructionBefore(stage: Stage, instruction: DockerInstruction): DockerInstruction | null {
  let shell: DockerInstruction | null = null;
  for (const candidate of instructionsBefore(stage, instruction)) {
    if (candidate.keyword === 'SHELL') {
      shell = candidate;
    }
  }
  return shell;
}
