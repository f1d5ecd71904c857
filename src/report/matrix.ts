/**
 * The compatibility matrix (`baseimg matrix`, PLAN.md section 9): per image family, each component
 * of the ML stack with its pinned version, the newest known release, a status and the evidence for
 * it, either the upstream table it was checked against (with its URL and checked date) or a bench
 * run record of the same family whose image tests passed on the same combination. Built from the
 * dependency inventory and the compat knowledge with the same judgements the compat/* rules use, so
 * the matrix and the review never disagree. Pure: run records are read by the caller.
 */
import { createHash } from 'node:crypto';
import type { Knowledge } from '../knowledge/index.js';
import { dependencyInventory, type Dependency, type DependencyPin, type Ecosystem, type FamilyDependencies } from '../repo/dependencies.js';
import type { Repo } from '../repo/repo.js';
import {
  advisoriesFor, channelCarries, companionMatches, expectedTorchaudio, expectedTorchvision, familyPython, findDependency,
  followsLead, freshness, minorLine, openvinoBundle, openvinoMatches, pythonInRange, pythonRangeOf, torchChannel, worstAdvisory,
} from '../rules/lib/compat.js';

/** Where a component's status comes from. */
export type MatrixStatus = 'ok' | 'outdated' | 'broken' | 'unknown' | 'unpinned';

/** Evidence for a status: an upstream table, or a bench run that tested this combination. */
export type MatrixEvidence =
  | { kind: 'upstream'; source: string; checked: string }
  | { kind: 'run'; id: string; finishedAt: string | null }
  | { kind: 'none' };

/** One row of a family's matrix. */
export interface MatrixComponent {
  component: string;
  /** The distribution or package behind the row (`tensorrt-cu12-bindings`, `libnvinfer10`). */
  name: string;
  pinned: string | null;
  /** The specifier as written when not pinned exactly (`==20.*`, `>=2`). */
  specifier: string;
  newest: string | null;
  status: MatrixStatus;
  /** Why the status is not ok, one line each. */
  notes: string[];
  evidence: MatrixEvidence;
  file: string;
  line: number;
}

/** Pin counts of one ecosystem. */
export type PinCounts = Record<DependencyPin, number>;

/** One family's matrix. */
export interface FamilyMatrix {
  family: string;
  dockerfile: string;
  /** Fingerprint of the component versions; a run record carrying it (`combination`) validates them. */
  combination: string;
  components: MatrixComponent[];
  pins: Partial<Record<Ecosystem, PinCounts>>;
}

/** The whole matrix. */
export interface Matrix {
  schemaVersion: 1;
  /** The newest `checked` date among the facts used. */
  knowledgeChecked: string;
  families: FamilyMatrix[];
  /** Run records skipped, with the reason. */
  notes: string[];
}

/**
 * The fields of a bench run record the matrix reads (src/engine/record.schema.ts holds the full
 * record). `combination` is optional: records that lack it never validate a combination.
 */
export interface MatrixRun {
  id: string;
  family: string;
  status: string;
  tests: { ok: boolean }[];
  combination: string | null;
  finishedAt: string | null;
}

const TORCH = ['torch', 'torchvision', 'torchaudio'];
const ORT = ['onnxruntime', 'onnxruntime-gpu', 'onnxruntime-openvino'];
const CODECS = ['openh264', 'x264', 'x265', 'libvpx', 'dav1d', 'svt-av1', 'aom', 'nv-codec-headers'];

/** Builds the matrix of every family. */
export function buildMatrix(repo: Repo, knowledge: Knowledge, runs: readonly MatrixRun[] = [], notes: readonly string[] = []): Matrix {
  const families = dependencyInventory(repo).families.map((deps) => familyMatrix(deps, knowledge, runs));
  const checked = [
    ...knowledge.compat.torch, ...knowledge.compat.channels, ...knowledge.compat.latest, ...knowledge.compat.advisories, ...knowledge.compat.openvinoBundles,
  ].map((fact) => fact.checked).sort().at(-1) ?? '';
  return { schemaVersion: 1, knowledgeChecked: checked, families, notes: [...notes] };
}

