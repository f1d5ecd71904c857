/**
 * The necessity audit (PLAN.md A2/B2): every apt and pip package an image family's final image
 * installs, classified as required-runtime, build-only, optional-by-profile or unused, with the
 * evidence for the class. Pure over the Repo model and the use sites the caller read; sizes come
 * from a bench run record's SBOM when one exists.
 *
 * Evidence of use is a package's commands or import names appearing in a use site: the image
 * tests, the entrypoint, and configured workload files. It is found by matching words, not by
 * parsing Python: a name in a string (`importlib.import_module("cv2")`, a list of modules to
 * check) is as much a use as an `import` statement, and a false "used" only keeps a package,
 * while a false "unused" would invite removing something needed.
 */
import picomatch from 'picomatch';
import { posix } from 'node:path';
import type { Dockerfile, Stage } from '../parse/dockerfile.js';
import { normalizeName } from '../parse/requirements.js';
import { aptPackages, invocations, isAptInstall } from '../parse/shell-query.js';
import type { DockerfileEntry, ImageFamily, Repo } from '../repo/repo.js';
import { aptPackageName, buildPackageKind } from '../rules/lib/build-packages.js';
import { pipPackages } from '../rules/lib/pip-packages.js';
import type { UsageFacts } from '../knowledge/usage.schema.js';

/** The four classes of PLAN.md A2/B2. */
export type NecessityClass = 'required-runtime' | 'build-only' | 'optional-by-profile' | 'unused';

/** A file whose words count as use of packages. */
export interface UseSite {
  /** Repository-relative path. */
  file: string;
  text: string;
  /** Why it is a use site: `image test`, `entrypoint`, `workload`. */
  role: string;
}

/** One package of one family, classified. */
export interface AuditEntry {
  family: string;
  ecosystem: 'apt' | 'pypi';
  name: string;
  /** The pinned version, when the install pins one. */
  version: string | null;
  class: NecessityClass;
  /** Why it got its class, most telling first. */
  evidence: string[];
  /** Where it is installed. */
  file: string;
  line: number;
  /** Installed size from a run record's SBOM, when known. */
  sizeBytes: number | null;
  /** Why it is a heavy inclusion (Docker Engine, Node.js, ...), when it is one. */
  heavy: string | null;
}

/** What the audit needs besides the model. */
export interface AuditInput {
  usage: UsageFacts;
  useSites: readonly UseSite[];
  /** Sizes by `apt:<name>` / `pypi:<normalised name>`, from a run record. */
  sizes?: ReadonlyMap<string, number>;
  /** The run record the sizes came from, for the evidence text. */
  sizesFrom?: string | null;
}

interface Installed {
  ecosystem: 'apt' | 'pypi';
  name: string;
  version: string | null;
  file: string;
  line: number;
  stage: Stage;
}

/** The Dockerfile entry of a family. */
function familyEntry(repo: Repo, family: ImageFamily): DockerfileEntry | undefined {
  return repo.dockerfiles.find((entry) => entry.dockerfile.path === family.dockerfile);
}

/** The stage the family builds: its target, else the last one. */
function targetStage(dockerfile: Dockerfile, family: ImageFamily): Stage | undefined {
  const stages = dockerfile.stages;
  return (family.target ? stages.find((stage) => stage.name === family.target) : undefined) ?? stages.at(-1);
}

/** The stage and the stages it is built FROM: their layers are the image's layers. */
function lineage(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let current: Stage | null = stage; current && !chain.includes(current); current = current.base.stage) {
    chain.push(current);
  }
  return chain;
}

/** apt and pip packages installed in the layers of the family's image. */
function installed(repo: Repo, entry: DockerfileEntry, target: Stage): Installed[] {
  const shipping = new Set(lineage(target));
  const found: Installed[] = [];
  for (const stage of shipping) {
    for (const instruction of stage.instructions) {
      if (instruction.kind !== 'run') {
        continue;
      }
      for (const call of invocations(instruction.shell)) {
        if (!isAptInstall(call)) {
          continue;
        }
        for (const word of aptPackages(call)) {
          // `libnvinfer10=${TENSORRT_VERSION}` has no static value, but its name part is literal.
          const written = word.value ?? word.text;
          const name = aptPackageName(written);
          if (name === '' || name.includes('$')) {
            continue;
          }
          const version = written.includes('=') ? written.slice(written.indexOf('=') + 1) : null;
          found.push({ ecosystem: 'apt', name, version, file: entry.dockerfile.path, line: word.range.start.line, stage });
        }
      }
    }
  }
  for (const pip of pipPackages(repo, entry)) {
    // A virtual environment built in another stage and copied in ships too; installs in stages
    // whose files never reach the image do not.
    if (!shipping.has(pip.stage) && !copiedIntoImage(pip.stage, shipping)) {
      continue;
    }
    const exact = pip.requirement.clauses.find((clause) => clause.kind === 'exact');
    found.push({ ecosystem: 'pypi', name: normalizeName(pip.requirement.name), version: exact?.version ?? null, file: pip.file, line: pip.range.start.line, stage: pip.stage });
  }
  return dedupe(found);
}

