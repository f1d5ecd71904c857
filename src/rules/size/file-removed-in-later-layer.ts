// Why: every RUN, COPY and ADD commits a layer, and a layer only records what changed. A file
// written by one layer and deleted by a later one is hidden by a whiteout but its bytes stay in
// the earlier layer and are pulled with the image (OCI image spec, "Image Layer Filesystem
// Changeset > Whiteouts"; Docker docs, "Building best practices > Minimize the number of
// layers"; dive counts them as wasted bytes). Only the stages that ship (the final stage and the
// stages it is built FROM) are walked: a builder stage's layers never reach the image.
//
// What counts as "created" is read from the parsed commands: curl -o / wget -O downloads, `>`
// redirects, `tar -x` and `unzip` (the archive's top directory when its name tells it), cp/mv
// targets, `git clone` directories, and COPY/ADD destinations. A later `rm` of the same path, of
// a directory above it, or of a glob that matches either (picomatch), is reported at the rm.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { CopyInstruction, DockerInstruction, RunInstruction } from '../../parse/dockerfile.js';
import { expand, type Scope } from '../../parse/expand.js';
import type { Range } from '../../parse/locations.js';
import type { ShellWord } from '../../parse/shell.js';
import { argsWithoutFlags, argValues, downloadOutput, downloadUrls, flagValue, hasFlag, invocations, type Invocation } from '../../parse/shell-query.js';
import type { DockerfileEntry, Repo } from '../../repo/repo.js';
import { quote } from '../lib/helpers.js';
import { stageLineage } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

/** A path an earlier instruction put in its layer. */
interface Creation {
  path: string;
  /** True when the whole subtree under `path` came from this instruction (a clone, an unpacked archive). */
  tree: boolean;
  at: Range;
  /** `RUN at line 7`, `COPY at line 9`. */
  by: string;
}

const ARCHIVE_SUFFIX = /\.(tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?|tar\.zst|tzst|tar|zip)$/;

export const fileRemovedInLaterLayer = defineRule({
  id: 'size/file-removed-in-later-layer',
  meta: {
    title: 'File removed in a later layer than the one that created it',
    severity: 'warning',
    rationale:
      'Deleting a file in a later RUN hides it from the final filesystem but not from the image: the layer that wrote it still holds every byte and every pull downloads it. For base images this is how a 300 MB CUDA installer, an FFmpeg source tree or a model archive "removed" two instructions later still costs its full size on every node that pulls the image. Only a deletion in the same RUN as the download or build keeps the bytes out.',
    remediation:
      'Download, use and delete the file in one RUN (`curl -o /tmp/x.tgz ... && tar -xzf /tmp/x.tgz ... && rm /tmp/x.tgz`), do the work in a build stage and COPY only the result, or keep scratch data out of layers with `RUN --mount=type=cache` / `--mount=type=tmpfs` / `--mount=type=bind`.',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const final = dockerfile.stages.find((stage) => stage.isFinal);
      if (!final) {
        return;
      }
      const walker = new LayerWalker(ctx.repo, ctx.entry);
      for (const stage of stageLineage(final)) {
        for (const instruction of stage.instructions) {
          for (const removal of walker.visit(instruction)) {
            const first = removal.removed[0];
            if (!first) {
              continue;
            }
            const what = describe(removal.path, first);
            const others = removal.removed.length - 1;
            const more = others > 0 ? ` (and ${others} more earlier instruction${others > 1 ? 's' : ''})` : '';
            ctx.report({
              at: removal.at,
              message: `rm of ${quote(removal.path)} does not shrink the image: the ${first.by} wrote ${what}${more} and the bytes stay in that layer; delete it in the same RUN that creates it, or keep it out of the layer with a build stage or RUN --mount`,
              related: removal.removed.map((creation) => ({ file: dockerfile.path, range: creation.at, message: `${quote(creation.path)} created here` })),
            });
          }
        }
      }
    },
  },
});

