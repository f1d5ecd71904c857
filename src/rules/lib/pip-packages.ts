/**
 * The Python packages a Dockerfile installs with pip or uv, read as PEP 508 requirements: the
 * words of `pip install` in RUN (with build ARGs expanded from the RUN's scope) and the lines of the
 * requirements files it installs with `-r` / constrains with `-c` (followed through the COPY or bind
 * mount that put them in the image). Cross-file rules (compat/*) ask "which version of X does this
 * image pin, and where".
 */
import type { Dockerfile, RunInstruction, Stage } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';
import type { Range } from '../../parse/locations.js';
import { parseRequirements, type Requirement } from '../../parse/requirements.js';
import type { ShellWord } from '../../parse/shell.js';
import { invocations, pipInstall, pipRequirements } from '../../parse/shell-query.js';
import type { DockerfileEntry, Repo } from '../../repo/repo.js';
import { contextFileAt } from './image-files.js';

/** One package a Dockerfile installs with pip, with where its requirement is written. */
export interface PipPackage {
  requirement: Requirement;
  /** The file that holds the requirement: the Dockerfile, or a requirements file. */
  file: string;
  range: Range;
  /** Build ARG/ENV names the requirement's text expanded (`TENSORRT_VERSION`). */
  variables: string[];
  /** The requirement as written before expansion. */
  written: string;
  stage: Stage;
  run: RunInstruction;
  via: 'run' | 'requirements' | 'constraints';
}

const FILE_FLAGS: Record<string, 'requirements' | 'constraints'> = {
  '-r': 'requirements',
  '--requirement': 'requirements',
  '-c': 'constraints',
  '--constraint': 'constraints',
};

/** The text of a shell word with quotes removed and Dockerfile variables expanded from `run`'s scope. */
function expandedWord(word: ShellWord, run: RunInstruction, escape: string): { text: string; variables: string[] } {
  const raw = word.value ?? word.text.replace(/^(["'])(.*)\1$/s, '$2').replace(/"/g, '');
  const expansion = expand(raw, run.scope, escape);
  return { text: expansion.value, variables: expansion.references.map((reference) => reference.name) };
}

/** Every package the Dockerfile's RUNs install with pip/uv, in file order. */
export function pipPackages(repo: Repo, entry: DockerfileEntry): PipPackage[] {
  const dockerfile: Dockerfile = entry.dockerfile;
  const packages: PipPackage[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.kind !== 'run' || !instruction.stage || !instruction.shell) {
      continue;
    }
    const run = instruction;
    const stage = instruction.stage;
    for (const call of invocations(run.shell)) {
      const install = pipInstall(call);
      if (!install) {
        continue;
      }
      for (const word of pipRequirements(install)) {
        const { text, variables } = expandedWord(word, run, dockerfile.escape);
        const requirement = parseRequirements(dockerfile.path, text).requirements[0];
        if (requirement) {
          packages.push({ requirement, file: dockerfile.path, range: word.range, variables, written: word.value ?? word.text, stage, run, via: 'run' });
        }
      }
      for (let i = 0; i < install.args.length; i++) {
        const value = install.args[i]?.value ?? '';
        const [flag = '', inline] = value.split(/=(.*)/s);
        const kind = FILE_FLAGS[flag];
        if (!kind) {
          continue;
        }
        const pathWord = inline !== undefined ? install.args[i] : install.args[i + 1];
        const imagePath = inline ?? pathWord?.value ?? null;
        if (!imagePath || !pathWord) {
          continue;
        }
        const repoPath = contextFileAt(repo, entry, stage, run, expand(imagePath, run.scope, dockerfile.escape).value);
        const file = repoPath === null ? undefined : repo.requirements.find((candidate) => candidate.path === repoPath);
        for (const requirement of file?.model.requirements ?? []) {
          packages.push({ requirement, file: file?.path ?? repoPath ?? '', range: requirement.range, variables: [], written: requirement.text, stage, run, via: kind });
        }
      }
    }
  }
  return packages;
}
