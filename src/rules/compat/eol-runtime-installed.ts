// Why: a runtime or distribution past its end of life gets no security fixes, and base images are
// where it hides longest: `FROM ubuntu:20.04`, a NodeSource `setup_20.x` line or a CPython tarball
// pinned years ago keep building fine long after upstream stopped patching them. Dates come from
// src/knowledge/runtimes.json (each with its source and the day it was checked), never from code;
// `warnDays` (default 180) turns an approaching date into an info finding so the move can be planned.
import { findCodename, findEol, type Knowledge } from '../../knowledge/index.js';
import type { RuntimeEol } from '../../knowledge/knowledge.schema.js';
import { splitImageReference } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import { aptPackages, argsWithoutFlags, isAptInstall, type Invocation } from '../../parse/shell-query.js';
import { resolveWord, runBody, scriptBody, type ShellBody } from '../lib/downloads.js';
import { quote } from '../lib/helpers.js';
import { defineRule, type RuleContext } from '../rule.js';

type Runtime = RuntimeEol['runtime'];

/** One sign that the Dockerfile or script puts a runtime line into the image. */
interface Evidence {
  runtime: Runtime;
  line: string;
  at: Range;
  /** The image it comes from (FROM, or COPY --from), or null when a command installs it. */
  image: string | null;
  via: 'base' | 'copy' | 'install';
}

const DISPLAY: Record<Runtime, string> = { nodejs: 'Node.js', python: 'Python', ubuntu: 'Ubuntu', debian: 'Debian' };
const DEFAULT_WARN_DAYS = 180;

/** Official image names, as written with or without `docker.io/library/` (or a mirror's `/library/`). */
function officialName(name: string): string | null {
  const match = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:(?:[^/]+\/)*library\/)?([a-z0-9._-]+)$/.exec(name);
  return match ? (match[1] ?? null) : null;
}

/** The runtime lines an image reference names: `node:20-bookworm` is Node.js 20 on Debian 12. */
function imageLines(reference: string, knowledge: Knowledge): { runtime: Runtime; line: string }[] {
  const { name, tag } = splitImageReference(reference);
  if (!tag) {
    return [];
  }
  const lines: { runtime: Runtime; line: string }[] = [];
  const official = officialName(name);
  const tokens = tag.toLowerCase().split('-');
  const first = tokens[0] ?? '';
  let distroFromName = false;
  if (official === 'node' && /^\d+(\.|$)/.test(first)) {
    lines.push({ runtime: 'nodejs', line: first.split('.')[0] ?? first });
  } else if (official === 'python' && /^\d+\.\d+/.test(first)) {
    lines.push({ runtime: 'python', line: first.split('.').slice(0, 2).join('.') });
  } else if (official === 'ubuntu' && /^\d\d\.\d\d/.test(first)) {
    lines.push({ runtime: 'ubuntu', line: first.slice(0, 5) });
    distroFromName = true;
  } else if (official === 'debian' && /^\d+/.test(first)) {
    lines.push({ runtime: 'debian', line: /^\d+/.exec(first)?.[0] ?? first });
    distroFromName = true;
  }
  if (!distroFromName) {
    // Distribution tokens anywhere in the tag: `python:3.11-slim-bullseye`, `nvidia/cuda:12.1.1-devel-ubuntu20.04`, `ubuntu:focal`.
    for (const token of tokens) {
      const ubuntu = /^ubuntu(\d\d\.\d\d)$/.exec(token);
      if (ubuntu?.[1]) {
        lines.push({ runtime: 'ubuntu', line: ubuntu[1] });
        break;
      }
      const codename = findCodename(knowledge, 'debian', token) ?? findCodename(knowledge, 'ubuntu', token);
      if (codename) {
        lines.push({ runtime: codename.runtime, line: codename.line });
        break;
      }
    }
  }
  return lines;
}

