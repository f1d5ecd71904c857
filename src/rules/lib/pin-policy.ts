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
import picomatch from 'picomatch';
import type { Requirement } from '../../parse/requirements.js';
import type { Config } from '../../repo/config.schema.js';

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

/** A pin-policy class, built in or configured (`pinPolicy.classes` in the config). */
export interface PolicyClass {
  name: string;
  packages: string[];
  ecosystem: 'pypi' | 'apt' | 'source' | 'binary';
  require: 'exact' | 'range-with-constraints' | 'any';
  reason: string;
}

/** apt packages that must carry the same upstream version as a PyPI package. */
export interface PolicyPair {
  apt: string;
  pypi: string;
}

/** The effective policy: classes in precedence order, and pairs. */
export interface PinPolicy {
  classes: PolicyClass[];
  pairs: PolicyPair[];
}

/**
 * The built-in policy (docs/dependencies.md). ML-stack wheels decide CUDA/driver/ABI compatibility
 * and security-sensitive packages decide what an advisory affects, so both need exact pins.
 * Everything else ("utilities") is the business of deps/unpinned-requirement: a range is accepted
 * there only when a constraints file pins it.
 */
export const DEFAULT_PIN_POLICY: PinPolicy = {
  classes: [
    {
      name: 'ml-stack',
      packages: ['torch', 'torchvision', 'torchaudio', 'tensorrt*', 'onnxruntime*', 'openvino*', 'nvidia-*'],
      ecosystem: 'pypi',
      require: 'exact',
      reason: 'ML-stack wheels fix the CUDA runtime, driver floor and ABI of the image',
    },
    {
      name: 'security',
      packages: ['cryptography', 'pyopenssl', 'requests', 'urllib3', 'certifi', 'web3', 'eth-*'],
      ecosystem: 'pypi',
      require: 'exact',
      reason: 'security-sensitive packages must be at a reviewed version so advisories can be matched',
    },
  ],
  pairs: [
    { apt: 'libnvinfer*', pypi: 'tensorrt*' },
    { apt: 'libnvonnxparsers*', pypi: 'tensorrt*' },
    { apt: 'python3-libnvinfer*', pypi: 'tensorrt*' },
  ],
};

/** The policy a config asks for: configured classes first, then the built-in ones unless `defaults: false`. */
export function pinPolicy(config: Config): PinPolicy {
  const configured = config.pinPolicy;
  const useDefaults = configured?.defaults !== false;
  const classes: PolicyClass[] = Object.entries(configured?.classes ?? {}).map(([name, value]) => ({
    name,
    packages: value.packages.map((glob) => glob.toLowerCase()),
    ecosystem: value.ecosystem ?? 'pypi',
    require: value.require,
    reason: value.reason ?? '',
  }));
  if (useDefaults) {
    for (const builtin of DEFAULT_PIN_POLICY.classes) {
      if (!classes.some((candidate) => candidate.name === builtin.name)) {
        classes.push(builtin);
      }
    }
  }
  const pairs = [...(configured?.pairs ?? []), ...(useDefaults ? DEFAULT_PIN_POLICY.pairs : [])];
  return { classes, pairs };
}

/** True when a glob matches a name (PEP 503-normalised for PyPI). */
export function globMatches(glob: string, name: string): boolean {
  let matcher = compiledGlobs.get(glob);
  if (!matcher) {
    matcher = picomatch(glob, { nocase: true });
    compiledGlobs.set(glob, matcher);
  }
  return matcher(name);
}

/**
 * Compiled policy globs. A cache of a pure function, not state a rule could observe: every
 * dependency of every image is checked against every class, and compiling a glob costs far more
 * than matching it. Policies hold a few dozen globs, so the cache stays small.
 */
const compiledGlobs = new Map<string, (name: string) => boolean>();

/** The class governing a dependency: the first whose ecosystem and globs match, or null. */
export function classOf(policy: PinPolicy, ecosystem: string, name: string): PolicyClass | null {
  return policy.classes.find((candidate) => candidate.ecosystem === ecosystem && candidate.packages.some((glob) => globMatches(glob, name))) ?? null;
}
