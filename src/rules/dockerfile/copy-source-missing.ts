// Why: a COPY/ADD source (or a RUN --mount=type=bind source) that is not in the build context
// fails the build with "not found"; a glob that matches nothing fails with "no source files were
// specified" (https://docs.docker.com/reference/dockerfile/#copy). Review knows the repository's
// files and the context each Dockerfile is built from (repo/families.ts), so it can say so before
// a runner spends minutes pulling CUDA layers. Paths left out by .dockerignore are
// dockerfile/copy-ignored-file's finding; paths under folders review did not walk are not judged.
import { posix } from 'node:path';
import { buildInputs } from '../../parse/dockerfile.js';
import { isUnderSkipped, type Repo } from '../../repo/repo.js';
import { contextSourcePath, globBase, globMatches, isGlob, localContext, relativeToContext } from '../lib/build-context.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const copySourceMissing = defineRule({
  id: 'dockerfile/copy-source-missing',
  meta: {
    title: 'COPY or ADD source not in the build context',
    severity: 'error',
    rationale:
      'COPY and ADD read from the build context only. A source that the repository does not hold, because it was renamed, lives outside the context folder, or is produced by a step that CI does not run, stops the build with "not found" after the base layers have been pulled; for a multi-gigabyte CUDA or PyTorch base that is a slow and expensive way to find a typo.',
    remediation: 'Fix the path (sources are relative to the build context, not to the Dockerfile), build from the folder that holds the files, or create the file in a build step before `docker build` and say so in the workflow.',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const repo = ctx.repo;
      if (!localContext(repo, ctx.entry)) {
        return;
      }
      const context = ctx.entry.context;
      const ignore = ctx.entry.dockerignore;
      const where = context === '' ? 'the repository root' : quote(context);
      for (const input of buildInputs(dockerfile)) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.path)) {
          continue;
        }
        const path = contextSourcePath(context, input.path);
        if (path === null || path === context) {
          continue;
        }
        const keyword = input.instruction.kind === 'run' ? 'RUN --mount' : input.instruction.keyword;
        if (isGlob(input.path)) {
          const base = globBase(path);
          if (isUnderSkipped(repo, base) || (base !== '' && !repo.directories.has(base) && skippedBelow(repo, base))) {
            continue;
          }
          const parents = input.instruction.flags.some((flag) => flag.name === 'parents');
          if (globMatches(repo, path, { parents }).length > 0) {
            continue;
          }
          const creator = mentionedBy(repo, posix.basename(input.path));
          ctx.report({
            at: input.range,
            message: `${keyword} source ${quote(input.path)} matches nothing in the build context (${where}), so the build fails with "no source files were specified"${creator ? `; unless ${quote(creator)} creates it first` : ''}`,
            ...(creator ? { severity: 'warning' as const } : {}),
          });
          continue;
        }
        if (repo.files.has(path) || repo.directories.has(path) || isUnderSkipped(repo, path) || skippedBelow(repo, path)) {
          continue;
        }
        if (ignore?.ignores(relativeToContext(context, path))) {
          continue;
        }
        const creator = mentionedBy(repo, posix.basename(path));
        ctx.report({
          at: input.range,
          message: `${keyword} source ${quote(input.path)} is not in the build context (${where}), so the build fails with "not found"${creator ? `, unless ${quote(creator)} creates it first` : ''}`,
          ...(creator ? { severity: 'warning' as const } : {}),
        });
      }
    },
  },
});

/** True when a skipped folder lies along `path` (review did not see what is there). */
function skippedBelow(repo: Repo, path: string): boolean {
  return repo.skippedDirectories.some((directory) => directory.startsWith(`${path}/`) || path.startsWith(`${directory}/`));
}

/**
 * A build script or workflow that names the file, which may create it before `docker build`
 * (a wheel built in CI, a generated lock file): then the finding is a warning, not an error.
 */
function mentionedBy(repo: Repo, name: string): string | null {
  if (name.length < 5 || !/[.\-_]/.test(name) || /[*?[]/.test(name)) {
    return null;
  }
  for (const file of [...repo.scripts, ...repo.workflows]) {
    if (file.text.includes(name)) {
      return file.path;
    }
  }
  return null;
}