function familyMatrix(deps: FamilyDependencies, knowledge: Knowledge, runs: readonly MatrixRun[]): FamilyMatrix {
  const rows: MatrixComponent[] = [];
  const python = familyPython(deps);
  const add = (component: string, dependency: Dependency | undefined, extra: { notes?: string[]; status?: MatrixStatus; evidence?: MatrixEvidence } = {}): void => {
    if (!dependency) {
      return;
    }
    const row = judge(component, dependency, knowledge, extra);
    // A companion that matches its lead pin moves with it (the rule says the same).
    if (row.status === 'outdated' && followsLead(deps, dependency, knowledge) && !row.notes.some((note) => note.startsWith('advisories'))) {
      row.status = 'ok';
      row.notes = ['moves with its lead pin'];
    }
    rows.push(row);
  };

  add('python', python);
  const torch = findDependency(deps, 'torch');
  for (const name of TORCH) {
    const dependency = findDependency(deps, name);
    const notes: string[] = [];
    if (dependency?.version && torch?.version && name !== 'torch') {
      const expectation = name === 'torchvision' ? expectedTorchvision(knowledge, torch.version) : expectedTorchaudio(knowledge, torch.version);
      if (expectation && !companionMatches(dependency.version, expectation)) {
        notes.push(`torch ${torch.version} pairs with ${name} ${expectation.expected}`);
      }
    }
    if (name === 'torch' && dependency?.version && python?.version) {
      const support = pythonRangeOf(knowledge, 'torch', dependency.version);
      if (support && !pythonInRange(minorLine(python.version), support.range)) {
        notes.push(`no wheels for Python ${minorLine(python.version)} (supports ${support.range.min}-${support.range.max})`);
      }
    }
    add(name, dependency, { notes });
  }
  const channel = deps.dependencies.find((dependency) => TORCH.includes(dependency.name) && dependency.channel !== null);
  if (channel?.channel) {
    const fact = torchChannel(knowledge, channel.channel);
    const notes: string[] = [];
    let status: MatrixStatus = fact ? 'ok' : 'unknown';
    if (torch?.version) {
      const verdict = channelCarries(knowledge, channel.channel, torch.version);
      if (verdict.carries === false) {
        notes.push(`torch ${torch.version} is not built for ${channel.channel}`);
        status = 'broken';
      } else if (verdict.carries === null) {
        status = 'unknown';
      } else if (fact?.lastTorch) {
        notes.push(`channel ends at torch ${fact.lastTorch}`);
      }
    }
    const cuda = fact?.cuda ? `CUDA ${fact.cuda}, driver >= ${fact.minDriver ?? '?'}` : channel.channel === 'cpu' ? 'no CUDA' : '';
    rows.push({
      component: 'torch channel',
      name: channel.channel,
      pinned: channel.channel,
      specifier: cuda,
      newest: null,
      status,
      notes,
      evidence: fact ? { kind: 'upstream', source: fact.source, checked: fact.checked } : { kind: 'none' },
      file: channel.file,
      line: channel.range.start.line,
    });
  }
  const trt = deps.dependencies.find((dependency) => dependency.ecosystem === 'pypi' && /^tensorrt(-cu\d+)?(-bindings)?$/.test(dependency.name) && dependency.version !== null)
    ?? deps.dependencies.find((dependency) => dependency.ecosystem === 'pypi' && /^tensorrt/.test(dependency.name));
  add('tensorrt (pip)', trt);
  const trtApt = deps.dependencies.find((dependency) => dependency.ecosystem === 'apt' && /^libnvinfer\d+$/.test(dependency.name));
  if (trtApt) {
    const notes: string[] = [];
    if (trtApt.version === null && trt?.version) {
      notes.push(`unpinned beside ${trt.name} ${trt.version}; pin ${trt.version.replace(/\.post\d+$/, '')}-1+cudaX.Y`);
    } else if (trtApt.version && trt?.version && trtApt.version.replace(/-[^-]*$/, '') !== trt.version.replace(/\.post\d+$/, '')) {
      notes.push(`differs from ${trt.name} ${trt.version}`);
    }
    add('tensorrt (apt)', trtApt, { notes, ...(notes.length > 0 && trtApt.version !== null ? { status: 'broken' as const } : {}) });
  }
  const ortOpenvino = findDependency(deps, 'onnxruntime-openvino');
  for (const name of ORT) {
    const dependency = findDependency(deps, name);
    const notes: string[] = [];
    if (dependency && ortOpenvino && name !== 'onnxruntime-openvino') {
      notes.push('installs the same onnxruntime package as onnxruntime-openvino');
    }
    if (dependency?.version && python?.version) {
      const support = pythonRangeOf(knowledge, name, dependency.version);
      if (support && !pythonInRange(minorLine(python.version), support.range)) {
        notes.push(`no wheels for Python ${minorLine(python.version)} (supports ${support.range.min}-${support.range.max})`);
      }
    }
    add(name, dependency, { notes });
  }
  const openvino = findDependency(deps, 'openvino');
  if (openvino) {
    const notes: string[] = [];
    const bundle = ortOpenvino?.version ? openvinoBundle(knowledge, ortOpenvino.version) : undefined;
    if (bundle && openvino.version && !openvinoMatches(openvino.version, bundle.openvino)) {
      notes.push(`onnxruntime-openvino ${ortOpenvino?.version} bundles OpenVINO ${bundle.openvino}`);
    }
    add('openvino', openvino, { notes });
  }
  add('ffmpeg', findDependency(deps, 'ffmpeg', 'source'));
  for (const codec of CODECS) {
    add(codec, findDependency(deps, codec, 'source'));
  }
  add('cryptography', findDependency(deps, 'cryptography'));
  const nodeApt = findDependency(deps, 'nodejs', 'apt');
  // NodeSource debs carry the upstream version before `-1nodesource1`; judge it as the Node.js release.
  const node = findDependency(deps, 'nodejs', 'binary')
    ?? (nodeApt ? { ...nodeApt, ecosystem: 'binary' as const, version: nodeApt.version?.replace(/-[^-]*$/, '') ?? null } : undefined);
  if (node) {
    // Node.js lines age by end-of-life date (runtimes.json), which outranks "newest release".
    const line = /(\d+)/.exec(node.version ?? node.specifier)?.[1];
    const eol = line ? knowledge.runtimes.find((fact) => fact.runtime === 'nodejs' && fact.line === line) : undefined;
    const past = eol !== undefined && eol.eol < knowledge.today;
    add('nodejs', node, past && eol ? { notes: [`Node.js ${line} reached end of life on ${eol.eol}`], status: 'broken', evidence: { kind: 'upstream', source: eol.source, checked: eol.checked } } : {});
  }

  const combination = fingerprint(rows);
  const run = runs
    .filter((candidate) => candidate.family === deps.family.name && candidate.status === 'ok' && candidate.tests.length > 0 && candidate.tests.every((test) => test.ok) && candidate.combination === combination)
    .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))[0];
  if (run) {
    for (const row of rows) {
      if (row.status !== 'unpinned') {
        row.evidence = { kind: 'run', id: run.id, finishedAt: run.finishedAt };
      }
    }
  }
  return { family: deps.family.name, dockerfile: deps.family.dockerfile, combination, components: rows, pins: pinCounts(deps) };
}

