// Why: download.pytorch.org keeps one index per CUDA runtime (`/whl/cu128`, `/whl/cu130`, `/whl/cpu`)
// and each index carries a window of torch releases: cu128 ends at 2.11, cu130 starts at 2.9. A pin
// outside its channel's window does not resolve from that index, and pip then quietly takes the
// wheel from PyPI instead (since 2.11 a CUDA 13 build that needs driver >= 580), which is a different
// image than the one named. Facts: RELEASE.md and the release announcements in
// src/knowledge/compat.json (research/ml-stack-facts.md R-CH-1).
import { channelCarries, pinnedDependencies, torchChannel } from '../lib/compat.js';
import { familyDependencies } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

const TORCH_FAMILY = ['torch', 'torchvision', 'torchaudio'];

export const torchChannelMismatch = defineRule({
  id: 'compat/torch-channel-mismatch',
  meta: {
    title: 'torch pinned to a release its wheel channel does not carry',
    severity: 'error',
    rationale:
      'The PyTorch wheel index is split by CUDA runtime, and each channel is built for a window of releases only (cu128: 2.7 to 2.11; cu126: 2.6 to 2.14; cu130 from 2.9; cu132 from 2.12). A torch pin outside the window of the channel the Dockerfile names cannot come from that channel: with `--extra-index-url` pip silently installs the PyPI build instead, whose CUDA runtime (13.0 from torch 2.11) needs a newer host driver than the channel the image claims, so it fails on edge hosts with R535-R575 drivers. The finding names the channel\'s CUDA version and minimum driver.',
    remediation: 'Pick a channel that carries the pinned release (see the channel list in the message), or a torch release the channel carries; move torch, torchvision and torchaudio together, and use `--index-url` rather than `--extra-index-url` so PyPI cannot substitute another build.',
  },
  hooks: {
    family(family, ctx) {
      const deps = familyDependencies(ctx.repo, family.name);
      if (!deps) {
        return;
      }
      const channel = deps.dependencies.find((dependency) => TORCH_FAMILY.includes(dependency.name) && dependency.channel !== null)?.channel ?? null;
      if (channel === null) {
        return;
      }
      const fact = torchChannel(ctx.knowledge, channel);
      const runtime = fact?.cuda ? ` (CUDA ${fact.cuda}, driver >= ${fact.minDriver ?? '?'})` : '';
      for (const torch of pinnedDependencies(deps, 'torch')) {
        const version = torch.version ?? '';
        const verdict = channelCarries(ctx.knowledge, channel, version);
        if (verdict.carries === true) {
          continue;
        }
        ctx.report({
          file: torch.versionAt.file,
          at: torch.versionAt.range,
          ...(verdict.carries === null ? { severity: 'warning' as const } : {}),
          message: verdict.carries === false
            ? `torch ${version} is not built for the ${channel} channel${runtime}: ${verdict.detail} (checked ${verdict.checked}, ${verdict.source}); pick a carried channel or a release of ${channel}`
            : `whether the ${channel} channel carries torch ${version} is unknown to baseimg's knowledge (${verdict.detail}; checked ${verdict.checked}); check ${verdict.source}`,
        });
      }
    },
  },
});
