/**
 * What the parity rules share: pairing a family's CI build with its hand-run script build, and
 * reporting one difference at both places (one finding each, `related` pointing at the other).
 * Pure functions of the model, like the rules.
 */
import { buildPlans, isKnown, type BuildPlan, type Known, type PlanSite, type PlanValue } from '../../repo/build-plan.js';
import type { Repo } from '../../repo/repo.js';
import type { RuleContext } from '../rule.js';
import { quote } from './helpers.js';

/** A CI plan and a script plan of the same family (and target) to compare. */
export interface PlanPair {
  family: string;
  ci: BuildPlan;
  script: BuildPlan;
}

/** Every CI/script pair of the repository; families with only one side give none. */
export function planPairs(repo: Repo): PlanPair[] {
  const pairs: PlanPair[] = [];
  for (const group of buildPlans(repo).families) {
    for (const ci of group.ci) {
      for (const script of group.script) {
        if (sameTarget(ci, script)) {
          pairs.push({ family: group.family, ci, script });
        }
      }
    }
  }
  return pairs;
}

/** Two bake builds pair only for the same bake target; the stage built is itself a compared field. */
function sameTarget(a: BuildPlan, b: BuildPlan): boolean {
  return a.bakeTarget === null || b.bakeTarget === null || a.bakeTarget === b.bakeTarget;
}

/** How messages name a plan's side: `CI (.github/workflows/x.yaml)` or the script's path. */
export function sideName(plan: BuildPlan): string {
  return plan.side === 'ci' ? `CI (${plan.file})` : plan.file;
}

/** One difference, said from each side. */
export interface Difference {
  ciAt: PlanSite;
  scriptAt: PlanSite;
  /** The message at the CI place. */
  ci: string;
  /** The message at the script place. */
  script: string;
}

/** Reports a difference twice: at the CI place and at the script place, each pointing at the other. */
export function reportDifference(ctx: RuleContext, difference: Difference): void {
  ctx.report({
    file: difference.ciAt.file,
    at: difference.ciAt.range,
    message: difference.ci,
    related: [{ file: difference.scriptAt.file, range: difference.scriptAt.range, message: 'the hand-run script side' }],
  });
  ctx.report({
    file: difference.scriptAt.file,
    at: difference.scriptAt.range,
    message: difference.script,
    related: [{ file: difference.ciAt.file, range: difference.ciAt.range, message: 'the CI side' }],
  });
}

/**
 * Compares one field of a pair and reports when both sides know it and differ. `show` renders a
 * value for the message; `equal` defaults to comparing what `show` renders.
 */
export function compareField<T>(
  ctx: RuleContext,
  pair: PlanPair,
  what: string,
  pick: (plan: BuildPlan) => PlanValue<T>,
  show: (value: T) => string,
  equal: (a: T, b: T) => boolean = (a, b) => show(a) === show(b),
): void {
  const ci = pick(pair.ci);
  const script = pick(pair.script);
  if (!isKnown(ci) || !isKnown(script) || equal(ci.value, script.value)) {
    return;
  }
  reportDifference(ctx, valueDifference(pair, what, ci, script, show));
}

/** The messages for a field both sides set to different values. */
export function valueDifference<T>(pair: PlanPair, what: string, ci: Known<T>, script: Known<T>, show: (value: T) => string): Difference {
  return {
    ciAt: ci.at,
    scriptAt: script.at,
    ci: `${what} is ${show(ci.value)} in CI but ${show(script.value)} in ${pair.script.file}; expected the same in both`,
    script: `${what} is ${show(script.value)} here but ${show(ci.value)} in ${sideName(pair.ci)}; expected the same in both`,
  };
}

/** A path for messages: the repository root is ".". */
export function showPath(path: string): string {
  return quote(path === '' ? '.' : path);
}

/** A list for messages: `["a", "b"]`, or `none`. */
export function showList(values: readonly string[]): string {
  return values.length === 0 ? 'none' : `[${values.map(quote).join(', ')}]`;
}

/** Lists compare as sets. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((value, i) => value === right[i]);
}
