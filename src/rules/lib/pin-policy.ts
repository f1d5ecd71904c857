/**
 * The pin policy for Python requirements: which requirements count as pinned. Kept in one place so
 * the requirements rules and, later, a configurable policy (allowed ranges per package, constraints
 * files) share one definition.
 *
 * Classes:
 * - `exact`: some clause pins one version: `==X` without a wildcard, or `===X` (PEP 440 "Version
 *   matching" and "Arbitrary equality"). `==X.*` is a prefix match, so it is a range.
 * - `range`: clauses are present but none is exact (`>=2`, `~=1.4`, `<2`, `==1.*`, `!=1.0`).
 * - `unpinned`: no version clause at all.
 * - `reference`: a direct URL (`name @ https://...`); its pinning is the URL's business (a wheel
 *   file is pinned, a branch of a Git repository is not) and is judged elsewhere.
 */
import type { Requirement } from '../../parse/requirements.js';

/** How tightly a requirement pins its version. */
export type PinClass = 'exact' | 'range' | 'unpinned' | 'reference';

/** The pin class of one requirement. */
export function pinClass(requirement: Requirement): PinClass {
  if (requirement.url !== null) {
    return 'reference';
  }
  if (requirement.clauses.length === 0) {
    return 'unpinned';
  }
  return requirement.clauses.some((clause) => clause.kind === 'exact') ? 'exact' : 'range';
}

/** True when the policy wants this requirement pinned more tightly than it is. */
export function violatesPinPolicy(requirement: Requirement): boolean {
  const pin = pinClass(requirement);
  return pin === 'range' || pin === 'unpinned';
}
