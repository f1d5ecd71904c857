// Why: `apt-get update` writes the package lists to /var/lib/apt/lists; unless the same RUN deletes
// them they are committed with the layer and ship in the image (Docker docs, "Building best
// practices > apt-get"; hadolint DL3009). Only `apt-get update` writes lists, so a RUN that only
// installs has nothing to clean: the RUN that ran the update is the one that must remove them.
//
// Pairing: when the build goes through BuildKit, cache/install-without-cache-mount advises a cache
// mount for the same RUN instead, so this rule stays silent then (one RUN never gets both pieces
// of advice). Lists in builder stages never reach the final image, so only stages that ship count.
import { aptSubcommand, isAptUpdate } from '../../parse/shell-query.js';
import { removesAptLists } from '../lib/apt.js';
import { buildKitInUse, hasCacheMount } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const aptListsNotCleaned = defineRule({
  id: 'dockerfile/apt-lists-not-cleaned',
  meta: {
    title: 'apt-get update lists left in the layer',
    severity: 'warning',
    rationale:
      'apt-get update downloads the package indexes of every configured repository into /var/lib/apt/lists. On an Ubuntu or Debian base with the CUDA or NVIDIA machine-learning repositories added that is tens of megabytes, committed with the layer and shipped in every image built from it, yet useless at run time and stale the day after the build. Deleting them in a later RUN does not help: the layer that wrote them keeps them. `apt-get clean` does not remove them either; it only empties /var/cache/apt/archives.',
    remediation:
      'End the RUN that runs apt-get update with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get distclean` on apt 2.7 and later), or build with BuildKit and mount a cache on /var/lib/apt and /var/cache/apt.',
    hadolint: ['DL3009'],
  },
  hooks: {
    runCommand(call, ctx) {
      if (!isAptUpdate(call) || !ctx.stage.shipsInFinal) {
        return;
      }
      // One finding per RUN, on its last update: only a removal after that one helps.
      const updates = ctx.calls.filter(isAptUpdate);
      if (updates[updates.length - 1] !== call) {
        return;
      }
      if (buildKitInUse(ctx.dockerfile, ctx.entry) || hasCacheMount(ctx.run, 'apt')) {
        return;
      }
      const later = ctx.calls.filter((other) => other.command.index > call.command.index);
      if (later.some(removesAptLists)) {
        return;
      }
      const cleans = later.some((other) => aptSubcommand(other) === 'clean');
      ctx.report({
        at: call.command.range,
        message: `apt-get update in stage "${ctx.stage.label}" leaves /var/lib/apt/lists/* in the layer${cleans ? ' (apt-get clean does not remove them)' : ''}; add rm -rf /var/lib/apt/lists/* at the end of this RUN`,
      });
    },
  },
});
