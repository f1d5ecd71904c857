// Why: wheels are built per CPython minor (cp313, cp314). A pin with no wheel for the image's Python
// makes pip fall back to a source build (torch, onnxruntime-openvino have none that builds in a base
// image) or to an older release that has one, so the image either fails late or silently differs
// from the pin. Python ranges per release come from src/knowledge/compat.json (pytorch RELEASE.md,
// the onnxruntime-openvino readme, ONNX Runtime release notes; research/ml-stack-facts.md R-PY-1,
// R-PY-ORT).
import { familyPython, minorLine, pinnedDependencies, pythonInRange, pythonRangeOf } from '../lib/compat.js';
import { familyDependencies } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

export const pythonUnsupportedByPackage = defineRule({
  id: 'compat/python-unsupported-by-package',
  meta: {
    title: 'Package release without wheels for the image\'s Python',
    severity: 'error',
    rationale:
      'Binary packages publish wheels for a range of CPython minors only: torch 2.9-2.12 for 3.10-3.14, onnxruntime-openvino 1.24.1 for 3.11-3.13, ONNX Runtime from 1.24 for 3.11 and later. When the image builds or selects a CPython outside that range, `pip install` fails on a missing wheel or falls back to a source build, and a Python upgrade that looks harmless breaks the ML stack. The image\'s Python is read from the CPython source build or the official python base image.',
    remediation: 'Keep the image\'s CPython inside the range of every pinned binary package, or move the package to a release that supports that Python (the message names the supported range and where the fact comes from).',
  },
  hooks: {
    family(family, ctx) {
      const deps = familyDependencies(ctx.repo, family.name);
      const python = deps ? familyPython(deps) : undefined;
      if (!deps || !python?.version) {
        return;
      }
      const line = minorLine(python.version);
      const names = new Set(deps.dependencies.filter((dependency) => dependency.ecosystem === 'pypi').map((dependency) => dependency.name));
      for (const name of [...names].sort()) {
        for (const dependency of pinnedDependencies(deps, name)) {
          const support = pythonRangeOf(ctx.knowledge, name, dependency.version ?? '');
          if (!support || pythonInRange(line, support.range)) {
            continue;
          }
          ctx.report({
            file: dependency.versionAt.file,
            at: dependency.versionAt.range,
            message: `${name} ${dependency.version} has wheels for Python ${support.range.min}-${support.range.max}, but the image runs Python ${python.version}; pick a release that supports ${line} or change the Python version (checked ${support.checked}, ${support.source})`,
            related: [{ file: python.versionAt.file, range: python.versionAt.range, message: `Python ${python.version} is set here` }],
          });
        }
      }
    },
  },
});
