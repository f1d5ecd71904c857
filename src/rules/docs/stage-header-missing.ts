// Why: the documentation gate of the project plan (PLAN.md 6.1, "Stage-level comment template")
// asks every stage to open with a comment block naming the stage, its purpose, its inputs
// (ARG/COPY), its outputs (what later stages copy), why it is built this way, and its risks or
// constraints. The fields are what a reviewer needs to change a stage without reading all of it.
//
// Field labels are matched leniently: case-insensitive, with or without a leading `-`/`*`, with a
// parenthesised note (`Inputs (ARG/COPY):`), and with the longer spellings of the template
// (`Stage name:`, `Why this design was chosen:`, `Main risks/constraints:`).
import type { CommentLine } from '../../parse/dockerfile.js';
import { stageHeader } from '../lib/doc-comments.js';
import { defineRule } from '../rule.js';

/** One field of the stage header template. */
interface HeaderField {
  name: string;
  /** Matches the label (the text before the first colon, normalised). */
  label: RegExp;
}

/** The template's fields, in template order. */
export const STAGE_HEADER_FIELDS: readonly HeaderField[] = [
  { name: 'Stage', label: /^stage( name)?$/ },
  { name: 'Purpose', label: /^purpose$/ },
  { name: 'Inputs', label: /^inputs?$/ },
  { name: 'Outputs', label: /^outputs?$/ },
  { name: 'Why', label: /^(why\b.*|rationale|design rationale)$/ },
  { name: 'Risks', label: /^((main |key )?(risks?|constraints?)((\/| and | & )(risks?|constraints?))?)$/ },
];

export const stageHeaderMissing = defineRule({
  id: 'docs/stage-header-missing',
  meta: {
    title: 'Stage without a complete header comment',
    severity: 'warning',
    rationale:
      'Base-image Dockerfiles grow to hundreds of lines of builder stages (CPython from source, FFmpeg with codecs, CUDA and TensorRT layers) whose reasons live only in the heads of whoever wrote them. A short header per stage that names its purpose, its inputs and the artifacts it hands on, why it is built this way and what can break is what lets the next person change one stage safely, and it is the documentation gate this project reviews merges against.',
    remediation:
      'Put a comment block directly above the stage\'s FROM with one line per field: `# Stage: <name>`, `# Purpose: ...`, `# Inputs (ARG/COPY): ...`, `# Outputs (artifacts copied to next stage): ...`, `# Why this design: ...`, `# Risks/constraints: ...`.',
  },
  hooks: {
    stage(stage, ctx) {
      // `FROM ghcr.io/astral-sh/uv:0.9.5 AS uv` only names an image for COPY --from; it has nothing to document.
      if (stage.instructions.length === 0 && !stage.isFinal) {
        return;
      }
      const header = stageHeader(stage, ctx.dockerfile);
      const at = stage.from.keywordRange;
      if (header.length === 0) {
        ctx.report({
          at,
          message: `stage "${stage.label}" has no header comment; add one above FROM with ${STAGE_HEADER_FIELDS.map((field) => field.name).join(', ')}`,
        });
        return;
      }
      const present = headerFields(header);
      const missing = STAGE_HEADER_FIELDS.filter((field) => !present.has(field.name)).map((field) => field.name);
      if (missing.length === 0) {
        return;
      }
      const template = STAGE_HEADER_FIELDS.map((field) => field.name).join(', ');
      ctx.report({
        at,
        message: missing.length === STAGE_HEADER_FIELDS.length
          ? `header of stage "${stage.label}" has none of the template fields; add ${template} lines ("# Purpose: ...")`
          : `header of stage "${stage.label}" lacks ${missing.join(', ')}; the stage template asks for ${template}`,
      });
    },
  },
});

/** The template fields a header block has, by name. */
export function headerFields(header: readonly CommentLine[]): Set<string> {
  const present = new Set<string>();
  for (const comment of header) {
    const label = fieldLabel(comment.text);
    if (label === null) {
      continue;
    }
    for (const field of STAGE_HEADER_FIELDS) {
      if (field.label.test(label)) {
        present.add(field.name);
      }
    }
  }
  return present;
}

/** `- Inputs (ARG/COPY): ...` -> `inputs`; null for a line with no `Label:` at its start. */
function fieldLabel(text: string): string | null {
  // Decorations before the label: list markers, rule lines, markdown emphasis (`== Stage: x ==`, `**Purpose**:`).
  const match = /^[\s\-*=#>|•]*([A-Za-z][A-Za-z /&'-]*?(?:\s*\([^)]*\))?)\s*\**\s*:/.exec(text);
  if (!match) {
    return null;
  }
  const label = (match[1] ?? '').replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
  return label.length > 0 && label.length <= 40 ? label : null;
}
