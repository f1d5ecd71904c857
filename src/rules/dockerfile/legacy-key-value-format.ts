// Why: `ENV key value` and `LABEL key value` are the deprecated whitespace forms; the value runs to
// the end of the line, so `ENV A 1 B 2` sets A to "1 B 2". BuildKit check LegacyKeyValueFormat
// (https://docs.docker.com/reference/build-checks/legacy-key-value-format/), hadolint-free.
// The parse model gives ENV pairs with a `legacy` flag; LABEL is an `other` instruction, so its
// form is read from its first word (a legacy LABEL's first word has no `=`).
import type { DockerInstruction } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import { quote, replaceFix } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const legacyKeyValueFormat = defineRule({
  id: 'dockerfile/legacy-key-value-format',
  meta: {
    title: 'Legacy "key value" form in ENV or LABEL',
    severity: 'warning',
    rationale:
      'In the legacy form the value is everything after the first blank, so `ENV CUDA_HOME /usr/local/cuda PATH ...` silently puts the second variable into the first one, and the form is deprecated with a BuildKit warning on every build. The `key=value` form sets several variables per instruction (one layer of metadata), quotes values explicitly, and is what every current Dockerfile example uses.',
    remediation: 'Write `ENV key=value` / `LABEL key=value`, quoting values that contain blanks: `ENV NVIDIA_DRIVER_CAPABILITIES="compute,utility"`.',
    fixable: 'safe',
    buildkitCheck: 'LegacyKeyValueFormat',
  },
  hooks: {
    instruction(instruction, ctx) {
      const legacy = legacyPair(instruction);
      if (!legacy) {
        return;
      }
      const dockerfile = ctx.dockerfile;
      const valueText = dockerfile.text.slice(dockerfile.lines.offsetAt(legacy.valueStart), dockerfile.lines.offsetAt(legacy.end)).trim();
      const replacement = keyValue(legacy.key, valueText, dockerfile.escape);
      const keyword = instruction.keywordText;
      ctx.report({
        at: instruction.range,
        message: `${keyword} ${quote(legacy.key)} uses the legacy "${keyword} key value" form: write ${replacement ? `${keyword} ${replacement}` : `${keyword} ${legacy.key}=<value> with the value quoted`}`,
        ...(replacement ? { fix: replaceFix(dockerfile, { start: legacy.keyRange.start, end: legacy.end }, replacement, `write ${keyword} ${replacement}`) } : {}),
      });
    },
  },
});

/** The legacy pair of an ENV or LABEL, with where its key and value sit; null for the key=value form. */
function legacyPair(instruction: DockerInstruction): { key: string; keyRange: Range; valueStart: Range['start']; end: Range['end'] } | null {
  const first = instruction.args[0];
  if (!first || !instruction.argsRange || instruction.args.length < 2) {
    return null;
  }
  if (instruction.kind === 'env') {
    // A legacy ENV has exactly one pair (name, then the rest of the line); a first pair written
    // key=value makes the whole instruction the modern form.
    const pair = instruction.pairs[0];
    if (!pair || !pair.legacy || instruction.pairs.length !== 1) {
      return null;
    }
  } else if (instruction.keyword !== 'LABEL' || first.value.includes('=')) {
    return null;
  }
  const second = instruction.args[1];
  return { key: first.value, keyRange: first.range, valueStart: second?.range.start ?? first.range.end, end: instruction.argsRange.end };
}

/**
 * `key=value`, quoting a value with blanks, or null when the value carries quotes, escapes or line
 * continuations whose meaning the rewrite could change.
 */
function keyValue(key: string, value: string, escape: string): string | null {
  if (value === '' || /["'\n\r]/.test(value) || value.includes(escape) || /["'\\\s=]/.test(key)) {
    return null;
  }
  return /\s/.test(value) ? `${key}="${value}"` : `${key}=${value}`;
}
