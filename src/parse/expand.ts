/**
 * Dockerfile variable substitution (`$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
 * `${VAR:+word}`, `${VAR+word}`), as BuildKit's shell lexer applies it to FROM, COPY, ENV, WORKDIR
 * and the other non-RUN instructions (https://docs.docker.com/reference/dockerfile/#environment-replacement).
 *
 * Written by hand because no maintained npm library implements Docker's variant: dockerfile-ast
 * resolves single names but not the `:-`/`:+` modifiers, and POSIX shell expanders also run word
 * splitting and globbing, which Docker does not.
 */

/** Variables in scope: a value, or `undefined` for an ARG declared without a default. */
export type Scope = ReadonlyMap<string, string | undefined>;

/** The result of expanding one string. */
export interface Expansion {
  /** The expanded text; a reference whose value is unknown stays as written. */
  value: string;
  /** True when every reference resolved to a known value. */
  resolved: boolean;
  /** Names referenced, in order, with whether the scope declares them. */
  references: { name: string; declared: boolean; offset: number }[];
}

/** Expands `text` against `scope`; `escape` is the Dockerfile escape character. */
export function expand(text: string, scope: Scope, escape = '\\'): Expansion {
  const references: Expansion['references'] = [];
  let resolved = true;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i += 1;
      continue;
    }
    const start = i;
    if (text[i + 1] === '{') {
      const close = findClose(text, i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, close);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(body);
      if (!match) {
        out += text.slice(i, close + 1);
        resolved = false;
        i = close + 1;
        continue;
      }
      const name = match[1] ?? '';
      const operator = match[2];
      const word = match[3] ?? '';
      // Nested references are reported at their offset in `text`, not in `word`.
      const shift = (inner: Expansion): Expansion['references'] =>
        inner.references.map((reference) => ({ ...reference, offset: reference.offset + close - word.length }));
      const declared = scope.has(name);
      const value = scope.get(name);
      references.push({ name, declared, offset: start });
      const isSet = declared && value !== undefined;
      const isNonEmpty = isSet && value !== '';
      if (operator === ':-' || operator === '-') {
        const useValue = operator === ':-' ? isNonEmpty : isSet;
        if (useValue) {
          out += value;
        } else {
          const inner = expand(word, scope, escape);
          references.push(...shift(inner));
          // The default build: a build arg left unset takes the word.
          resolved &&= inner.resolved;
          out += inner.value;
        }
      } else if (operator === ':+' || operator === '+') {
        const useWord = operator === ':+' ? isNonEmpty : isSet;
        if (useWord) {
          const inner = expand(word, scope, escape);
          references.push(...shift(inner));
          resolved &&= inner.resolved;
          out += inner.value;
        } else if (!declared || value === undefined) {
          // Unknown at review time: the word may or may not apply.
          resolved = false;
          out += text.slice(i, close + 1);
        }
      } else if (value !== undefined) {
        out += value;
      } else {
        resolved = false;
        out += text.slice(i, close + 1);
      }
      i = close + 1;
      continue;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!match) {
      out += '$';
      i += 1;
      continue;
    }
    const name = match[0];
    references.push({ name, declared: scope.has(name), offset: start });
    const value = scope.get(name);
    if (value !== undefined) {
      out += value;
    } else {
      resolved = false;
      out += `$${name}`;
    }
    i += 1 + name.length;
  }
  return { value: out, resolved, references };
}

/** The index of the `}` that closes a `${` whose body starts at `from`, or -1. */
export function findClose(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') {
      depth += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) {
        return i;
      }
    }
  }
  return -1;
}