// Install sources named in URLs and words (text of data, not shell syntax: a URL is matched as a string).
const WORD_PATTERNS: { pattern: RegExp; runtime: Runtime }[] = [
  // NodeSource: setup script (`setup_20.x`) and repository (`node_20.x`), deb and rpm.
  { pattern: /\b(?:deb|rpm)\.nodesource\.com\/(?:setup_|node_|pub_)(\d+)\.x\b/, runtime: 'nodejs' },
  // Official tarballs: https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz
  { pattern: /\bnodejs\.org\/(?:dist|download\/release)\/v(\d+)\.\d+\.\d+\//, runtime: 'nodejs' },
  // CPython sources: https://www.python.org/ftp/python/3.9.18/Python-3.9.18.tgz
  { pattern: /\bpython\.org\/ftp\/python\/(\d+\.\d+)\.\d+/, runtime: 'python' },
  // python-build-standalone releases: cpython-3.9.18+20240107-x86_64-unknown-linux-gnu-install_only.tar.gz
  { pattern: /python-build-standalone\/releases\/download\/[^/]+\/cpython-(\d+\.\d+)\.\d+/, runtime: 'python' },
];

function wordEvidence(value: string): { runtime: Runtime; line: string } | null {
  for (const { pattern, runtime } of WORD_PATTERNS) {
    const match = pattern.exec(value);
    if (match?.[1]) {
      return { runtime, line: match[1] };
    }
  }
  return null;
}

/** Runtime lines a call installs: apt packages (`nodejs=20.*`, `python3.9-dev`), `uv python install`, `pyenv install`, `nvm install`, conda `python=3.9`. */
function callEvidence(call: Invocation, body: ShellBody): Evidence[] {
  const found: Evidence[] = [];
  const add = (runtime: Runtime, line: string, at: Range): void => {
    found.push({ runtime, line, at, image: null, via: 'install' });
  };
  if (isAptInstall(call)) {
    for (const word of aptPackages(call)) {
      const value = resolveWord(word, body.scope);
      const node = /^nodejs=(\d+)\./.exec(value);
      const python = /^python(3\.\d+)(-[a-z0-9]+)?(=.*)?$/.exec(value);
      if (node?.[1]) {
        add('nodejs', node[1], word.range);
      } else if (python?.[1]) {
        add('python', python[1], word.range);
      }
    }
  }
  const values = call.args.map((word) => resolveWord(word, body.scope));
  const positional = argsWithoutFlags(call.args);
  if (call.program === 'uv' && values[0] === 'python' && values[1] === 'install') {
    for (const word of positional.slice(2)) {
      const match = /^(?:cpython-)?(\d+\.\d+)/.exec(resolveWord(word, body.scope));
      if (match?.[1]) {
        add('python', match[1], word.range);
      }
    }
  }
  if (call.program === 'pyenv' && values[0] === 'install') {
    for (const word of positional.slice(1)) {
      const match = /^(\d+\.\d+)/.exec(resolveWord(word, body.scope));
      if (match?.[1]) {
        add('python', match[1], word.range);
      }
    }
  }
  if (call.program === 'nvm' && values[0] === 'install') {
    const word = positional[1];
    const match = word ? /^v?(\d+)/.exec(resolveWord(word, body.scope)) : null;
    if (word && match?.[1]) {
      add('nodejs', match[1], word.range);
    }
  }
  if ((call.program === 'conda' || call.program === 'mamba' || call.program === 'micromamba') && (values[0] === 'create' || values[0] === 'install')) {
    for (const word of call.args) {
      const match = /^python={1,2}(\d+\.\d+)/.exec(resolveWord(word, body.scope));
      if (match?.[1]) {
        add('python', match[1], word.range);
      }
    }
  }
  for (const word of call.args) {
    const evidence = wordEvidence(resolveWord(word, body.scope));
    if (evidence) {
      add(evidence.runtime, evidence.line, word.range);
    }
  }
  return found;
}

function compareLines(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

/** Days from `from` to `to` (ISO dates), computed without a clock. */
function daysBetween(from: string, to: string): number {
  const day = (iso: string): number => {
    const [year, month, date] = iso.split('-').map(Number);
    return Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1) / 86_400_000;
  };
  return Math.round(day(to) - day(from));
}

function warnDays(options: Readonly<Record<string, unknown>>): number {
  const value = options.warnDays;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_WARN_DAYS;
}

/** The newest line the knowledge lists for a runtime: what to move to. */
function newestLine(knowledge: Knowledge, runtime: Runtime): RuntimeEol | undefined {
  const lines = knowledge.runtimes.filter((fact) => fact.runtime === runtime);
  return lines.sort((a, b) => compareLines(b.line, a.line))[0];
}

function suggestion(knowledge: Knowledge, runtime: Runtime, line: string, verb: string): string {
  const newest = newestLine(knowledge, runtime);
  if (!newest || compareLines(newest.line, line) <= 0) {
    return '';
  }
  return `; ${verb} ${DISPLAY[runtime]} ${newest.line} (EOL ${newest.eol})`;
}

function judge(evidence: Evidence, ctx: RuleContext): void {
  const { knowledge } = ctx;
  const name = `${DISPLAY[evidence.runtime]} ${evidence.line}`;
  const subject = evidence.via === 'base' ? `base image ${quote(evidence.image ?? '')} is ${name}, which`
    : evidence.via === 'copy' ? `${name} copied from image ${quote(evidence.image ?? '')}` : `${name} installed here`;
  const fact = findEol(knowledge, evidence.runtime, evidence.line);
  if (!fact) {
    // Lines age in order: one older than a line already past its end of life is past it too.
    const newer = knowledge.runtimes
      .filter((candidate) => candidate.runtime === evidence.runtime && compareLines(candidate.line, evidence.line) > 0)
      .sort((a, b) => compareLines(a.line, b.line))[0];
    if (newer && daysBetween(knowledge.today, newer.eol) < 0) {
      ctx.report({
        at: evidence.at,
        message: `${subject} is older than ${DISPLAY[newer.runtime]} ${newer.line}, which reached end of life on ${newer.eol} (fact checked ${newer.checked})${suggestion(knowledge, evidence.runtime, evidence.line, 'move to')}`,
      });
      return;
    }
    const source = newer ?? newestLine(knowledge, evidence.runtime);
    ctx.report({
      at: evidence.at,
      severity: 'info',
      message: `no end-of-life date is known for ${name} in baseimg's knowledge (checked ${source?.checked ?? 'never'}); check ${source?.source ?? 'the vendor\'s release schedule'}`,
    });
    return;
  }
  const days = daysBetween(knowledge.today, fact.eol);
  if (days < 0) {
    ctx.report({
      at: evidence.at,
      message: `${subject} reached end of life on ${fact.eol} (fact checked ${fact.checked})${suggestion(knowledge, evidence.runtime, evidence.line, 'move to')}`,
    });
  } else if (days <= warnDays(ctx.options)) {
    ctx.report({
      at: evidence.at,
      severity: 'info',
      message: `${subject} reaches end of life on ${fact.eol}, in ${days} days (fact checked ${fact.checked})${suggestion(knowledge, evidence.runtime, evidence.line, 'plan the move to')}`,
    });
  }
}

/** Reports each runtime line once per instruction or script (a setup URL and an apt pin of the same line are one problem). */
function judgeAll(evidence: Evidence[], ctx: RuleContext): void {
  const seen = new Set<string>();
  for (const item of evidence) {
    const key = `${item.runtime} ${item.line}`;
    if (!seen.has(key)) {
      seen.add(key);
      judge(item, ctx);
    }
  }
}

function bodyEvidence(body: ShellBody): Evidence[] {
  return body.calls.flatMap((call) => callEvidence(call, body));
}

export const eolRuntimeInstalled = defineRule({
  id: 'compat/eol-runtime-installed',
  meta: {
    title: 'Runtime or distribution past its end of life',
    severity: 'error',
    rationale:
      'A base image fixes the runtime for every service built on it. Once Node.js, CPython, Ubuntu or Debian reach end of life upstream stops publishing security fixes, so CVEs in the interpreter, OpenSSL bindings or glibc stay open in every derived image, and the packages around them (NodeSource repositories, deadsnakes builds, CUDA images for old Ubuntu releases) stop being updated or disappear, which breaks rebuilds at the worst moment. Dates are read from baseimg\'s knowledge file with the day they were checked.',
    remediation:
      'Move to a supported line: change the base tag (`ubuntu:24.04`, `python:3.13-slim`, `nvidia/cuda:...-ubuntu24.04`), the NodeSource repository (`node_24.x`) or the pinned CPython version, and rebuild. Set `rules."compat/eol-runtime-installed".options.warnDays` to change how early an approaching end of life is reported (default 180 days).',
  },
  hooks: {
    stage(stage, ctx) {
      const base = stage.base;
      if (base.stage || base.scratch || !base.resolved || base.digest && !base.tag) {
        return;
      }
      judgeAll(imageLines(base.expanded, ctx.knowledge).map((found) => ({ ...found, at: base.range, image: base.expanded, via: 'base' as const })), ctx);
    },
    instruction(instruction, ctx) {
      if (instruction.kind === 'run' && instruction.shell) {
        judgeAll(bodyEvidence(runBody(instruction)), ctx);
      } else if (instruction.kind === 'copy' && instruction.from && !instruction.fromStage && /[:/]/.test(instruction.from)) {
        // `COPY --from=node:20-slim /usr/local/bin/node /usr/local/bin/` installs that image's runtime.
        const flag = instruction.flags.find((candidate) => candidate.name === 'from');
        const image = instruction.from;
        judgeAll(imageLines(image, ctx.knowledge).map((found) => ({ ...found, at: flag?.range ?? instruction.range, image, via: 'copy' as const })), ctx);
      }
    },
    script(script, ctx) {
      judgeAll(bodyEvidence(scriptBody(script)), ctx);
    },
  },
});
