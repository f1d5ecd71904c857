// Why: not every dependency needs the same pin. ML-stack wheels (torch, TensorRT, ONNX Runtime,
// OpenVINO, nvidia-*) and security-sensitive packages (cryptography, requests, certifi, web3, ...)
// must be exact, or the image's CUDA/driver/ABI set and its advisory exposure change under it; apt
// packages that load into the same process as a PyPI package (libnvinfer* with tensorrt*) must carry
// the same upstream version. The policy is data: built-in classes plus `pinPolicy` in the config
// (docs/dependencies.md). Division of labour, so one problem is reported once:
// - deps/unpinned-requirement: requirements lines of packages no class governs ("utilities");
// - dockerfile/pip-unpinned-install: unpinned or ranged `pip install` words in RUN;
// - compat/tensorrt-apt-unpinned-against-bindings: unpinned TensorRT apt packages beside pinned bindings;
// - this rule: requirements lines of governed packages, RUN pins looser than their class allows
//   (`==2.*`, `~=`), configured apt/source classes, and pairs pinned to different versions.
import type { Dependency } from '../../repo/dependencies.js';
import { dependencyInventory } from '../../repo/dependencies.js';
import { quote } from '../lib/helpers.js';
import { classOf, globMatches, pinPolicy, type PolicyClass } from '../lib/pin-policy.js';
import { defineRule, type RuleContext } from '../rule.js';

export const pinPolicyViolation = defineRule({
  id: 'deps/pin-policy-violation',
  meta: {
    title: 'Dependency pinned more loosely than its pin-policy class requires',
    severity: 'warning',
    rationale:
      'A base image\'s riskiest dependencies are the ones whose version decides compatibility or security: the ML stack (torch and its CUDA wheels, TensorRT, ONNX Runtime, OpenVINO) fixes the driver floor and ABI, and cryptography, requests, certifi or web3 decide which advisories apply. Those need exact pins, changed deliberately and tested; utilities may float inside a range when a constraints file pins the resolved set. apt packages that load into the same process as a pip package (libnvinfer* with the tensorrt bindings) must be pinned to the same upstream version. The classes are configurable, so a team can tighten or relax them in one place.',
    remediation: 'Pin the dependency as its class requires: `name==version` for exact classes, or a range plus an exact pin in a `-c constraints.txt`; for pairs, pin the apt packages to the PyPI version (`libnvinfer10=10.14.1.48-1+cuda12.9`). Change the policy under `pinPolicy` in the config (docs/dependencies.md).',
  },
  hooks: {
    repo(repo, ctx) {
      const policy = pinPolicy(repo.config);
      const seen = new Set<string>();
      for (const family of dependencyInventory(repo).families) {
        for (const dependency of family.dependencies) {
          const key = `${dependency.file}:${dependency.range.start.line}:${dependency.range.start.column}:${dependency.name}`;
          if (seen.has(key)) {
            continue;
          }
          seen.add(key);
          const governing = classOf(policy, dependency.ecosystem, dependency.name);
          if (governing) {
            checkClass(dependency, governing, ctx);
          }
        }
        for (const pair of policy.pairs) {
          checkPair(family.dependencies, pair, ctx, seen);
        }
      }
    },
  },
});

function describe(dependency: Dependency): string {
  return dependency.pin === 'unpinned' ? 'is not pinned' : dependency.pin === 'range' ? `is a range (${quote(dependency.specifier)})` : 'is a direct URL';
}

function checkClass(dependency: Dependency, governing: PolicyClass, ctx: RuleContext): void {
  if (governing.require === 'any' || dependency.pin === 'exact' || dependency.pin === 'reference' || dependency.via === 'constraints') {
    return;
  }
  if (governing.require === 'range-with-constraints' && dependency.pin === 'range' && dependency.constrainedBy) {
    return;
  }
  // Unpinned or plainly ranged pip words in RUN are dockerfile/pip-unpinned-install's; only the
  // loose forms it accepts as pins (`==2.*`, `~=2.1`) are reported here.
  if (dependency.ecosystem === 'pypi' && (dependency.via === 'run' || dependency.via === 'script') && !/^(~=|==[^,]*\*)/.test(dependency.specifier)) {
    return;
  }
  const expected = governing.require === 'exact'
    ? `an exact pin (e.g. "${dependency.name}${dependency.ecosystem === 'apt' ? '=' : '=='}<version>")`
    : `an exact pin, or a range that a -c constraints file pins exactly`;
  const reason = governing.reason ? `; ${governing.reason}` : '';
  ctx.report({
    file: dependency.file,
    at: dependency.range,
    message: `${quote(dependency.written.replace(/\s*;.*$/s, ''))} ${describe(dependency)}, but the ${quote(governing.name)} pin-policy class requires ${expected}${reason}`,
  });
}

/** Upstream version of a pin: `10.14.1.48-1+cuda12.9` (apt) and `10.14.1.48.post1` (pip) are both `10.14.1.48`. */
function upstream(version: string): string {
  return version.replace(/^\d+:/, '').replace(/-[^-]*$/, '').replace(/\.post\d+$/, '');
}

function checkPair(dependencies: readonly Dependency[], pair: { apt: string; pypi: string }, ctx: RuleContext, seen: Set<string>): void {
  const pypi = dependencies.filter((dependency) => dependency.ecosystem === 'pypi' && globMatches(pair.pypi, dependency.name));
  const pinnedPypi = pypi.find((dependency) => dependency.version !== null);
  if (pypi.length === 0) {
    return;
  }
  for (const apt of dependencies.filter((dependency) => dependency.ecosystem === 'apt' && globMatches(pair.apt, dependency.name))) {
    const key = `pair:${apt.file}:${apt.range.start.line}:${apt.range.start.column}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    if (apt.version === null) {
      // Unpinned apt beside pinned bindings is compat/tensorrt-apt-unpinned-against-bindings's finding.
      if (!pinnedPypi) {
        ctx.report({
          file: apt.file,
          at: apt.range,
          message: `apt package ${quote(apt.name)} and pip package ${quote(pypi[0]?.name ?? pair.pypi)} must be pinned together, but neither is pinned; pin both to the same upstream version`,
        });
      }
      continue;
    }
    if (pinnedPypi?.version && upstream(apt.version) !== upstream(pinnedPypi.version)) {
      ctx.report({
        file: apt.file,
        at: apt.range,
        message: `apt pins ${quote(`${apt.name}=${apt.version}`)} but pip pins ${quote(`${pinnedPypi.name}==${pinnedPypi.version}`)}; the pair must carry the same upstream version (${upstream(pinnedPypi.version)})`,
        related: [{ file: pinnedPypi.versionAt.file, range: pinnedPypi.versionAt.range, message: `${pinnedPypi.name} ${pinnedPypi.version} is set here` }],
      });
    }
  }
}