function copiedIntoImage(stage: Stage, shipping: ReadonlySet<Stage>): boolean {
  return [...shipping].some((shipped) => shipped.instructions.some((instruction) => (instruction.kind === 'copy' || instruction.kind === 'add') && instruction.fromStage === stage));
}

function dedupe(found: Installed[]): Installed[] {
  const seen = new Map<string, Installed>();
  for (const item of found) {
    const key = `${item.ecosystem}:${item.name}`;
    // The last install wins: a later `pip install x==2` replaces an earlier one.
    seen.set(key, item);
  }
  return [...seen.values()];
}

/** A word and where it first appears, per use site. */
interface WordIndex {
  first: Map<string, { file: string; line: number; role: string }>;
}

function indexWords(sites: readonly UseSite[]): WordIndex {
  const first = new Map<string, { file: string; line: number; role: string }>();
  for (const site of sites) {
    site.text.split('\n').forEach((text, index) => {
      for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_.+-]*/g)) {
        // `paho.mqtt.client` names the `paho` package; `ffmpeg.exe`-like suffixes do not occur here.
        const words = [match[0], match[0].split('.')[0]!];
        for (const word of words) {
          if (!first.has(word)) {
            first.set(word, { file: site.file, line: index + 1, role: site.role });
          }
        }
      }
    });
  }
  return { first };
}

/** Names by which code uses a package: commands for apt packages, import names for pip ones. */
function useNames(item: Installed, usage: UsageFacts): string[] {
  if (item.ecosystem === 'apt') {
    const commands = usage.commands.filter((fact) => fact.package === item.name).flatMap((fact) => fact.commands);
    // python3-<module> packages (python3-numpy) are used by importing the module.
    const module = /^python3-(.+)$/.exec(item.name)?.[1]?.replace(/-/g, '_');
    return [...new Set([item.name, ...commands, ...(module ? [module] : [])])];
  }
  const modules = usage.imports.filter((fact) => fact.distributions.some((distribution) => normalizeName(distribution) === item.name)).map((fact) => fact.module);
  return [...new Set([item.name.replace(/-/g, '_'), ...modules])];
}

function heavyReason(name: string, usage: UsageFacts): string | null {
  return usage.heavy.find((fact) => picomatch.isMatch(name, fact.package))?.what ?? null;
}

function runtimeData(name: string, usage: UsageFacts): string | null {
  return usage.runtimeData.find((fact) => picomatch.isMatch(name, fact.package))?.what ?? null;
}

function profileOf(repo: Repo, name: string): string | null {
  for (const [profile, patterns] of Object.entries(repo.config.audit?.profiles ?? {})) {
    if (patterns.some((pattern) => picomatch.isMatch(name, pattern, { nocase: true }))) {
      return profile;
    }
  }
  return null;
}

/** Later RUNs of the image that call the package's commands: use while building, not at run time. */
function buildTimeUse(item: Installed, names: readonly string[], target: Stage): string | null {
  for (const stage of lineage(target).reverse()) {
    for (const instruction of stage.instructions) {
      if (instruction.kind !== 'run' || instruction.range.start.line <= item.line && stage === item.stage) {
        continue;
      }
      for (const call of invocations(instruction.shell)) {
        const program = call.program ? posix.basename(call.program) : null;
        if (program && names.includes(program)) {
          return `${program} is called while building (RUN at line ${instruction.range.start.line})`;
        }
        // `python3 -m pip install ...` uses python3-pip.
        const module = program && /^python[\d.]*$/.test(program) && call.args[0]?.value === '-m' ? call.args[1]?.value : null;
        if (module && names.includes(module)) {
          return `python -m ${module} runs while building (RUN at line ${instruction.range.start.line})`;
        }
      }
    }
  }
  return null;
}

