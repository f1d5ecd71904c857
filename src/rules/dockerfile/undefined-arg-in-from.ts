// Why: FROM can only use ARGs declared before the first FROM (global ARGs) and the automatic
// platform ARGs; any other `$NAME` is empty there, so `FROM nvidia/cuda:${CUDA}-devel` pulls
// `nvidia/cuda:-devel` or a different image. BuildKit check UndefinedArgInFrom
// (https://docs.docker.com/reference/build-checks/undefined-arg-in-from/).
import { AUTOMATIC_PLATFORM_ARGS, type Dockerfile } from '../../parse/dockerfile.js';
import { closestName, dockerfileVariableReferences, globalArgs, isPlatformArg } from '../lib/variables.js';
import { defineRule } from '../rule.js';

export const undefinedArgInFrom = defineRule({
  id: 'dockerfile/undefined-arg-in-from',
  meta: {
    title: 'FROM uses an ARG that is not declared before it',
    severity: 'warning',
    rationale:
      'Base-image Dockerfiles parameterise FROM heavily (`FROM nvidia/cuda:${CUDA_VERSION}-cudnn-devel-${UBUNTU}`). Only ARGs declared above the first FROM are visible there; an ARG declared inside a stage, or a name that is simply misspelt, expands to an empty string, so the build either fails on an invalid reference or, worse, pulls a different existing tag than the one CI thinks it builds.',
    remediation: 'Declare the ARG above the first FROM (`ARG CUDA_VERSION=12.4.1`), with a default, and check the spelling of the name in FROM.',
    buildkitCheck: 'UndefinedArgInFrom',
  },
  hooks: {
    stage(stage, ctx) {
      const globals = globalArgs(ctx.dockerfile);
      const lines = ctx.dockerfile.lines;
      const words: { text: string; start: number }[] = [];
      const image = stage.from.args[0];
      if (image) {
        words.push({ text: image.value, start: lines.offsetAt(image.range.start) });
      }
      const platform = stage.from.flags.find((flag) => flag.name === 'platform');
      if (platform?.value) {
        const flagStart = lines.offsetAt(platform.range.start);
        const flagText = ctx.dockerfile.text.slice(flagStart, lines.offsetAt(platform.range.end));
        words.push({ text: platform.value, start: flagStart + flagText.indexOf('=') + 1 });
      }
      const reported = new Set<string>();
      for (const word of words) {
        for (const reference of dockerfileVariableReferences(word.text, ctx.dockerfile.escape)) {
          const name = reference.name;
          if (globals.has(name) || isPlatformArg(name) || reported.has(name)) {
            continue;
          }
          reported.add(name);
          const suggestion = closestName(name, [...globals.keys(), ...AUTOMATIC_PLATFORM_ARGS]);
          const inStage = stageDeclaration(ctx.dockerfile, name);
          const advice = suggestion
            ? ` (did you mean "$${suggestion}"?)`
            : inStage
              ? `: it is declared on line ${inStage.line} inside stage "${inStage.stage}", which FROM lines do not see; move "ARG ${name}" above the first FROM`
              : `: declare "ARG ${name}=<default>" above the first FROM`;
          const at = lines.positionAt(word.start + reference.start);
          ctx.report({
            at: { start: at, end: { line: at.line, column: at.column + (reference.end - reference.start) } },
            message: `FROM uses "$${name}", which no ARG above the first FROM declares, so it expands to an empty string${advice}`,
          });
        }
      }
    },
  },
});

/** The first ARG of that name declared inside a stage, for the "move it up" advice. */
function stageDeclaration(dockerfile: Dockerfile, name: string): { line: number; stage: string } | null {
  for (const stage of dockerfile.stages) {
    for (const instruction of stage.instructions) {
      const declaration = instruction.kind === 'arg' ? instruction.declarations.find((candidate) => candidate.name === name) : undefined;
      if (declaration) {
        return { line: declaration.range.start.line, stage: stage.label };
      }
    }
  }
  return null;
}
