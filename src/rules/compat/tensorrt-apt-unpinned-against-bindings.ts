// Why: the TensorRT Python bindings wheel (`tensorrt-cu12-bindings`) carries no libraries; it loads
// `libnvinfer.so.<major>` through the normal loader search, so with apt-installed system libraries
// the bindings run against whatever TensorRT build apt picked. The loader only checks the SONAME
// major: a minor or build mismatch shows up later as missing symbols or wrong results. Unpinned apt
// installs take the newest build in the CUDA repository (even a `+cuda13.x` one, NVIDIA/TensorRT#4545),
// so the apt packages must be pinned to the bindings' exact X.Y.Z.B version
// (research/ml-stack-facts.md, sections 2.2 and 2.3; PLAN.md section 1.3 and A1).
import type { DockerInstruction, Dockerfile, RunInstruction, Stage } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import type { ShellWord } from '../../parse/shell.js';
import { aptPackages, invocations, isAptInstall } from '../../parse/shell-query.js';
import type { RelatedLocation } from '../finding.js';
import { quote } from '../lib/helpers.js';
import { pipPackages, type PipPackage } from '../lib/pip-packages.js';
import { stageChain } from '../lib/variables.js';
import { defineRule } from '../rule.js';

// apt packages that hold TensorRT libraries or bindings (TRT 10 and 11 names: libnvinfer10,
// libnvinfer-plugin10, libnvonnxparsers10, libnvinfer-lean10, libnvinfer-bin, python3-libnvinfer,
// the `tensorrt` metapackage and its -dev/-libs variants).
const TRT_APT = /^(libnvinfer[a-z0-9*-]*|libnvonnxparsers[a-z0-9*-]*|libnvparsers[a-z0-9*-]*|python3-libnvinfer[a-z0-9*-]*|tensorrt(-dev|-libs)?)$/;

// pip distributions that pin a TensorRT runtime version (normalised names): the `tensorrt`
// metapackage, the per-CUDA frontends, their bindings and their bundled-libs wheels.
const TRT_PIP = /^tensorrt(-cu\d+)?(-bindings|-libs)?$/;

interface AptInstall {
  run: RunInstruction;
  stage: Stage;
  range: Range;
  unpinned: ShellWord[];
}

export const tensorrtAptUnpinnedAgainstBindings = defineRule({
  id: 'compat/tensorrt-apt-unpinned-against-bindings',
  meta: {
    title: 'TensorRT system libraries from apt unpinned while pip pins the TensorRT bindings',
    severity: 'error',
    rationale:
      'GPU images often install TensorRT twice: the C++ libraries from NVIDIA\'s CUDA apt repository (libnvinfer10, libnvinfer-plugin10, libnvonnxparsers10) and the Python bindings from pip, pinned to an exact version such as tensorrt-cu12-bindings==10.14.1.48.post1. The bindings load whatever libnvinfer the system has, and the dynamic loader only checks the major version, so an unpinned apt install that resolves to a newer 10.x build, or to the CUDA 13 variant of the same version, yields an image that builds fine and then fails with missing symbols, engine deserialisation errors or silent numeric differences. Serialized TensorRT engines are also tied to the exact runtime version.',
    remediation:
      'Pin every TensorRT apt package to the bindings\' version and CUDA build (`libnvinfer10=10.14.1.48-1+cuda12.9 libnvinfer-plugin10=10.14.1.48-1+cuda12.9 ...`) and `apt-mark hold` them, or drop the apt libraries and install the matching `tensorrt-cu12-libs` wheel (or the `tensorrt-cu12` frontend) with pip instead.',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const pinned = pipPackages(ctx.repo, ctx.entry).filter(isPinnedTensorrt);
      if (pinned.length === 0) {
        return;
      }
      for (const install of unpinnedAptInstalls(dockerfile.instructions)) {
        // The bindings must load these libraries: same stage, or one built on the other.
        const binding = pinned.find((candidate) => related(candidate.stage, install.stage));
        if (!binding) {
          continue;
        }
        const version = binding.requirement.clauses.find((clause) => clause.kind === 'exact')?.version ?? '';
        const runtime = runtimeVersion(version);
        const cuda = /-cu(\d+)/.exec(binding.requirement.normalizedName)?.[1];
        const buildHint = runtime ? `${runtime}-1+cuda${cuda ?? '<major>'}.<minor>` : '<version>';
        const names = install.unpinned.map((word) => quote(word.value ?? word.text)).join(', ');
        const where = binding.file === dockerfile.path ? `line ${binding.range.start.line}` : `${binding.file}:${binding.range.start.line}`;
        ctx.report({
          at: install.range,
          message: `apt installs TensorRT libraries ${names} without a version while pip pins ${binding.requirement.name}==${version} (${where}); apt takes the newest TensorRT build in the repository, which must be ${runtime ?? version}: pin each package to the same "${buildHint}" build and apt-mark hold them`,
          related: relatedLocations(dockerfile, binding, version),
        });
      }
    },
  },
});

/** A pip requirement of a TensorRT distribution pinned with `==`/`===`. */
function isPinnedTensorrt(pkg: PipPackage): boolean {
  return TRT_PIP.test(pkg.requirement.normalizedName) && pkg.requirement.clauses.some((clause) => clause.kind === 'exact');
}

/** apt installs that name TensorRT packages without `=version`, one entry per install command. */
function unpinnedAptInstalls(instructions: readonly DockerInstruction[]): AptInstall[] {
  const installs: AptInstall[] = [];
  for (const instruction of instructions) {
    if (instruction.kind !== 'run' || !instruction.stage || !instruction.shell) {
      continue;
    }
    for (const call of invocations(instruction.shell)) {
      if (!isAptInstall(call)) {
        continue;
      }
      const unpinned = aptPackages(call).filter((word) => {
        const text = word.value ?? word.text;
        // `pkg=version` (a variable counts: the version is decided in the Dockerfile) is pinned.
        return !text.includes('=') && TRT_APT.test(text);
      });
      if (unpinned.length > 0) {
        installs.push({ run: instruction, stage: instruction.stage, range: call.command.range, unpinned });
      }
    }
  }
  return installs;
}

/** True when one stage is, or is built on, the other. */
function related(a: Stage, b: Stage): boolean {
  return stageChain(a).includes(b) || stageChain(b).includes(a);
}

/** `10.14.1.48.post1` -> `10.14.1.48`: pip `.postN` releases republish the same runtime build. */
function runtimeVersion(version: string): string | null {
  return /^(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? null;
}

/** The pip pin and, when the version comes from a build ARG, the ARG that sets it. */
function relatedLocations(dockerfile: Dockerfile, binding: PipPackage, version: string): RelatedLocation[] {
  const related: RelatedLocation[] = [
    { file: binding.file, range: binding.range, message: `pip pins ${binding.requirement.name}==${version} here` },
  ];
  // The declarations with a value that the RUN can see: global ARGs, then the stage lineage's.
  const visible = [...dockerfile.globalArgs, ...[...stageChain(binding.stage)].reverse().flatMap((stage) => stage.instructions)];
  for (const name of binding.variables) {
    let last: RelatedLocation | null = null;
    for (const instruction of visible) {
      if (instruction.kind !== 'arg' || instruction.range.start.line > binding.run.range.start.line) {
        continue;
      }
      const declaration = instruction.declarations.find((candidate) => candidate.name === name && candidate.value !== undefined);
      if (declaration) {
        last = { file: dockerfile.path, range: declaration.range, message: `${name} is set here` };
      }
    }
    if (last) {
      related.push(last);
    }
  }
  return related;
}
