// Why: a `$NAME` that nothing declares expands to an empty string without any error, so `COPY
// dist/$VERSION/ /opt/` copies the wrong folder and `RUN pip install torch==$TORCH_VERSION`
// installs whatever is newest. BuildKit check UndefinedVar
// (https://docs.docker.com/reference/build-checks/undefined-var/) knows the base image's ENV;
// review does not, so for a stage built on an external image it reports only what is certain or
// nearly so:
//   (a) a global ARG (or an automatic platform ARG such as TARGETARCH) the stage does not
//       re-declare: ARGs before the first FROM are only visible to FROM lines
//       (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact),
//       also in RUN bodies, where the shell sees an empty variable;
//   (b) a name within two edits of a declared one ("did you mean");
// and for a stage whose chain of local base stages starts from scratch, any undeclared name.
import type { Dockerfile, DockerInstruction, Stage } from '../../parse/dockerfile.js';
import type { Position } from '../../parse/locations.js';
import type { Fix } from '../finding.js';
import { insertFix } from '../lib/helpers.js';
import {
  baseStageNames,
  closestName,
  dockerfileVariableReferences,
  globalArgs,
  isPlatformArg,
  shellAssignedNames,
  shellPositions,
  shellVariableReferences,
  stageChain,
  startsFromScratch,
} from '../lib/variables.js';
import { defineRule } from '../rule.js';

// Always present at build time: BuildKit sets PATH when the image lacks it, and HOME comes from the user.
const ALWAYS_SET = new Set(['PATH', 'HOME']);
// The non-RUN instructions whose arguments BuildKit expands (ARG defaults are handled apart, as in BuildKit).
const EXPANDING = new Set(['ENV', 'COPY', 'ADD', 'WORKDIR', 'LABEL', 'USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL']);
// `${NAME:-word}` and friends say what happens when NAME is unset: the author planned for it.
const HANDLES_UNSET = /^:?[-+=]$/;

interface Reference {
  name: string;
  at: Position;
  modifier: string | null;
}

export const undefinedVar = defineRule({
  id: 'dockerfile/undefined-var',
  meta: {
    title: 'Variable used but not declared in the stage',
    severity: 'warning',
    rationale:
      'Dockerfile variables that are not declared expand to an empty string without any error. The classic case in base-image repositories is a global `ARG CUDA_VERSION=12.4.1` used by FROM and then again inside the stage without re-declaring it: there it is empty, so a wheel index URL, a download path or a `pip install torch==${TORCH_VERSION}` silently resolves to something else than the pinned version, and the image builds anyway.',
    remediation: 'Re-declare global ARGs inside each stage that uses them (`ARG CUDA_VERSION` right after FROM takes the global default), declare other variables with ARG or ENV before use, and fix misspelt names.',
    fixable: 'unsafe',
    buildkitCheck: 'UndefinedVar',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const globals = globalArgs(dockerfile);
      for (const stage of dockerfile.stages) {
        const scratch = startsFromScratch(stage);
        const inherited = baseStageNames(stage);
        const fixed = new Set<string>();
        for (const instruction of stage.instructions) {
          const isRun = instruction.kind === 'run';
          if (!isRun && !EXPANDING.has(instruction.keyword)) {
            continue;
          }
          const assigned = isRun ? runAssigned(instruction) : new Set<string>();
          const seen = new Set<string>();
          for (const reference of references(dockerfile, instruction)) {
            const name = reference.name;
            if (seen.has(name) || ALWAYS_SET.has(name) || instruction.scope.has(name) || inherited.has(name) || assigned.has(name)) {
              continue;
            }
            seen.add(name);
            const global = globals.get(name);
            if (global || isPlatformArg(name)) {
              const kind = global ? `a global ARG (line ${global.line})` : 'an automatic platform ARG';
              const where = isRun ? 'the RUN sees it empty' : 'it expands to an empty string here';
              // `FROM python:${PYTHON_VERSION}` / `FROM nvidia/cuda:${CUDA_VERSION}-...`: images tagged by a
              // version usually export that version as ENV of the same name (python, nvidia/cuda,
              // golang, node do), so the variable is likely set after all, just not by the ARG.
              const tagsBase = global !== undefined && !scratch && rootImageUses(stage, name, dockerfile.escape);
              const caveat = tagsBase
                ? ` unless the base image sets ENV ${name} itself, as images tagged by it often do`
                : global && !scratch ? ' unless the base image sets it as ENV' : '';
              const fallback = !reference.modifier || !HANDLES_UNSET.test(reference.modifier) ? ''
                : reference.modifier.includes('+') ? ` and the "${reference.modifier}" word is dropped` : ` and the "${reference.modifier}" default applies`;
              ctx.report({
                at: { start: reference.at, end: { line: reference.at.line, column: reference.at.column + name.length + 1 } },
                message: `"$${name}" is ${kind} that stage "${stage.label}" does not declare, so ${where}${fallback}${caveat}: add "ARG ${name}" after its FROM`,
                ...(tagsBase ? { severity: 'info' as const } : {}),
                ...(fixed.has(name) ? {} : { fix: declareFix(dockerfile, stage, name) }),
              });
              fixed.add(name);
              continue;
            }
            if (isRun || (reference.modifier && HANDLES_UNSET.test(reference.modifier))) {
              continue;
            }
            const suggestion = closestName(name, [...instruction.scope.keys()].filter((key) => !isPlatformArg(key)).concat([...inherited], [...globals.keys()]));
            const hint = suggestion ? ` (did you mean "$${suggestion}"?)` : '';
            if (!scratch && !suggestion) {
              continue;
            }
            ctx.report({
              at: { start: reference.at, end: { line: reference.at.line, column: reference.at.column + name.length + 1 } },
              message: scratch
                ? `"$${name}" is not declared by ARG or ENV in stage "${stage.label}", which starts from scratch, so it expands to an empty string${hint}`
                : `"$${name}" is not declared by ARG or ENV in stage "${stage.label}"${hint}`,
            });
          }
        }
      }
    },
  },
});

