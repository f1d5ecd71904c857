// Why: PLAN.md C4 "ensure both paths produce equivalent tags": the tags an image ends up with
// (built and retagged) are its public contract; CI pushing `<tag>-<sha>` while the script pushes
// `<tag>-<date>` means consumers pinning one scheme miss hand-run releases.
import { isKnown, type BuildPlan, type PlanSite } from '../../repo/build-plan.js';
import { quote } from '../lib/helpers.js';
import { planPairs, reportDifference, sideName } from '../lib/parity.js';
import { defineRule } from '../rule.js';

/** Every tag a plan leaves in the registry (built and retagged), as templates; null when one is unknown. */
function finalTags(plan: BuildPlan): Map<string, PlanSite> | null {
  const tags = new Map<string, PlanSite>();
  for (const tag of plan.tags) {
    if (!isKnown(tag)) {
      return null;
    }
    tags.set(tag.value, tag.at);
  }
  for (const retag of plan.retags) {
    for (const target of retag.targets) {
      if (!isKnown(target)) {
        return null;
      }
      if (!tags.has(target.value)) {
        tags.set(target.value, target.at);
      }
    }
  }
  return tags;
}

export const ciScriptTagsDiffer = defineRule({
  id: 'parity/ci-script-tags-differ',
  meta: {
    title: 'CI and the build script produce different tags',
    severity: 'warning',
    rationale:
      'Downstream images pin base images by tag. When CI and the hand-run script produce different tag sets (another repository, a `-<commit>` tag only in CI, a `-<date>` tag only in the script), a release made by hand is missing tags consumers rely on, or adds tags CI never makes. Tags are compared after retags, with the parts known only at run time named by kind (`<commit>`, `<date>`).',
    remediation: 'Produce the same tags on both sides: same repository, same moving tag, same suffix scheme (for example `<tag>-<commit>` then a retag to `<tag>` and `<tag>-<date>`).',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        const ci = finalTags(pair.ci);
        const script = finalTags(pair.script);
        if (!ci || !script || ci.size === 0 || script.size === 0) {
          continue;
        }
        for (const [tag, at] of ci) {
          if (!script.has(tag)) {
            reportDifference(ctx, {
              ciAt: at,
              scriptAt: pair.script.at,
              ci: `tag ${quote(tag)} is produced by CI but not by ${pair.script.file}; expected the same tags in both`,
              script: `tag ${quote(tag)} is not produced here but ${sideName(pair.ci)} produces it; expected the same tags in both`,
            });
          }
        }
        for (const [tag, at] of script) {
          if (!ci.has(tag)) {
            reportDifference(ctx, {
              ciAt: pair.ci.at,
              scriptAt: at,
              ci: `tag ${quote(tag)} is not produced here but ${pair.script.file} produces it; expected the same tags in both`,
              script: `tag ${quote(tag)} is produced here but not by ${sideName(pair.ci)}; expected the same tags in both`,
            });
          }
        }
      }
    },
  },
});
