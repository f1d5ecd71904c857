// Why: registry pushes fail transiently (5xx, connection resets, rate limits) far more often than
// builds do; a multi-GB GPU image push is minutes of network. One failed attempt should not cost
// a rebuild, and a half-promoted tag set (`:tag` moved, `:tag-date` not) needs a human.
import { argValues } from '../../parse/shell-query.js';
import type { ShellScript } from '../../parse/shell.js';
import type { Range } from '../../parse/locations.js';
import { dockerCalls, within } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

/** Pushes that a transient registry error ends, with no retry around them. */
export const pushWithoutRetry = defineRule({
  id: 'script/push-without-retry',
  meta: {
    title: 'Registry push without a retry',
    severity: 'info',
    rationale:
      'Pushing to a registry fails transiently (HTTP 5xx, connection resets, rate limits) much more often than building does, and base images are large, so a push is minutes of network. A script whose single `docker push` (or `--push` build, or `docker buildx imagetools create`) fails aborts after the expensive part has succeeded, and may leave the tag set half promoted. A bounded retry with backoff turns most such failures into a short delay.',
    remediation:
      'Wrap each push in a bounded retry loop with backoff (`for attempt in 1 2 3; do docker push "$ref" && break; sleep $((attempt * 10)); done`), or a `retry` function used for every push; do not retry authentication errors.',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      for (const call of dockerCalls(shell)) {
        if (!call.pushes) {
          continue;
        }
        const site = call.command?.range ?? call.range;
        if (retried(shell, site, call.command?.program ?? null)) {
          continue;
        }
        const what = call.kind === 'push' ? 'docker push' : call.kind === 'imagetools-create' ? 'docker buildx imagetools create' : `docker ${argValues(call.subcommand).join(' ')} --push`;
        ctx.report({ at: call.range, message: `"${what}" has no retry; wrap it in a bounded retry loop so that a transient registry error does not end the run` });
      }
    },
  },
});

/**
 * True when the call runs inside a retry: a `while`/`until` loop, a `for` loop that counts
 * attempts (`for ((...))`, `for i in 1 2 3`, `for i in {1..5}`, `for i in $(seq 5)`), or a call
 * through a function named like a retry (`retry 3 docker push ...`), or inside a function whose
 * body is such a loop. A `for tag in "$@"` loop over tags pushes each once and is no retry.
 */
function retried(shell: ShellScript, site: Range, through: string | null): boolean {
  if (through !== null && /retry|retries|backoff|attempt/i.test(through)) {
    return true;
  }
  return shell.loops.some((loop) => within(site, loop.range) && (
    loop.kind === 'while' || loop.kind === 'until' || loop.kind === 'c-for'
    || (loop.kind === 'for' && (loop.words ?? []).every((word) => /^\d+$/.test(word.value ?? '') || /^\{\d+\.\.\d+\}$/.test(word.text) || /^"?\$\(seq\b/.test(word.text)))
    && (loop.words ?? []).length > 0));
}
