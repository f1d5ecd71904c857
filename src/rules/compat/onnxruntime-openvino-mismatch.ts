// Why: onnxruntime-openvino wheels bundle their own OpenVINO runtime (1.23.0 bundles 2025.3, 1.24.1
// bundles 2025.4.1). A standalone `openvino` wheel of another release puts two OpenVINO builds in one
// process, and the OpenVINO execution provider then "fails open": sessions run on the CPU provider
// without an error. Several ONNX Runtime distributions in one environment overwrite each other's
// `onnxruntime` package. Facts: the intel/onnxruntime readme in src/knowledge/compat.json
// (research/ml-stack-facts.md R-OV-1, R-OV-2).
import { findDependency, openvinoBundle, openvinoMatches, pinnedDependencies } from '../lib/compat.js';
import { familyDependencies } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

const ORT_DISTRIBUTIONS = ['onnxruntime', 'onnxruntime-gpu', 'onnxruntime-openvino', 'onnxruntime-directml'];

export const onnxruntimeOpenvinoMismatch = defineRule({
  id: 'compat/onnxruntime-openvino-mismatch',
  meta: {
    title: 'OpenVINO or ONNX Runtime distribution that does not match onnxruntime-openvino',
    severity: 'error',
    rationale:
      'onnxruntime-openvino ships the OpenVINO runtime it was built with. Installing a standalone `openvino` wheel of another release beside it loads two OpenVINO builds; the OpenVINO execution provider then silently falls back to the CPU provider, so a CPU image that should use the iGPU or NPU runs slower with no error. Installing `onnxruntime` or `onnxruntime-gpu` in the same environment overwrites the same `onnxruntime` package, so whichever pip installs last wins.',
    remediation: 'Pin `openvino` to the release the onnxruntime-openvino wheel bundles (1.23.0: 2025.3.x; 1.24.1: 2025.4.1), or drop the standalone wheel; keep exactly one of onnxruntime, onnxruntime-gpu and onnxruntime-openvino per image.',
  },
  hooks: {
    family(family, ctx) {
      const deps = familyDependencies(ctx.repo, family.name);
      if (!deps) {
        return;
      }
      const ortOpenvino = findDependency(deps, 'onnxruntime-openvino');
      if (!ortOpenvino) {
        return;
      }
      for (const other of ORT_DISTRIBUTIONS.filter((name) => name !== 'onnxruntime-openvino')) {
        const clash = findDependency(deps, other);
        if (clash) {
          ctx.report({
            file: clash.file,
            at: clash.range,
            message: `"${other}" and "onnxruntime-openvino" both install the onnxruntime package, so the one pip installs last replaces the other; keep only onnxruntime-openvino`,
            related: [{ file: ortOpenvino.file, range: ortOpenvino.range, message: 'onnxruntime-openvino is installed here' }],
          });
        }
      }
      for (const ort of pinnedDependencies(deps, 'onnxruntime-openvino')) {
        const bundle = openvinoBundle(ctx.knowledge, ort.version ?? '');
        for (const openvino of pinnedDependencies(deps, 'openvino')) {
          if (!bundle) {
            ctx.report({
              file: openvino.versionAt.file,
              at: openvino.versionAt.range,
              severity: 'warning',
              message: `the OpenVINO release bundled by onnxruntime-openvino ${ort.version} is unknown to baseimg's knowledge, so "openvino==${openvino.version}" cannot be checked against it; check ${ctx.knowledge.compat.openvinoBundles[0]?.source ?? 'the onnxruntime-openvino readme'}`,
            });
            continue;
          }
          if (openvinoMatches(openvino.version ?? '', bundle.openvino)) {
            continue;
          }
          ctx.report({
            file: openvino.versionAt.file,
            at: openvino.versionAt.range,
            message: `"openvino==${openvino.version}" does not match OpenVINO ${bundle.openvino} bundled by onnxruntime-openvino ${ort.version}, so the OpenVINO execution provider may silently fall back to CPU; pin openvino ${bundle.openvino} (checked ${bundle.checked}, ${bundle.source})`,
            related: [{ file: ort.versionAt.file, range: ort.versionAt.range, message: `onnxruntime-openvino ${ort.version} is set here` }],
          });
        }
      }
    },
  },
});
