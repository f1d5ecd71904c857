// Why: a pin far behind upstream is where security backlogs and painful multi-version upgrades
// start; base images are rebuilt rarely, so the distance grows unseen. For projects with maintained
// release lines (FFmpeg 6.1/7.1/8.1, CPython 3.13/3.14, Node.js LTS lines) the pin is judged against
// the newest release of its own line first, so staying on a maintained line is not noise. Newest
// releases come from src/knowledge/compat.json with the date they were checked. Companions that
// must follow another pin (torchvision/torchaudio after torch, openvino after the onnxruntime-openvino
// bundle, TensorRT libs and bindings after the tensorrt-cuXX frontend) are not reported while they
// match it: the lead pin is the one to move.
import { followsLead, freshness } from '../lib/compat.js';
import { dependencyInventory } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

export const outdatedVersion = defineRule({
  id: 'compat/outdated-version',
  meta: {
    title: 'Pinned version behind the newest known release',
    severity: 'info',
    rationale:
      'Knowing how far each pin is behind turns upgrades into planned work: a few patch releases of FFmpeg or CPython are usually security fixes that cost nothing to take, while several minor releases of torch or a major of TensorRT need a test run. The newest releases are baseimg\'s knowledge as of its checked date, so the finding says how far behind the pin is and as of when.',
    remediation: 'Move the pin to the version named in the message when the image tests pass with it, or accept the distance; `baseimg matrix` shows the whole picture per family.',
  },
  hooks: {
    repo(repo, ctx) {
      const seen = new Set<string>();
      for (const family of dependencyInventory(repo).families) {
        for (const dependency of family.dependencies) {
          if (dependency.version === null || dependency.via === 'constraints' || followsLead(family, dependency, ctx.knowledge)) {
            continue;
          }
          const key = `${dependency.versionAt.file}:${dependency.versionAt.range.start.line}:${dependency.name}`;
          if (seen.has(key)) {
            continue;
          }
          seen.add(key);
          const fresh = freshness(ctx.knowledge, dependency.ecosystem, dependency.name, dependency.version);
          if (!fresh?.behind) {
            continue;
          }
          const where = fresh.lineLatest
            ? `${fresh.target}, the newest ${fresh.lineLatest.line} release${fresh.fact.version !== fresh.target ? ` (newest overall ${fresh.fact.version})` : ''}`
            : `${fresh.target}, the newest release`;
          ctx.report({
            file: dependency.versionAt.file,
            at: dependency.versionAt.range,
            message: `${dependency.name} ${dependency.version} is ${fresh.distance} behind ${where} as of ${fresh.fact.checked}; see ${fresh.fact.source}`,
          });
        }
      }
    },
  },
});