/** Status, newest release and evidence of one component. */
function judge(component: string, dependency: Dependency, knowledge: Knowledge, extra: { notes?: string[]; status?: MatrixStatus; evidence?: MatrixEvidence }): MatrixComponent {
  const notes = [...(extra.notes ?? [])];
  const version = dependency.version;
  let status: MatrixStatus = 'unknown';
  let newest: string | null = null;
  let evidence: MatrixEvidence = extra.evidence ?? { kind: 'none' };
  if (version !== null) {
    const fresh = freshness(knowledge, dependency.ecosystem, dependency.name, version);
    if (fresh) {
      newest = fresh.lineLatest && fresh.lineLatest.version !== fresh.fact.version ? `${fresh.fact.version} (${fresh.lineLatest.line}: ${fresh.lineLatest.version})` : fresh.fact.version;
      status = fresh.behind ? 'outdated' : 'ok';
      if (fresh.behind) {
        notes.push(`${fresh.distance} behind ${fresh.target}`);
      }
      evidence = { kind: 'upstream', source: fresh.fact.source, checked: fresh.fact.checked };
    }
    const advisories = advisoriesFor(knowledge, dependency.ecosystem, dependency.name, version);
    if (advisories.length > 0) {
      notes.push(`advisories: ${advisories.map((advisory) => advisory.id).join(', ')}`);
      const worst = worstAdvisory(advisories);
      status = worst === 'critical' || worst === 'high' ? 'broken' : status === 'ok' || status === 'unknown' ? 'outdated' : status;
    }
  } else {
    status = 'unpinned';
  }
  // Incompatibilities found by the callers (companions, channel, bundles) break the combination.
  if ((extra.notes ?? []).length > 0 && status !== 'unpinned') {
    status = 'broken';
  }
  if (extra.status) {
    status = extra.status;
  }
  return {
    component,
    name: dependency.name,
    pinned: version,
    specifier: version === null ? dependency.specifier : '',
    newest,
    status,
    notes,
    evidence,
    file: dependency.versionAt.file,
    line: dependency.versionAt.range.start.line,
  };
}

