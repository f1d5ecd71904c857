/**
 * Compatibility judgements over the dependency inventory (src/repo/dependencies.ts) and the facts of
 * src/knowledge/compat.json, shared by the compat/* rules and `baseimg matrix` so both say the same
 * thing about the same pin. Versions compare as PEP 440 versions (@renovatebot/pep440); FFmpeg,
 * codec and CPython release numbers compare the same way.
 */
import { compare, explain, satisfies } from '@renovatebot/pep440';
import type { Knowledge } from '../../knowledge/index.js';
import type { Advisory, LatestRelease, OpenvinoBundle, TorchChannel, TorchRelease } from '../../knowledge/knowledge.schema.js';
import type { Dependency, Ecosystem, FamilyDependencies } from '../../repo/dependencies.js';

/** The first dependency of that name and ecosystem with a known version, else the first of that name. */
export function findDependency(deps: FamilyDependencies, name: string, ecosystem: Ecosystem = 'pypi'): Dependency | undefined {
  const named = deps.dependencies.filter((dependency) => dependency.ecosystem === ecosystem && dependency.name === name);
  return named.find((dependency) => dependency.version !== null) ?? named[0];
}

/** Every dependency of that name and ecosystem with a known version, one per place its version is set. */
export function pinnedDependencies(deps: FamilyDependencies, name: string, ecosystem: Ecosystem = 'pypi'): Dependency[] {
  const seen = new Set<string>();
  const result: Dependency[] = [];
  for (const dependency of deps.dependencies) {
    if (dependency.ecosystem !== ecosystem || dependency.name !== name || dependency.version === null) {
      continue;
    }
    const key = `${dependency.versionAt.file}:${dependency.versionAt.range.start.line}:${dependency.version}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(dependency);
    }
  }
  return result;
}

/** The CPython the family runs: a source build or an official python base image. */
export function familyPython(deps: FamilyDependencies): Dependency | undefined {
  return findDependency(deps, 'cpython', 'source') ?? findDependency(deps, 'cpython', 'binary');
}

/** `3.13.11` -> `3.13`. */
export function minorLine(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** True when a version parses as PEP 440. */
function valid(version: string): boolean {
  return explain(version) !== null;
}

/** PEP 440 comparison that treats unparsable versions as equal (no judgement). */
export function compareVersions(a: string, b: string): number {
  return valid(a) && valid(b) ? compare(a, b) : 0;
}

/** Compares two `3.N` lines numerically. */
function compareLines(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0);
}

/** True when `python` (a `3.N` line) lies in the range. */
export function pythonInRange(python: string, range: { min: string; max: string }): boolean {
  return compareLines(python, range.min) >= 0 && compareLines(python, range.max) <= 0;
}

/** The public part of a version (`2.9.1+cu128` -> `2.9.1`). */
function publicVersion(version: string): string {
  return version.replace(/\+.*$/, '');
}

/** The torch release row for a version, if the table lists it. */
export function torchRelease(knowledge: Knowledge, version: string): TorchRelease | undefined {
  return knowledge.compat.torch.find((row) => row.torch === publicVersion(version));
}

/** What the companion of a torch release must be, with where the fact comes from. */
export interface Expectation {
  expected: string;
  /** `table`: the release row says so; `rule`: derived from the general rule for unlisted releases. */
  basis: 'table' | 'rule';
  source: string;
  checked: string;
}

/** The torchvision a torch release pairs with (R-TV-1: minor + 15, same patch for unlisted releases). */
export function expectedTorchvision(knowledge: Knowledge, torch: string): Expectation | null {
  const row = torchRelease(knowledge, torch);
  if (row) {
    return { expected: row.torchvision, basis: 'table', source: row.source, checked: row.checked };
  }
  const [major, minor, patch = '0'] = publicVersion(torch).split('.');
  if (major !== '2' || minor === undefined || !/^\d+$/.test(minor)) {
    return null;
  }
  const rules = knowledge.compat.torchRules;
  return { expected: `0.${Number(minor) + rules.visionMinorOffset}.${patch}`, basis: 'rule', source: rules.visionSource, checked: rules.checked };
}

/** The torchaudio a torch release pairs with (R-TA-1: equal up to 2.10, frozen at 2.11.0 after). */
export function expectedTorchaudio(knowledge: Knowledge, torch: string): Expectation | null {
  const row = torchRelease(knowledge, torch);
  if (row) {
    return { expected: row.torchaudio, basis: 'table', source: row.source, checked: row.checked };
  }
  const rules = knowledge.compat.torchRules;
  if (!valid(publicVersion(torch))) {
    return null;
  }
  const expected = compareVersions(publicVersion(torch), rules.audioFrozenFrom) >= 0 ? rules.audioFrozenVersion : publicVersion(torch);
  return { expected, basis: 'rule', source: rules.source, checked: rules.checked };
}

/**
 * True when a companion version matches the expectation: exactly for table facts; for rule-derived
 * torchvision the minor decides (patch releases of the pair do not always line up).
 */
export function companionMatches(actual: string, expectation: Expectation): boolean {
  const version = publicVersion(actual);
  if (expectation.basis === 'table') {
    return compareVersions(version, expectation.expected) === 0;
  }
  return minorLine(version) === minorLine(expectation.expected);
}

/** The channel fact for a channel name. */
export function torchChannel(knowledge: Knowledge, channel: string): TorchChannel | undefined {
  return knowledge.compat.channels.find((fact) => fact.channel === channel);
}

/** Whether a channel carries a torch release: yes/no from the table or the channel's range, null when unknown. */
export function channelCarries(knowledge: Knowledge, channel: string, torch: string): { carries: boolean | null; source: string; checked: string; detail: string } {
  const row = torchRelease(knowledge, torch);
  const fact = torchChannel(knowledge, channel);
  const span = fact ? `${channel} carries torch ${fact.firstTorch}${fact.lastTorch ? `-${fact.lastTorch}` : ' and later'}` : `${channel} is not a channel baseimg knows`;
  if (row) {
    return { carries: row.channels.includes(channel), source: row.source, checked: row.checked, detail: `torch ${row.torch} is built for ${row.channels.join(', ')}` };
  }
  if (!fact) {
    return { carries: null, source: knowledge.compat.channels[0]?.source ?? '', checked: knowledge.compat.channels[0]?.checked ?? '', detail: span };
  }
  const version = publicVersion(torch);
  const after = compareVersions(version, fact.firstTorch) >= 0;
  const before = fact.lastTorch === null ? null : compareVersions(version, fact.lastTorch) <= 0;
  // A release newer than the table with a channel still built is not known either way.
  const carries = !after ? false : before === false ? false : before === null ? null : true;
  return { carries, source: fact.source, checked: fact.checked, detail: span };
}

/** The onnxruntime-openvino bundle fact for a version. */
export function openvinoBundle(knowledge: Knowledge, version: string): OpenvinoBundle | undefined {
  return knowledge.compat.openvinoBundles.find((fact) => fact.onnxruntimeOpenvino === publicVersion(version));
}

/** True when a standalone OpenVINO matches the bundled one (major.minor, and the patch when the fact names one). */
export function openvinoMatches(openvino: string, bundled: string): boolean {
  const bundledParts = bundled.split('.');
  const actual = publicVersion(openvino).split('.');
  return bundledParts.every((part, index) => (actual[index] ?? '0') === part);
}

/** The Python range a package release supports, when the knowledge has it. */
export function pythonRangeOf(knowledge: Knowledge, name: string, version: string): { range: { min: string; max: string }; source: string; checked: string } | null {
  if (name === 'torch') {
    const row = torchRelease(knowledge, version);
    return row ? { range: row.python, source: row.source, checked: row.checked } : null;
  }
  if (name === 'onnxruntime-openvino') {
    const bundle = openvinoBundle(knowledge, version);
    return bundle ? { range: bundle.python, source: bundle.source, checked: bundle.checked } : null;
  }
  const facts = knowledge.compat.pythonSupport
    .filter((fact) => fact.package === name && compareVersions(publicVersion(version), fact.from) >= 0)
    .sort((a, b) => compareVersions(b.from, a.from));
  const fact = facts[0];
  return fact ? { range: fact.python, source: fact.source, checked: fact.checked } : null;
}

/** Known advisories that affect this exact version. */
export function advisoriesFor(knowledge: Knowledge, ecosystem: Ecosystem, name: string, version: string): Advisory[] {
  const wanted = publicVersion(version);
  if (!valid(wanted)) {
    return [];
  }
  return knowledge.compat.advisories.filter((advisory) => advisory.ecosystem === ecosystem && advisory.package === name && satisfies(wanted, advisory.affected));
}

/** How a pinned version stands against the newest known release of its line and overall. */
export interface Freshness {
  fact: LatestRelease;
  /** The newest release of the version's own maintained line, when the fact lists the line. */
  lineLatest: { line: string; version: string } | null;
  /** What the version should move to: the line's newest, else the newest overall. */
  target: string;
  behind: boolean;
  /** `5 patch versions`, `1 minor version`, ... */
  distance: string;
}

/** The freshness of a pinned version, or null when the knowledge has no newest release for it. */
export function freshness(knowledge: Knowledge, ecosystem: Ecosystem, name: string, version: string): Freshness | null {
  const fact = knowledge.compat.latest.find((candidate) => candidate.ecosystem === ecosystem && candidate.name === name);
  const current = publicVersion(version);
  if (!fact || !valid(current)) {
    return null;
  }
  const lineLatest = fact.lines
    .filter((candidate) => current === candidate.line || current.startsWith(`${candidate.line}.`))
    .sort((a, b) => b.line.length - a.line.length)[0] ?? null;
  const target = lineLatest?.version ?? fact.version;
  const behind = compareVersions(current, target) < 0;
  return { fact, lineLatest, target, behind, distance: behind ? distance(current, target) : '' };
}

/** A readable distance between two versions: the first release component that differs. */
export function distance(from: string, to: string): string {
  const a = explain(from)?.release ?? [];
  const b = explain(to)?.release ?? [];
  const names = ['major', 'minor', 'patch'];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (b[i] ?? 0) - (a[i] ?? 0);
    if (difference !== 0) {
      const name = names[i] ?? 'build';
      return `${difference} ${name} version${difference === 1 ? '' : 's'}`;
    }
  }
  return 'a post release';
}

/** Worst severity of a set of advisories. */
export function worstAdvisory(advisories: readonly Advisory[]): Advisory['severity'] {
  const order: Advisory['severity'][] = ['critical', 'high', 'medium', 'low', 'unknown'];
  for (const severity of order) {
    if (advisories.some((advisory) => advisory.severity === severity)) {
      return severity;
    }
  }
  return 'unknown';
}

/** True for a companion pinned to what its lead pin requires (it moves when the lead moves). */
export function followsLead(family: FamilyDependencies, dependency: Dependency, knowledge: Knowledge): boolean {
  const version = dependency.version ?? '';
  if (dependency.ecosystem !== 'pypi') {
    return false;
  }
  if (dependency.name === 'torchvision' || dependency.name === 'torchaudio') {
    const torch = findDependency(family, 'torch')?.version;
    const expectation = torch ? (dependency.name === 'torchvision' ? expectedTorchvision(knowledge, torch) : expectedTorchaudio(knowledge, torch)) : null;
    return expectation !== null && companionMatches(version, expectation);
  }
  // tensorrt-cuXX requires tensorrt-cuXX-libs and -bindings at its exact version (R-TRT-1).
  const trtPart = /^(tensorrt-cu\d+)-(?:libs|bindings)$/.exec(dependency.name);
  if (trtPart?.[1]) {
    return findDependency(family, trtPart[1])?.version === version;
  }
  if (dependency.name === 'openvino') {
    const ort = findDependency(family, 'onnxruntime-openvino')?.version;
    const bundle = ort ? openvinoBundle(knowledge, ort) : undefined;
    return bundle !== undefined && openvinoMatches(version, bundle.openvino);
  }
  return false;
}
