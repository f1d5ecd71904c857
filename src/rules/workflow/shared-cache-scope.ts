// Why: a BuildKit cache export replaces what is stored under its key. Two images writing the same
// gha scope (or the same registry cache ref) overwrite each other on every run, so each build finds
// the other image's layers and rebuilds from scratch; with no `scope=` every gha export goes to the
// default scope `buildkit` ("each build will overwrite the cache of the previous, leaving only the
// final cache", docs.docker.com/build/cache/backends/gha/; research/anchors-actions-buildx.md rule B3).
// The check spans all workflows: separate workflow files share one repository cache.
import type { RelatedLocation } from '../finding.js';
import { workflowImageBuilds } from '../../repo/workflow-builds.js';
import { buildCache, imageKey, imageName, type CacheEntry } from '../lib/build-cache.js';
import { quote } from '../lib/helpers.js';
import { cacheLocation } from '../lib/workflow-steps.js';
import { defineRule } from '../rule.js';

interface Writer {
  file: string;
  image: string;
  key: string;
  entry: CacheEntry;
}

export const sharedCacheScope = defineRule({
  id: 'workflow/shared-cache-scope',
  meta: {
    title: 'Several images write the same build cache scope',
    severity: 'warning',
    rationale:
      'A cache export replaces the cache stored under its scope or ref. When two images (different Dockerfiles or targets) export to the same gha scope or registry cache ref, including the default gha scope `buildkit` when no scope is set, each run overwrites the other image\'s cache and the next build of the other image starts cold. The two base images then never get a warm build, although both workflows configure a cache.',
    remediation:
      'Give every image its own cache: `scope=<image>` on each `type=gha` cache-from/cache-to pair (and per platform in a platform matrix), or a distinct `ref=<repo>:buildcache-<image>` for registry caches. Reading another image\'s cache (`cache-from`) is fine; only writes must not collide.',
  },
  hooks: {
    repo(repo, ctx) {
      const byLocation = new Map<string, Writer[]>();
      for (const workflow of repo.workflows) {
        if (workflow.disabled && !ctx.repo.workflows.every((other) => other.disabled)) {
          // A paused copy of an active workflow would double every writer; review the paused ones
          // only when nothing is active (the plan-shaped repositories keep all of them paused).
          continue;
        }
        for (const build of workflowImageBuilds(workflow.model, repo)) {
          const key = imageKey(build);
          if (key === null) {
            continue;
          }
          for (const entry of buildCache(repo, workflow.model, build).to) {
            if (entry.spec.type === 'inline') {
              continue;
            }
            const location = cacheLocation(entry.spec);
            if (location === null) {
              continue;
            }
            const writers = byLocation.get(location) ?? [];
            writers.push({ file: workflow.path, image: imageName(repo, build), key, entry });
            byLocation.set(location, writers);
          }
        }
      }
      for (const [location, writers] of byLocation) {
        const images = [...new Set(writers.map((writer) => writer.key))];
        if (images.length < 2) {
          continue;
        }
        const scope = location.startsWith('gha:') ? `gha scope ${quote(location.slice(4))}${location === 'gha:buildkit' && !writers.some((writer) => writer.entry.spec.attributes.has('scope')) ? ' (the default, no scope= set)' : ''}` : `cache ${quote(location.replace(/^[a-z0-9]+:/, ''))}`;
        for (const writer of writers) {
          const others = writers.filter((other) => other.key !== writer.key);
          const related: RelatedLocation[] = others.map((other) => ({ file: other.file, range: other.entry.range, message: `image "${other.image}" writes the same cache here` }));
          const otherNames = [...new Set(others.map((other) => `"${other.image}"`))];
          const names = otherNames.join(', ');
          const many = otherNames.length > 1;
          ctx.report({
            file: writer.file,
            at: writer.entry.range,
            message: `cache export of image "${writer.image}" writes ${scope}, which image${many ? 's' : ''} ${names} also write${many ? '' : 's'}, so each build overwrites the other's cache; give each image its own ${location.startsWith('gha:') ? `scope (scope=${writer.image})` : 'cache ref'}`,
            related,
          });
        }
      }
    },
  },
});
