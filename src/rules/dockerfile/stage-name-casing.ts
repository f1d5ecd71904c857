// Why: BuildKit lowercases stage names when it resolves FROM, COPY --from and --target, so
// `AS Builder` works but reads as if case mattered and invites `--target Builder` vs `builder`
// drift between the Dockerfile and CI. BuildKit check StageNameCasing
// (https://docs.docker.com/reference/build-checks/stage-name-casing/).
import type { Dockerfile, Stage } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import type { Fix, TextEdit } from '../finding.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const stageNameCasing = defineRule({
  id: 'dockerfile/stage-name-casing',
  meta: {
    title: 'Stage name not lowercase',
    severity: 'warning',
    rationale:
      'Stage names are case-insensitive in BuildKit: it lowercases them before matching FROM, COPY --from, RUN --mount from= and --target. A mixed-case name such as `AS CudaDevel` therefore suggests a distinction that does not exist, and multi-stage CUDA/PyTorch Dockerfiles that CI builds with several --target values end up spelling the same stage two ways in the Dockerfile, the workflow and the bake file.',
    remediation: 'Write stage names in lowercase (`AS cuda-devel`), and use the same spelling wherever the stage is referenced.',
    fixable: 'safe',
    buildkitCheck: 'StageNameCasing',
  },
  hooks: {
    stage(stage, ctx) {
      if (!stage.name || !stage.nameRange || stage.name === stage.name.toLowerCase()) {
        return;
      }
      const lower = stage.name.toLowerCase();
      ctx.report({
        at: stage.nameRange,
        message: `stage name ${quote(stage.name)} should be lowercase: write ${quote(lower)}`,
        fix: renameFix(ctx.dockerfile, stage, lower),
      });
    },
  },
});

/** Lowercases the stage name and every literal reference to it in the file (they match case-insensitively, so nothing changes for BuildKit). */
function renameFix(dockerfile: Dockerfile, stage: Stage, lower: string): Fix {
  const ranges: Range[] = [];
  if (stage.nameRange) {
    ranges.push(stage.nameRange);
  }
  const name = stage.name ?? '';
  for (const other of dockerfile.stages) {
    if (other.base.stage === stage && other.base.raw === name) {
      ranges.push(other.base.range);
    }
    for (const instruction of other.instructions) {
      for (const flag of instruction.flags) {
        const value = flag.name === 'from' ? flag.value : flag.name === 'mount' ? (flag.options.get('from') ?? null) : null;
        if (value !== name) {
          continue;
        }
        const start = dockerfile.lines.offsetAt(flag.range.start);
        const text = dockerfile.text.slice(start, dockerfile.lines.offsetAt(flag.range.end));
        const at = flag.name === 'from' ? text.lastIndexOf(name) : text.search(new RegExp(`(?<=from=)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=,|$)`));
        if (at >= 0) {
          const position = dockerfile.lines.positionAt(start + at);
          ranges.push({ start: position, end: { line: position.line, column: position.column + name.length } });
        }
      }
    }
  }
  const edits: TextEdit[] = ranges.map((range) => ({
    file: dockerfile.path,
    start: dockerfile.lines.offsetAt(range.start),
    end: dockerfile.lines.offsetAt(range.end),
    newText: lower,
  }));
  return { description: `rename stage to ${quote(lower)}`, safety: 'safe', edits };
}