function fingerprint(rows: readonly MatrixComponent[]): string {
  const text = rows.map((row) => `${row.component}=${row.pinned ?? row.specifier}`).sort().join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function pinCounts(deps: FamilyDependencies): Partial<Record<Ecosystem, PinCounts>> {
  const counts: Partial<Record<Ecosystem, PinCounts>> = {};
  const seen = new Set<string>();
  for (const dependency of deps.dependencies) {
    const key = `${dependency.ecosystem}:${dependency.name}:${dependency.file}:${dependency.range.start.line}`;
    if (seen.has(key) || dependency.via === 'constraints') {
      continue;
    }
    seen.add(key);
    const entry = counts[dependency.ecosystem] ?? { exact: 0, range: 0, unpinned: 0, reference: 0 };
    entry[dependency.pin] += 1;
    counts[dependency.ecosystem] = entry;
  }
  return counts;
}

/** The matrix as JSON (`schemaVersion: 1`). */
export function renderMatrixJson(matrix: Matrix): string {
  return `${JSON.stringify(matrix, null, 2)}\n`;
}

function evidenceText(evidence: MatrixEvidence): string {
  switch (evidence.kind) {
    case 'upstream':
      return `upstream table (${evidence.source}, checked ${evidence.checked})`;
    case 'run':
      return `validated by run ${evidence.id}`;
    case 'none':
      return '-';
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The matrix as Markdown: one table per family, then its pin counts. */
export function renderMatrixMarkdown(matrix: Matrix): string {
  const lines: string[] = ['# Compatibility matrix', '', `Facts as of ${matrix.knowledgeChecked} (baseimg knowledge); statuses: ok, outdated, broken, unknown, unpinned.`, ''];
  for (const family of matrix.families) {
    lines.push(`## ${family.family}`, '', `Dockerfile: \`${family.dockerfile}\`; combination \`${family.combination}\``, '');
    if (family.components.length === 0) {
      lines.push('No known component found.', '');
    } else {
      lines.push('| component | pinned | newest known | status | notes | evidence | where |', '| --- | --- | --- | --- | --- | --- | --- |');
      for (const row of family.components) {
        const pinned = row.pinned ?? (row.specifier ? `(${row.specifier})` : 'unpinned');
        const shown = row.component === row.name || row.component === 'torch channel' ? pinned : `${row.name} ${pinned}`;
        const pinnedCell = row.component === 'torch channel' && row.specifier ? `${pinned} (${row.specifier})` : shown;
        lines.push(`| ${cell(row.component)} | ${cell(pinnedCell)} | ${cell(row.newest ?? '-')} | ${row.status} | ${cell(row.notes.join('; ') || '-')} | ${cell(evidenceText(row.evidence))} | ${row.file}:${row.line} |`);
      }
      lines.push('');
    }
    const pins = Object.entries(family.pins)
      .map(([ecosystem, counts]) => `${ecosystem}: ${counts.exact} pinned, ${counts.range} ranged, ${counts.unpinned} unpinned${counts.reference > 0 ? `, ${counts.reference} URL` : ''}`)
      .join('; ');
    lines.push(`Pins: ${pins || 'none'}`, '');
  }
  for (const note of matrix.notes) {
    lines.push(`Note: ${note}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
