/**
 * Files that usually should not ship in a runtime image. Path patterns only: each is a common
 * leftover of a build (compiler inputs, caches, package-manager indexes, test suites, docs)
 * that a multi-stage build or a cleanup in the same RUN would drop.
 */
import type { UnwantedFiles } from './types.js';

type Kind = UnwantedFiles['kind'];

const PATTERNS: [Kind, RegExp][] = [
  ['pycache', /(?:^|\/)__pycache__\/|\.py[co]$/],
  ['apt-lists', /^var\/lib\/apt\/lists\/(?!lock$|partial$)[^/]+$/],
  ['pip-cache', /(?:^|\/)\.cache\/pip\//],
  ['uv-cache', /(?:^|\/)\.cache\/uv\//],
  ['test-folders', /\/(?:site-packages|dist-packages|node_modules)\/(?:.+\/)?(?:tests?|__tests__)\//],
  ['static-libraries', /\.a$/],
  ['headers', /\.(?:h|hh|hpp|hxx|cuh)$/],
  ['docs', /^usr\/(?:local\/)?share\/(?:doc|man|info)\//],
  // apt's downloaded .deb archives and package caches, and anything left in /tmp.
  ['other', /^var\/cache\/apt\/(?:archives\/[^/]+\.deb|[^/]+\.bin)$|^tmp\/|^var\/tmp\//],
];

/** All the patterns as one: most files match none, and one test rules them out. */
const ANY = new RegExp(PATTERNS.map(([, pattern]) => `(?:${pattern.source})`).join('|'));

const EXAMPLES = 5;

/** Sorts final files into unwanted kinds; feed every regular file of the final filesystem. */
export class UnwantedCollector {
  private readonly kinds = new Map<Kind, UnwantedFiles>();

  add(path: string, bytes: number): void {
    if (!ANY.test(path)) {
      return;
    }
    for (const [kind, pattern] of PATTERNS) {
      if (pattern.test(path)) {
        let entry = this.kinds.get(kind);
        if (!entry) {
          entry = { kind, files: 0, bytes: 0, examples: [] };
          this.kinds.set(kind, entry);
        }
        entry.files += 1;
        entry.bytes += bytes;
        if (entry.examples.length < EXAMPLES) {
          entry.examples.push(`/${path}`);
        }
        return;
      }
    }
  }

  /** Kinds found, biggest first. */
  result(): UnwantedFiles[] {
    return [...this.kinds.values()].sort((a, b) => b.bytes - a.bytes || a.kind.localeCompare(b.kind));
  }
}
