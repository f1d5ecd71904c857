/**
 * Locating words of a parsed RUN command in the Dockerfile text, for fixes that edit one word.
 */
import type { Dockerfile, RunInstruction } from '../../parse/dockerfile.js';
import type { Range } from '../../parse/locations.js';
import type { Invocation } from '../../parse/shell-query.js';

/**
 * The range of the word that names the program a call runs (`apt` in `sudo -E apt install`), or
 * null when it cannot be located exactly. Exec-form RUNs map every word to one position, so they
 * never get a range.
 */
export function programWordRange(call: Invocation, run: RunInstruction, dockerfile: Dockerfile): Range | null {
  if (run.jsonForm) {
    return null;
  }
  const { command } = call;
  if (call.wrappers.length > 0) {
    // The peeled program is the word just before the arguments it was given.
    const word = command.args[command.args.length - call.args.length - 1];
    return word && word.value !== null && word.value === word.text ? word.range : null;
  }
  if (command.name === null) {
    return null;
  }
  const lines = dockerfile.lines;
  const lastAssignment = command.assignments[command.assignments.length - 1];
  let offset = lines.offsetAt(lastAssignment ? lastAssignment.range.end : command.range.start);
  // The name follows the `NAME=value` prefixes after blanks or line continuations.
  while (offset < dockerfile.text.length) {
    const rest = dockerfile.text.slice(offset);
    const skip = /^(?:[ \t]+|\\\r?\n)/.exec(rest);
    if (!skip) {
      break;
    }
    offset += skip[0].length;
  }
  if (dockerfile.text.slice(offset, offset + command.name.length) !== command.name) {
    return null;
  }
  return { start: lines.positionAt(offset), end: lines.positionAt(offset + command.name.length) };
}
