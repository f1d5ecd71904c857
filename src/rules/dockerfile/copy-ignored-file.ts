// Why: `.dockerignore` removes paths from the build context before the Dockerfile runs, so a COPY
// or ADD of an excluded path fails with "not found" (or, for a glob, "no source files"). BuildKit
// check CopyIgnoredFile (https://docs.docker.com/reference/build-checks/copy-ignored-file/).
// BuildKit goes silent as soon as the ignore file has a `!` exception (moby/buildkit #7125);
// review has the repository's files, so it checks the outcome instead: a folder counts as excluded
// only when it is excluded itself and no file below it is re-included.
import { buildInputs } from '../../parse/dockerfile.js';
import { isUnderSkipped, type DockerignoreFile, type Repo } from '../../repo/repo.js';
import { contextSourcePath, filesUnder, globMatches, isGlob, localContext, relativeToContext } from '../lib/build-context.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const copyIgnoredFile = defineRule({
  id: 'dockerfile/copy-ignored-file',
  meta: {
    title: 'COPY or ADD of a path excluded by .dockerignore',
    severity: 'error',
    rationale:
      'Base-image repositories keep large trees out of the build context with .dockerignore (model weights, wheels, build output, .git) so that `docker build` does not upload gigabytes. When a COPY then names one of those paths, the path is simply not in the context and the build fails with "not found", often only in CI, where nobody has the file lying around locally or where a different ignore file applies.',
    remediation: 'Remove the pattern from .dockerignore, add a `!path` exception for the file the image needs, or stop copying it.',
    buildkitCheck: 'CopyIgnoredFile',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const ignore = ctx.entry.dockerignore;
      if (!ignore || !localContext(ctx.repo, ctx.entry)) {
        return;
      }
      const context = ctx.entry.context;
      for (const input of buildInputs(dockerfile)) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.path)) {
          continue;
        }
        const path = contextSourcePath(context, input.path);
        if (path === null || path === context || isUnderSkipped(ctx.repo, path)) {
          continue;
        }
        const keyword = input.instruction.kind === 'run' ? 'RUN --mount' : input.instruction.keyword;
        if (isGlob(input.path)) {
          const parents = input.instruction.flags.some((flag) => flag.name === 'parents');
          const matches = globMatches(ctx.repo, path, { parents });
          if (matches.length === 0 || matches.some((match) => !excluded(ctx.repo, ignore, context, match))) {
            continue;
          }
          ctx.report({
            at: input.range,
            message: `every path ${keyword} source ${quote(input.path)} matches is excluded by ${quote(ignore.path)}, so the build fails with "no source files"`,
            related: [{ file: ignore.path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, message: 'the .dockerignore of this build context' }],
          });
          continue;
        }
        if (!excluded(ctx.repo, ignore, context, path)) {
          continue;
        }
        ctx.report({
          at: input.range,
          message: `${keyword} source ${quote(input.path)} is excluded by ${quote(ignore.path)}, so it is not in the build context and the build fails with "not found"`,
          related: [{ file: ignore.path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, message: 'the .dockerignore of this build context' }],
        });
      }
    },
  },
});

/** True when the path is left out of the context: excluded itself, with no file below it re-included. */
function excluded(repo: Repo, ignore: DockerignoreFile, context: string, path: string): boolean {
  if (!ignore.ignores(relativeToContext(context, path))) {
    return false;
  }
  if (!repo.directories.has(path)) {
    return true;
  }
  return filesUnder(repo, path).every((file) => ignore.ignores(relativeToContext(context, file)));
}
