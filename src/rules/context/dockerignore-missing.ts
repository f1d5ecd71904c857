// Why: a build whose context is the repository root sends the builder everything under it unless a
// .dockerignore says otherwise: the .git directory (often the largest thing in the checkout, and
// with actions/checkout's persisted token in .git/config), virtualenvs, node_modules, logs and
// .env files. Any `COPY . .` then copies them into the image, and every change to them busts the
// layer cache (Docker docs, "Build context > .dockerignore files"). BuildKit reads
// `<Dockerfile>.dockerignore` beside the Dockerfile first, then the context root's; the repo model
// (entry.dockerignore) already resolves which one applies.
//
// Reported once per context and .dockerignore: several Dockerfiles built from the root with the
// same (or no) .dockerignore share one finding, on the first of them, with the others as related
// locations.
import { posix } from 'node:path';
import { buildInputs } from '../../parse/dockerfile.js';
import type { DockerfileEntry, Repo } from '../../repo/repo.js';
import type { Fix } from '../finding.js';
import { contextSourcePath, isGlob } from '../lib/build-context.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

/** What a root context should keep out, and how to find it in the repository. */
interface Exclusion {
  /** The pattern to suggest. */
  pattern: string;
  /** Repository paths it stands for; `always` for .git, which a checkout always has. */
  find(repo: Repo): string[] | 'always';
}

const EXCLUSIONS: readonly Exclusion[] = [
  { pattern: '.git', find: () => 'always' },
  { pattern: '**/node_modules', find: (repo) => directoriesNamed(repo, ['node_modules']) },
  { pattern: '**/.venv', find: (repo) => directoriesNamed(repo, ['.venv', 'venv']) },
  { pattern: '**/__pycache__', find: (repo) => directoriesNamed(repo, ['__pycache__']) },
  { pattern: '**/*.log', find: (repo) => [...repo.files].filter((path) => path.endsWith('.log')) },
  { pattern: '**/.env', find: (repo) => [...repo.files].filter((path) => /^\.env(\..+)?$/.test(posix.basename(path)) && !/\.(example|sample|template)$/.test(path)) },
];

export const dockerignoreMissing = defineRule({
  id: 'context/dockerignore-missing',
  meta: {
    title: 'Repository-root build context without a .dockerignore that excludes .git',
    severity: 'warning',
    rationale:
      'Base-image repositories are often built with `context: .` because the Dockerfiles COPY shared scripts from the root. Without a .dockerignore the builder then receives the whole checkout: the .git history (hundreds of megabytes in an old repository, and the CI token that actions/checkout leaves in .git/config), virtualenvs, logs and local .env files. A single `COPY . .` ships all of it in the image, and any change to those files invalidates the cache of every layer after the COPY.',
    remediation:
      'Add a .dockerignore at the context root (or a `<Dockerfile>.dockerignore` beside the Dockerfile) that excludes at least .git, and also **/__pycache__, **/.venv, **/node_modules, **/*.log and .env files; or build from a narrower context directory. `baseimg fix` writes an allow-list .dockerignore when there is none: `*`, then `!path` for every COPY/ADD source of the Dockerfiles built from that context (safe when every source is a literal path; with wildcards or variables it needs --unsafe and a look).',
    fixable: 'safe',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const entry = ctx.entry;
      if (entry.context !== '') {
        return;
      }
      const sharing = ctx.repo.dockerfiles.filter((other) => other.context === '' && (other.dockerignore?.path ?? null) === (entry.dockerignore?.path ?? null));
      if (sharing[0] !== entry) {
        return;
      }
      const missing = missingExclusions(ctx.repo, entry);
      if (missing.length === 0) {
        return;
      }
      const others = sharing.slice(1);
      const builds = others.length > 0 ? ` (also the context of ${others.map((other) => quote(other.dockerfile.path)).join(', ')})` : '';
      const origin = contextOrigin(entry);
      const patterns = missing.join(', ');
      const message = entry.dockerignore === null
        ? `build context "." (the repository root${origin}) has no .dockerignore${builds}, so every build sends the whole checkout, .git included; add a .dockerignore that excludes ${patterns}`
        : `${quote(entry.dockerignore.path)} does not exclude ${patterns} from build context "." (the repository root${origin})${builds}; add ${missing.length > 1 ? 'them' : 'it'}`;
      const first = dockerfile.stages[0]?.from.range ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
      const fix = entry.dockerignore === null ? allowListFix(ctx.repo, sharing) : null;
      ctx.report({
        at: first,
        message,
        ...(fix ? { fix } : {}),
        related: others.map((other) => ({
          file: other.dockerfile.path,
          range: other.dockerfile.stages[0]?.from.range ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
          message: 'also built from the repository root',
        })),
      });
    },
  },
});

