// Why: a requirements line without `==` installs whatever the index serves on the day of the build;
// a range only narrows that. For ML images the versions of numpy, opencv, onnxruntime and friends
// decide whether the image imports at all (pip docs, "Repeatable installs"; hadolint DL3013 says the
// same for pip in RUN). The pin classes live in src/rules/lib/pin-policy.ts. This rule governs the
// packages no pin-policy class names ("utilities"): a range is accepted when a -c constraints file
// pins the package exactly; classed packages (torch*, cryptography, ...) are deps/pin-policy-violation's.
import { dependencyInventory } from '../../repo/dependencies.js';
import { classOf, pinClass, pinPolicy, violatesPinPolicy } from '../lib/pin-policy.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const unpinnedRequirement = defineRule({
  id: 'deps/unpinned-requirement',
  meta: {
    title: 'Requirement without an exact version pin',
    severity: 'warning',
    rationale:
      'An unpinned or range-only requirement makes every image build resolve a new dependency set: numpy 2 replaces numpy 1 under a package compiled against it, opencv or onnxruntime moves to a CUDA or OpenVINO build the rest of the image does not match, and two builds of the same commit differ. Base images are built rarely and used for months, so the package set they ship should be the one that was reviewed and tested, and a change to it should be a diff in the repository.',
    remediation:
      'Pin each requirement with == to the version the image was tested with (e.g. `numpy==1.26.4`), or keep loose names or ranges and pin the resolved set in a constraints file included with `-c` (compiled with pip-compile or `uv pip compile`). Packages of a pin-policy class (ML stack, security-sensitive) are checked by deps/pin-policy-violation instead.',
  },
  hooks: {
    requirements(file, ctx) {
      const policy = pinPolicy(ctx.repo.config);
      const inventory = dependencyInventory(ctx.repo).families.flatMap((family) => family.dependencies).filter((dependency) => dependency.file === file.path);
      for (const requirement of file.model.requirements) {
        if (!violatesPinPolicy(requirement) || classOf(policy, 'pypi', requirement.normalizedName)) {
          continue;
        }
        const constrained = inventory.some((dependency) => dependency.range.start.line === requirement.line && dependency.constrainedBy !== null);
        if (constrained) {
          continue;
        }
        const written = requirement.marker ? requirement.text.replace(/\s*;.*$/, '') : requirement.text;
        const example = `${requirement.name}${requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : ''}==<version>`;
        const message = pinClass(requirement) === 'range'
          ? `${quote(written)} is a range, not a pin; pin one version with "==" (e.g. "${example}")`
          : `${quote(written)} is not pinned; pin the tested version with "==" (e.g. "${example}")`;
        ctx.report({ at: requirement.range, message });
      }
    },
  },
});
