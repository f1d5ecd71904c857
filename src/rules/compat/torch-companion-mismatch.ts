// Why: torchvision and torchaudio ship compiled operators built against one torch release; pip
// does not stop a mismatched pair when the versions come from separate ARGs or installs, and the
// image then fails at `import torchvision` ("operator torchvision::nms does not exist") or later,
// inside a model. Pairs come from pytorch RELEASE.md (src/knowledge/compat.json); releases the table
// does not list are judged by the general rules: torchvision 0.(minor+15), torchaudio equal to torch
// up to 2.10 and 2.11.0 from then on (research/ml-stack-facts.md R-TV-1, R-TA-1).
import { companionMatches, expectedTorchaudio, expectedTorchvision, pinnedDependencies } from '../lib/compat.js';
import { familyDependencies } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

export const torchCompanionMismatch = defineRule({
  id: 'compat/torch-companion-mismatch',
  meta: {
    title: 'torchvision or torchaudio pinned to a release of another torch',
    severity: 'error',
    rationale:
      'torchvision and torchaudio wheels contain C++/CUDA operators compiled against one torch release and declare it with an exact pin. When an image installs them from separately set versions (build ARGs, two pip commands, `--no-deps`), pip can leave a pair that imports but fails on the first operator call, or resolves a different torch than the one the image was tested with. torchaudio is frozen at 2.11.0 for every torch from 2.11 on. The table of pairs cites pytorch\'s RELEASE.md with the date it was checked; a torch release newer than the table is judged by the published rule and reported as a warning when it cannot be decided.',
    remediation: 'Pin the companion listed for the torch release (e.g. torch 2.9.1 with torchvision 0.24.1 and torchaudio 2.9.1; torch 2.12.0 with torchvision 0.27.0 and torchaudio 2.11.0), and change all three together.',
  },
  hooks: {
    family(family, ctx) {
      const deps = familyDependencies(ctx.repo, family.name);
      if (!deps) {
        return;
      }
      for (const torch of pinnedDependencies(deps, 'torch')) {
        const version = torch.version ?? '';
        for (const [name, expect] of [['torchvision', expectedTorchvision], ['torchaudio', expectedTorchaudio]] as const) {
          const expectation = expect(ctx.knowledge, version);
          for (const companion of pinnedDependencies(deps, name)) {
            if (!expectation) {
              ctx.report({
                file: companion.versionAt.file,
                at: companion.versionAt.range,
                severity: 'warning',
                message: `${name} ${companion.version} with torch ${version}: this combination is unknown to baseimg's knowledge (checked ${ctx.knowledge.compat.torchRules.checked}); check ${ctx.knowledge.compat.torchRules.source}`,
              });
              continue;
            }
            if (companionMatches(companion.version ?? '', expectation)) {
              continue;
            }
            const basis = expectation.basis === 'table' ? 'the release table' : 'the general pairing rule for releases newer than the table';
            ctx.report({
              file: companion.versionAt.file,
              at: companion.versionAt.range,
              message: `${name} ${quoteVersion(companion.version)} does not match torch ${quoteVersion(version)}; torch ${version} pairs with ${name} ${expectation.expected} according to ${basis} (checked ${expectation.checked}, ${expectation.source})`,
              related: [{ file: torch.versionAt.file, range: torch.versionAt.range, message: `torch ${version} is set here` }],
            });
          }
        }
      }
    },
  },
});

function quoteVersion(version: string | null): string {
  return `"${version ?? ''}"`;
}