/** The variable references of an instruction, with file positions. */
function references(dockerfile: Dockerfile, instruction: DockerInstruction): Reference[] {
  if (instruction.kind === 'run') {
    // Exec form (`RUN ["a", "$X"]`) is not expanded by Docker, and runs no shell unless asked to.
    if (instruction.jsonForm || !instruction.shell) {
      return [];
    }
    const script = instruction.shell;
    const position = shellPositions(script);
    return shellVariableReferences(script.text).map((reference) => ({ name: reference.name, at: position(reference.start), modifier: reference.modifier }));
  }
  const found: Reference[] = [];
  const lines = dockerfile.lines;
  if (instruction.argsRange) {
    const start = lines.offsetAt(instruction.argsRange.start);
    let text = instruction.argsText;
    const heredoc = instruction.heredocs[0]?.contentRange;
    if (heredoc) {
      // Here-document bodies of COPY are file contents, not arguments.
      text = text.slice(0, Math.max(0, lines.offsetAt({ line: heredoc.start.line, column: 1 }) - start));
    }
    const commentLines = new Set(instruction.embeddedComments.map((comment) => comment.line));
    for (const reference of dockerfileVariableReferences(text, dockerfile.escape, { quotes: !instruction.jsonForm })) {
      const at = lines.positionAt(start + reference.start);
      // Comment lines inside continuations are dropped by Docker before expansion.
      if (!commentLines.has(at.line)) {
        found.push({ name: reference.name, at, modifier: reference.modifier });
      }
    }
  }
  // `COPY --chown=$USER:$GROUP` and `--chmod` are expanded too.
  for (const flag of instruction.flags) {
    if ((flag.name !== 'chown' && flag.name !== 'chmod') || !flag.value) {
      continue;
    }
    const flagStart = lines.offsetAt(flag.range.start);
    const flagText = dockerfile.text.slice(flagStart, lines.offsetAt(flag.range.end));
    const valueStart = flagStart + flagText.indexOf('=') + 1;
    for (const reference of dockerfileVariableReferences(flag.value, dockerfile.escape)) {
      found.push({ name: reference.name, at: lines.positionAt(valueStart + reference.start), modifier: reference.modifier });
    }
  }
  return found.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
}

/** Names a RUN gives values itself: shell assignments, loop variables, `--mount=type=secret,env=NAME`. */
function runAssigned(instruction: DockerInstruction): Set<string> {
  const names = instruction.kind === 'run' && instruction.shell ? shellAssignedNames(instruction.shell.text) : new Set<string>();
  for (const flag of instruction.flags) {
    const env = flag.name === 'mount' ? flag.options.get('env') : undefined;
    if (env) {
      names.add(env);
    }
  }
  return names;
}

/** True when the external image at the root of the stage's chain is named with `$name`. */
function rootImageUses(stage: Stage, name: string, escape: string): boolean {
  const chain = stageChain(stage);
  const root = chain[chain.length - 1] ?? stage;
  return dockerfileVariableReferences(root.base.raw, escape).some((reference) => reference.name === name);
}

/** Inserts `ARG NAME` on the line after the stage's FROM. */
function declareFix(dockerfile: Dockerfile, stage: Stage, name: string): Fix {
  const end = stage.from.range.end;
  const lineEnd = { line: end.line, column: dockerfile.lines.lineText(end.line).length + 1 };
  return insertFix(dockerfile, lineEnd, `\nARG ${name}`, `declare "ARG ${name}" in stage "${stage.label}"`, 'unsafe');
}