/** Classifies every package of one family. */
export function auditFamily(repo: Repo, family: ImageFamily, input: AuditInput): AuditEntry[] {
  const entry = familyEntry(repo, family);
  const target = entry ? targetStage(entry.dockerfile, family) : undefined;
  if (!entry || !target) {
    return [];
  }
  const words = indexWords(input.useSites);
  const sizeNote = input.sizesFrom ? ` (size from ${input.sizesFrom})` : '';
  return installed(repo, entry, target).map((item): AuditEntry => {
    const names = useNames(item, input.usage);
    const evidence: string[] = [];
    let kind: NecessityClass;
    const profile = profileOf(repo, item.name);
    const used = names.map((name) => ({ name, at: words.first.get(name) })).find((candidate) => candidate.at !== undefined);
    const buildKind = item.ecosystem === 'apt' ? buildPackageKind(item.name) : null;
    if (profile) {
      kind = 'optional-by-profile';
      evidence.push(`listed in the "${profile}" profile (config audit.profiles)`);
    } else if (used?.at) {
      kind = 'required-runtime';
      evidence.push(`"${used.name}" is used in ${used.at.file}:${used.at.line} (${used.at.role})`);
    } else if (buildKind) {
      kind = 'build-only';
      evidence.push(buildKind === 'headers' ? 'development files (headers, static libraries): needed to compile, not to run' : buildKind === 'toolchain' ? 'compiler or build tool in the final image' : 'version control in the final image');
    } else if (item.ecosystem === 'apt' && runtimeData(item.name, input.usage)) {
      kind = 'required-runtime';
      evidence.push(`runtime data: ${runtimeData(item.name, input.usage)}`);
    } else if (item.ecosystem === 'apt' && /^lib/.test(item.name)) {
      // Shared libraries are loaded by compiled code, which word matching cannot see; calling one
      // unused would be a guess.
      kind = 'required-runtime';
      evidence.push('shared library: assumed needed by native code (not verified by a use site)');
    } else {
      const atBuild = buildTimeUse(item, names, target);
      if (atBuild) {
        kind = 'build-only';
        evidence.push(atBuild);
      } else {
        kind = 'unused';
        evidence.push(`no use of ${names.map((name) => `"${name}"`).join(', ')} in ${input.useSites.length === 0 ? 'any use site (none found: add image tests or audit.workloads)' : 'the image tests, entrypoint or workloads'}`);
      }
    }
    const size = input.sizes?.get(`${item.ecosystem}:${item.name}`) ?? null;
    if (size !== null && sizeNote) {
      evidence.push(`installed size ${size} bytes${sizeNote}`);
    }
    return { family: family.name, ecosystem: item.ecosystem, name: item.name, version: item.version, class: kind, evidence, file: item.file, line: item.line, sizeBytes: size, heavy: heavyReason(item.name, input.usage) };
  }).sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name));
}

/** The files that count as use sites for a family: its test command's script, image_testing/, the entrypoint, workloads. */
export function useSitePaths(repo: Repo, family: ImageFamily, workloadFiles: readonly string[]): { file: string; role: string }[] {
  const paths = new Map<string, string>();
  const testScript = family.test?.trim().split(/\s+/)[0];
  if (testScript) {
    paths.set(posix.normalize(testScript.replace(/^\.\//, '')), 'image test');
  }
  for (const script of repo.scripts) {
    if (script.path.startsWith('image_testing/') || script.path.includes('/image_testing/')) {
      paths.set(script.path, 'image test');
    }
  }
  const entry = familyEntry(repo, family);
  const target = entry ? targetStage(entry.dockerfile, family) : undefined;
  if (entry && target) {
    for (const name of entrypointNames(target)) {
      for (const script of repo.scripts) {
        if (posix.basename(script.path) === name) {
          paths.set(script.path, 'entrypoint');
        }
      }
    }
  }
  for (const file of workloadFiles) {
    paths.set(file, 'workload');
  }
  return [...paths].map(([file, role]) => ({ file, role }));
}

/** Basenames of the programs ENTRYPOINT and CMD of the image name. */
function entrypointNames(target: Stage): string[] {
  const names: string[] = [];
  for (const stage of lineage(target)) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ENTRYPOINT' || instruction.keyword === 'CMD') {
        const first = instruction.jsonForm ? instruction.jsonArgs[0] : instruction.args[0]?.value;
        if (first) {
          names.push(posix.basename(first));
        }
      }
    }
  }
  return names;
}
