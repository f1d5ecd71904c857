/**
 * Which repository file sits at a path inside the image: `COPY base/requirements.txt /tmp/r.txt`
 * followed by `RUN pip install -r /tmp/r.txt` reads base/requirements.txt. Rules that follow a RUN
 * into the files it reads (requirements installed by pip, scripts it runs) ask this.
 */
import { posix } from 'node:path';
import type { DockerInstruction, RunInstruction, Stage } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';
import type { DockerfileEntry, Repo } from '../../repo/repo.js';
import { contextSourcePath } from './build-context.js';
import { instructionsBefore } from './stage-history.js';

/** The WORKDIR in effect before `instruction` ('/' when none was set). */
export function workdirBefore(stage: Stage, instruction: DockerInstruction): string {
  let workdir = '/';
  for (const earlier of instructionsBefore(stage, instruction)) {
    if (earlier.keyword !== 'WORKDIR') {
      continue;
    }
    const value = expand(earlier.argsText.trim(), earlier.scope).value;
    workdir = posix.resolve(workdir, value);
  }
  return workdir;
}

/**
 * The repository path of the file a RUN sees at `imagePath`, or null when no COPY/ADD from the
 * build context (or bind mount of the context) put a known file there. Later COPYs win, as they
 * overwrite earlier ones; `COPY --from` and remote ADD sources are not followed.
 */
export function contextFileAt(repo: Repo, entry: DockerfileEntry, stage: Stage, run: RunInstruction, imagePath: string): string | null {
  if (imagePath.includes('$')) {
    return null;
  }
  const target = posix.resolve(workdirBefore(stage, run), imagePath);
  const context = entry.context;

  for (const mount of run.mounts) {
    if (mount.type !== 'bind' || mount.from !== null || mount.target === null) {
      continue;
    }
    const mountTarget = posix.resolve(workdirBefore(stage, run), mount.target);
    const found = mapInto(repo, contextSourcePath(context, mount.source ?? '.'), mountTarget, target, false);
    if (found) {
      return found;
    }
  }

  const earlier = instructionsBefore(stage, run);
  for (let i = earlier.length - 1; i >= 0; i--) {
    const instruction = earlier[i];
    if (!instruction || (instruction.kind !== 'copy' && instruction.kind !== 'add') || instruction.from !== null || !instruction.destination) {
      continue;
    }
    const destinationText = instruction.destination.value;
    const destination = posix.resolve(workdirBefore(instruction.stage ?? stage, instruction), destinationText);
    // A destination ending in `/` (or `.`), or several sources, is a folder the sources land in.
    const folderLike = destinationText.endsWith('/') || destinationText === '.' || instruction.sources.length > 1;
    for (const source of instruction.sources) {
      const found = mapInto(repo, contextSourcePath(context, source.value), destination, target, folderLike);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

/** Where `target` comes from when `source` (a repository path) is copied to `destination`. */
function mapInto(repo: Repo, source: string | null, destination: string, target: string, folderLike: boolean): string | null {
  if (source === null || /[*?[]/.test(source)) {
    return null;
  }
  if (repo.files.has(source)) {
    const landed = folderLike ? posix.join(destination, posix.basename(source)) : destination;
    return landed === target ? source : null;
  }
  if (repo.directories.has(source) && target.startsWith(`${destination === '/' ? '' : destination}/`)) {
    const inner = target.slice(destination === '/' ? 1 : destination.length + 1);
    const candidate = source === '' ? inner : `${source}/${inner}`;
    return repo.files.has(candidate) ? candidate : null;
  }
  return null;
}
