// Why: a pinned version with a published advisory ships the vulnerability in every image built from
// it until someone moves the pin, and base images live for months. This rule reads the advisories
// baseimg's knowledge lists (cryptography, FFmpeg, openh264, ... with source and checked date); a
// full scan of the built image is the job of `baseimg cve` with Trivy/Grype/pip-audit reports.
import { advisoriesFor, worstAdvisory } from '../lib/compat.js';
import { dependencyInventory } from '../../repo/dependencies.js';
import { defineRule } from '../rule.js';

export const knownAdvisory = defineRule({
  id: 'compat/known-advisory',
  meta: {
    title: 'Pinned version affected by a known advisory',
    severity: 'error',
    rationale:
      'Some pins in base images are security-relevant by themselves: cryptography bundles OpenSSL, FFmpeg and codec libraries parse untrusted media. A version inside a published advisory\'s affected range keeps that vulnerability in the image and in every image built on it. The advisories come from baseimg\'s knowledge with their source and the date they were checked; critical and high severities are errors, the others warnings.',
    remediation: 'Move the pin to the fixed release named in the message (or later), rebuild and run the image tests; when the upgrade has breaking changes, record the accepted risk with a suppression and its reason.',
  },
  hooks: {
    repo(repo, ctx) {
      const seen = new Set<string>();
      for (const family of dependencyInventory(repo).families) {
        for (const dependency of family.dependencies) {
          if (dependency.version === null) {
            continue;
          }
          const key = `${dependency.versionAt.file}:${dependency.versionAt.range.start.line}:${dependency.name}:${dependency.version}`;
          if (seen.has(key)) {
            continue;
          }
          seen.add(key);
          const advisories = advisoriesFor(ctx.knowledge, dependency.ecosystem, dependency.name, dependency.version);
          if (advisories.length === 0) {
            continue;
          }
          const worst = worstAdvisory(advisories);
          const fixed = advisories.map((advisory) => advisory.fixed).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop() ?? '';
          const ids = advisories.map((advisory) => `${advisory.id} (${advisory.severity}, fixed in ${advisory.fixed})`).join(', ');
          const checked = advisories.map((advisory) => advisory.checked).sort().at(-1) ?? '';
          ctx.report({
            file: dependency.versionAt.file,
            at: dependency.versionAt.range,
            ...(worst === 'critical' || worst === 'high' ? {} : { severity: 'warning' as const }),
            message: `${dependency.name} ${dependency.version} is affected by ${advisories.length} known advisor${advisories.length === 1 ? 'y' : 'ies'}: ${ids}; move to ${fixed} or later (checked ${checked})`,
          });
        }
      }
    },
  },
});