/** How the removed path relates to what an instruction wrote: `it`, `"/src/x" below it`, `it as part of "/opt/x"`. */
function describe(removed: string, creation: Creation): string {
  if (creation.path === removed) {
    return 'it';
  }
  if (isBelow(removed, creation.path)) {
    return `it as part of ${quote(creation.path)}`;
  }
  return /[*?[]/.test(removed) ? `${quote(creation.path)}, which it matches` : `${quote(creation.path)} below it`;
}

/** Walks the instructions of the shipping stages in build order, tracking WORKDIR and created paths. */
class LayerWalker {
  private cwd = '/';
  private created: Creation[] = [];

  constructor(private readonly repo: Repo, private readonly entry: DockerfileEntry) {}

  /** Visits one instruction; returns the removals of paths earlier layers created. */
  visit(instruction: DockerInstruction): { path: string; at: Range; removed: Creation[] }[] {
    if (instruction.keyword === 'WORKDIR') {
      const target = resolve(this.cwd, expand(instruction.argsText.trim(), instruction.scope).value);
      if (target !== null) {
        this.cwd = target;
      }
      return [];
    }
    if (instruction.kind === 'copy' || instruction.kind === 'add') {
      this.created.push(...this.copyCreations(instruction));
      return [];
    }
    if (instruction.kind === 'run') {
      return this.visitRun(instruction);
    }
    return [];
  }

  private visitRun(run: RunInstruction): { path: string; at: Range; removed: Creation[] }[] {
    const by = `RUN at line ${run.range.start.line}`;
    const calls = invocations(run.shell);
    const removals: { path: string; at: Range; removed: Creation[] }[] = [];
    let fresh: Creation[] = [];
    let cwd: string | null = this.cwd;
    for (const [index, call] of calls.entries()) {
      if (call.command.inSubstitution) {
        continue;
      }
      if (call.program === 'cd') {
        const target = argsWithoutFlags(call.args)[0];
        const path = target ? wordPath(target, run.scope) : null;
        cwd = path === null ? null : resolve(cwd, path);
        continue;
      }
      if (call.program === 'rm') {
        for (const word of argsWithoutFlags(call.args)) {
          const raw = wordPath(word, run.scope);
          const path = raw === null ? null : resolve(cwd, raw);
          if (path === null || path === '/') {
            continue;
          }
          const matches = matcher(path);
          // Removing what this same RUN wrote is the right pattern: nothing reaches the layer.
          fresh = fresh.filter((creation) => !matches(creation) || (creation.tree && isBelow(path, creation.path)));
          // One entry per creating instruction (a COPY may have recorded two readings of its destination).
          const removed = this.created.filter(matches).filter((creation, i, all) => all.findIndex((other) => other.by === creation.by) === i);
          if (removed.length > 0) {
            // A removal inside a tree (`rm -rf /opt/x/doc`) leaves the rest of the tree to report again.
            this.created = this.created.filter((creation) => !matches(creation) || (creation.tree && isBelow(path, creation.path)));
            removals.push({ path, at: word.range, removed });
          }
        }
        continue;
      }
      for (const path of createdBy(call, calls[index - 1] ?? null, cwd, run.scope)) {
        fresh.push({ ...path, at: call.command.range, by });
      }
    }
    // Scratch data under a cache, tmpfs or bind mount never enters the layer.
    const mounted = run.mounts.map((mount) => mount.target).filter((target): target is string => target !== null).map((target) => resolve(this.cwd, target));
    this.created.push(...fresh.filter((creation) => !mounted.some((target) => target !== null && (creation.path === target || isBelow(creation.path, target)))));
    return removals;
  }

  private copyCreations(copy: CopyInstruction): Creation[] {
    const destination = copy.destination ? resolve(this.cwd, copy.destination.value) : null;
    if (destination === null || destination.includes('$')) {
      return [];
    }
    const by = `${copy.keyword} at line ${copy.range.start.line}`;
    const intoDirectory = copy.destination?.value.endsWith('/') || copy.sources.length > 1;
    const creations: Omit<Creation, 'at' | 'by'>[] = [];
    if (copy.sources.length === 0) {
      // `COPY <<EOF /etc/app.conf`: the destination is the file the here-document writes.
      creations.push({ path: destination, tree: false });
    }
    for (const source of copy.sources) {
      const value = source.value;
      if (/[*?[$]/.test(value) || /^(https?|git):\/\//.test(value) && copy.kind !== 'add') {
        continue;
      }
      const name = posix.basename(value.replace(/\/+$/, '').split('?')[0] ?? '');
      if (copy.from === null && !/^(https?|git):\/\//.test(value)) {
        const inRepo = joinRepo(this.entry.context, value);
        if (inRepo === '' || this.repo.directories.has(inRepo)) {
          // A directory's contents land in the destination: each top-level entry is a whole tree from this COPY.
          creations.push({ path: destination, tree: false });
          for (const child of childrenOf(this.repo, inRepo, this.entry)) {
            creations.push({ path: posix.join(destination, child), tree: true });
          }
          continue;
        }
      }
      creations.push({ path: intoDirectory ? posix.join(destination, name) : destination, tree: true });
      if (!intoDirectory && name !== '') {
        // `COPY --from=build /out/tool /usr/local/bin` may mean the file /usr/local/bin/tool.
        creations.push({ path: posix.join(destination, name), tree: true });
      }
    }
    return creations.map((creation) => ({ ...creation, at: copy.range, by }));
  }
}

/** Paths a call writes (relative to `cwd`), with whether the whole subtree is its own. */
function createdBy(call: Invocation, previous: Invocation | null, cwd: string | null, scope: Scope): Omit<Creation, 'at' | 'by'>[] {
  const created: Omit<Creation, 'at' | 'by'>[] = [];
  const add = (path: string | null, tree: boolean): void => {
    const resolved = path === null ? null : resolve(cwd, path);
    if (resolved !== null && resolved !== '/' && !/^\/(dev|proc|sys)(\/|$)/.test(resolved)) {
      created.push({ path: resolved, tree });
    }
  };
  for (const redirect of call.command.redirects) {
    if ((redirect.operator === '>' || redirect.operator === '>>' || redirect.operator === '&>' || redirect.operator === '>|') && redirect.target !== null) {
      add(expandPath(redirect.target, scope), false);
    }
  }
  const program = call.program;
  if (program === 'curl' || program === 'wget') {
    const output = downloadOutput(call);
    if (output !== null && output !== '-') {
      const directory = program === 'wget' ? flagValue(call.args, '-P', '--directory-prefix') : null;
      add(expandPath(directory === null ? output : posix.join(directory, output), scope), false);
    }
    return created;
  }
  if (program === 'tar' || program === 'unzip') {
    const extraction = program === 'tar' ? tarExtraction(call) : unzipExtraction(call);
    if (extraction === null) {
      return created;
    }
    const directory = extraction.directory === null ? '.' : expandPath(extraction.directory, scope);
    // `curl -fsSL https://.../ffmpeg-6.1.1.tar.xz | tar -xJ`: the URL names the archive.
    let archive = extraction.archive === null || extraction.archive === '-' ? null : expandPath(extraction.archive, scope);
    if (archive === null && previous && call.command.pipeline && previous.command.pipeline?.position === call.command.pipeline.position - 1) {
      const url = downloadUrls(previous)[0];
      archive = url ? wordPath(url, scope) : null;
    }
    const stem = archive === null ? null : archiveStem(archive);
    if (directory !== null) {
      add(directory, false);
      if (stem !== null) {
        add(posix.join(directory, stem), true);
      }
    }
    return created;
  }
  if (program === 'cp' || program === 'mv') {
    const positional = argsWithoutFlags(call.args, ['-t', '--target-directory', '-S', '--suffix']);
    const targetFlag = flagValue(call.args, '-t', '--target-directory');
    const sources = targetFlag === null ? positional.slice(0, -1) : positional;
    const target = targetFlag ?? (positional.length > 1 ? wordPath(positional[positional.length - 1] as ShellWord, scope) : null);
    if (target === null) {
      return created;
    }
    const intoDirectory = targetFlag !== null || target.endsWith('/') || sources.length > 1;
    if (!intoDirectory) {
      add(target, true);
    }
    for (const source of sources) {
      const path = wordPath(source, scope);
      if (path !== null && !/[*?[]/.test(path)) {
        add(posix.join(target, posix.basename(path)), true);
      }
    }
    return created;
  }
  if (program === 'git' && argValues(call.args)[0] === 'clone') {
    const positional = argsWithoutFlags(call.args.slice(1), ['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '--separate-git-dir', '-j', '--jobs', '--filter', '--shallow-since', '--shallow-exclude']);
    const url = positional[0] ? wordPath(positional[0], scope) : null;
    const directory = positional[1] ? wordPath(positional[1], scope) : url === null ? null : posix.basename(url.replace(/\/+$/, '')).replace(/\.git$/, '');
    add(directory, true);
  }
  return created;
}

/** What `tar` extracts: null unless it extracts; the archive (`-f`) and target directory (`-C`). */
function tarExtraction(call: Invocation): { archive: string | null; directory: string | null } | null {
  let extract = false;
  let archive: string | null = null;
  let directory: string | null = null;
  const values = argValues(call.args);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    if (value === '--extract' || value === '--get') {
      extract = true;
    } else if (value.startsWith('--file=')) {
      archive = value.slice('--file='.length);
    } else if (value === '--file') {
      archive = values[++i] ?? null;
    } else if (value.startsWith('--directory=')) {
      directory = value.slice('--directory='.length);
    } else if (value === '--directory') {
      directory = values[++i] ?? null;
    } else if (/^-?[A-Za-z]+$/.test(value) && (value.startsWith('-') || i === 0) && !value.startsWith('--')) {
      // A cluster (`-xzf`, or the old style `xzf` as the first word): `f` and `C` take the next words in order.
      const letters = value.replace(/^-/, '');
      if (letters.includes('x')) {
        extract = true;
      }
      for (const letter of letters) {
        if (letter === 'f') {
          archive = values[++i] ?? null;
        } else if (letter === 'C') {
          directory = values[++i] ?? null;
        }
      }
    }
  }
  return extract ? { archive, directory } : null;
}

function unzipExtraction(call: Invocation): { archive: string | null; directory: string | null } {
  const positional = argsWithoutFlags(call.args, ['-d', '-x']);
  return { archive: positional[0]?.value ?? null, directory: flagValue(call.args, '-d') };
}

/** `ffmpeg-6.1.1.tar.xz` -> `ffmpeg-6.1.1`; null when the name is not an archive's. */
function archiveStem(archive: string): string | null {
  const name = posix.basename(archive.split('?')[0] ?? '');
  return ARCHIVE_SUFFIX.test(name) ? name.replace(ARCHIVE_SUFFIX, '') : null;
}

/** A predicate: does removing `path` (a literal path or a glob) remove `creation` or part of its tree? */
function matcher(path: string): (creation: Creation) => boolean {
  if (/[*?[]/.test(path)) {
    // `rm -rf /tmp/*` removes /tmp/x and everything below it; picomatch follows the shell in not matching dotfiles.
    const isMatch = picomatch(path);
    const base = picomatch.scan(path).base;
    return (creation) =>
      [creation.path, ...ancestors(creation.path)].some((candidate) => isMatch(candidate)) ||
      (creation.tree && (base === creation.path || isBelow(base, creation.path)));
  }
  return (creation) => creation.path === path || isBelow(creation.path, path) || (creation.tree && isBelow(path, creation.path));
}

/** True when `path` is strictly below `directory`. */
function isBelow(path: string, directory: string): boolean {
  return directory === '/' ? path !== '/' : path.startsWith(`${directory}/`);
}

function ancestors(path: string): string[] {
  const result: string[] = [];
  for (let parent = posix.dirname(path); parent !== '/' && parent !== '.'; parent = posix.dirname(parent)) {
    result.push(parent);
  }
  return result;
}

/** `path` made absolute against `cwd`; null when it is relative and the directory is unknown. */
function resolve(cwd: string | null, path: string): string | null {
  if (path === '' || path.includes('$') || path.startsWith('~')) {
    return null;
  }
  if (path.startsWith('/')) {
    return posix.normalize(path).replace(/(.)\/$/, '$1');
  }
  return cwd === null ? null : posix.join(cwd, path).replace(/(.)\/$/, '$1');
}

/** A word's value, with ARG/ENV references expanded; null when it depends on the shell at run time. */
function wordPath(word: ShellWord, scope: Scope): string | null {
  if (word.value !== null) {
    return word.value;
  }
  // Only double-quoted or bare `${VAR}` words get here; the shell would expand them from ENV/ARG.
  return expandPath(word.text.replace(/^"|"$/g, ''), scope);
}

function expandPath(text: string, scope: Scope): string | null {
  if (!text.includes('$')) {
    return text;
  }
  if (/\$\(|`/.test(text)) {
    return null;
  }
  const expansion = expand(text, scope);
  return expansion.resolved ? expansion.value : null;
}

/** A COPY source relative to the build context, as a repository path ('' for the context root). */
function joinRepo(context: string, source: string): string {
  const joined = posix.normalize(posix.join(context || '.', source)).replace(/\/+$/, '');
  return joined === '.' ? '' : joined.replace(/^\.\//, '');
}

/** The names directly inside a repository directory. */
function childrenOf(repo: Repo, directory: string, entry: DockerfileEntry): string[] {
  const prefix = directory === '' ? '' : `${directory}/`;
  const names = new Set<string>();
  // Directories review did not walk (.git, node_modules) are still sent and copied unless ignored.
  for (const path of [...repo.files, ...repo.directories, ...repo.skippedDirectories]) {
    if (path === '' || !path.startsWith(prefix)) {
      continue;
    }
    const name = path.slice(prefix.length).split('/')[0];
    const contextPath = joinRepo('', posix.relative(entry.context || '.', `${prefix}${name}`));
    if (name && !entry.dockerignore?.ignores(contextPath)) {
      names.add(name);
    }
  }
  return [...names].sort();
}