/** The suggested patterns the applicable .dockerignore does not cover, for things the repository has. */
function missingExclusions(repo: Repo, entry: DockerfileEntry): string[] {
  const missing: string[] = [];
  for (const exclusion of EXCLUSIONS) {
    const found = exclusion.find(repo);
    const paths = found === 'always' ? [exclusion.pattern] : found;
    if (paths.length === 0) {
      continue;
    }
    if (entry.dockerignore === null || paths.some((path) => !entry.dockerignore?.ignores(path))) {
      missing.push(exclusion.pattern);
    }
  }
  return missing;
}

function directoriesNamed(repo: Repo, names: readonly string[]): string[] {
  // node_modules, .venv and __pycache__ are not walked (repo.skippedDirectories) but still exist.
  return [...repo.directories, ...repo.skippedDirectories].filter((path) => names.includes(posix.basename(path)));
}

/** `, built by .github/workflows/gpu.yaml` / `, inferred from its COPY sources`, for the message. */
function contextOrigin(entry: DockerfileEntry): string {
  if (entry.contextEvidence) {
    return `, as ${entry.contextEvidence} builds it`;
  }
  return entry.contextSource === 'inferred' && posix.dirname(entry.dockerfile.path) !== '.' ? ', inferred from its COPY sources' : '';
}

/**
 * A fix that creates `.dockerignore` at the root context as an allow-list: `*` first, then
 * `!path` for every context path the Dockerfiles built from it read (COPY/ADD sources, RUN bind
 * mounts), folders as `!dir/`. Docker's matcher re-includes a folder's files when the folder is
 * re-included (moby/patternmatcher, parent-path matching), and a later line wins over an earlier
 * one, so the standard exclusions follow the allow lines to keep caches and secrets out of the
 * allowed folders. Safe only when every source is a literal path; a wildcard is copied as a
 * pattern and a variable cannot be resolved, so those make the fix unsafe (it needs a look).
 * Declines (null) when a Dockerfile reads the whole context (`COPY . .`): an allow-list would be
 * the whole checkout again.
 */
function allowListFix(repo: Repo, entries: readonly DockerfileEntry[]): Fix | null {
  const allow = new Set<string>();
  const unresolved: string[] = [];
  let literal = true;
  for (const entry of entries) {
    for (const input of buildInputs(entry.dockerfile)) {
      const source = input.path;
      if (source.includes('$')) {
        literal = false;
        unresolved.push(`${source} (${entry.dockerfile.path}:${input.range.start.line})`);
        continue;
      }
      const path = contextSourcePath(entry.context, source);
      if (path === null) {
        continue;
      }
      if (path === '') {
        return null;
      }
      if (isGlob(source)) {
        literal = false;
        allow.add(`!${path}`);
        continue;
      }
      allow.add(repo.directories.has(path) ? `!${path}/` : `!${path}`);
    }
  }
  const reExcluded = EXCLUSIONS.filter((exclusion) => {
    const found = exclusion.find(repo);
    return found !== 'always' && found.length > 0;
  }).map((exclusion) => exclusion.pattern);
  const lines = [
    '# Generated by baseimg fix from the COPY/ADD sources of:',
    ...entries.map((entry) => `#   ${entry.dockerfile.path}`),
    '# An allow-list: the build context leaves everything out, then lets back in only what the',
    '# Dockerfiles read. When a Dockerfile starts to COPY another path, add it here as !path.',
    ...unresolved.map((source) => `# Not resolved (add what it stands for): ${source}`),
    '*',
    ...[...allow].sort(),
    ...(reExcluded.length > 0 ? ['# Kept out even inside the folders let in above.', ...reExcluded] : []),
  ];
  return {
    description: 'create an allow-list .dockerignore from the COPY/ADD sources',
    safety: literal ? 'safe' : 'unsafe',
    edits: [],
    creates: [{ file: posix.join(entries[0]?.context || '.', '.dockerignore').replace(/^\.\//, ''), text: `${lines.join('\n')}\n` }],
  };
}
