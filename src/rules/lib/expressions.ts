/**
 * A small evaluator for GitHub Actions expressions (`github.event_name != 'pull_request'`) under a
 * partly known context, for rules that must tell whether a step can run, or a value is true, on a
 * given event. Values the context does not fix are `unknown`, and the operators propagate it the
 * way the real evaluator's short-circuiting allows (`false && x` is false whatever x is).
 *
 * Hand-written because the only library with a GitHub expression parser, @actions/expressions, ships
 * with @actions/workflow-parser, which fails to import under plain Node ESM
 * (actions/languageservices#387); the grammar used in `if:` conditions is small
 * (docs.github.com/actions/reference/workflows-and-actions/expressions).
 */

/** A value an expression evaluates to; `UNKNOWN` when the context does not decide it. */
export type ExpressionValue = string | number | boolean | null | typeof UNKNOWN;

/** The value of anything the context does not fix. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Resolves a context path (`github.event_name`, `env.PUSH`) to a value, or UNKNOWN. */
export type ContextLookup = (path: string) => ExpressionValue;

type Token = { kind: 'string' | 'number' | 'name' | 'op' | 'paren' | 'comma'; text: string };

/** Strips `${{ }}` from a value that is entirely one expression; null when the text is not one. */
export function expressionBody(text: string): string | null {
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  if (match?.[1] !== undefined && !match[1].includes('}}')) {
    return match[1];
  }
  return null;
}

/**
 * Evaluates a workflow value: a whole `${{ expr }}` is evaluated; text with embedded expressions
 * is unknown; plain text is itself. `condition` treats plain text as an expression (`if:` keys).
 */
export function evaluateValue(text: string, lookup: ContextLookup, options: { condition?: boolean } = {}): ExpressionValue {
  const body = expressionBody(text);
  if (body !== null) {
    return evaluate(body, lookup);
  }
  if (text.includes('${{')) {
    return UNKNOWN;
  }
  return options.condition ? evaluate(text, lookup) : text;
}

/** Truthiness as GitHub defines it: false, 0, -0, '', null are false. */
export function truthy(value: ExpressionValue): boolean | typeof UNKNOWN {
  if (value === UNKNOWN) {
    return UNKNOWN;
  }
  return !(value === false || value === 0 || value === '' || value === null);
}

/** Evaluates one expression body; anything it cannot parse is UNKNOWN. */
export function evaluate(source: string, lookup: ContextLookup): ExpressionValue {
  const tokens = tokenize(source);
  if (tokens === null) {
    return UNKNOWN;
  }
  const parser = new ExpressionParser(tokens, lookup);
  try {
    const value = parser.orExpression();
    return parser.done() ? value : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const string = /^'((?:[^']|'')*)'/.exec(rest);
    if (string) {
      tokens.push({ kind: 'string', text: (string[1] ?? '').replace(/''/g, "'") });
      i += string[0].length;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(rest);
    if (number && !/^[A-Za-z_]/.test(rest)) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_*][A-Za-z0-9_-]*|\[[^\]]*\])*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[!<>])/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if (rest[0] === '(' || rest[0] === ')') {
      tokens.push({ kind: 'paren', text: rest[0] });
      i += 1;
      continue;
    }
    if (rest[0] === ',') {
      tokens.push({ kind: 'comma', text: ',' });
      i += 1;
      continue;
    }
    return null;
  }
  return tokens;
}

class ExpressionParser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly lookup: ContextLookup,
  ) {}

  done(): boolean {
    return this.position === this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private take(): Token {
    const token = this.tokens[this.position];
    if (!token) {
      throw new Error('unexpected end');
    }
    this.position += 1;
    return token;
  }

  orExpression(): ExpressionValue {
    let left = this.andExpression();
    while (this.peek()?.text === '||') {
      this.take();
      const right = this.andExpression();
      const known = truthy(left);
      // unknown || x: truthy when x is, else unknown.
      left = known === true ? left : known === false ? right : truthy(right) === true ? right : UNKNOWN;
    }
    return left;
  }

  private andExpression(): ExpressionValue {
    let left = this.comparison();
    while (this.peek()?.text === '&&') {
      this.take();
      const right = this.comparison();
      const known = truthy(left);
      if (known === false) {
        continue;
      }
      if (known === true) {
        left = right;
      } else {
        // unknown && x: false when x is false, else unknown.
        left = truthy(right) === false ? right : UNKNOWN;
      }
    }
    return left;
  }

  private comparison(): ExpressionValue {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      if (!op || op.kind !== 'op' || !['==', '!=', '<', '>', '<=', '>='].includes(op.text)) {
        return left;
      }
      this.take();
      const right = this.unary();
      left = compare(op.text, left, right);
    }
  }

  private unary(): ExpressionValue {
    if (this.peek()?.text === '!') {
      this.take();
      const value = truthy(this.unary());
      return value === UNKNOWN ? UNKNOWN : !value;
    }
    return this.primary();
  }

  private primary(): ExpressionValue {
    const token = this.take();
    if (token.kind === 'paren' && token.text === '(') {
      const value = this.orExpression();
      if (this.take().text !== ')') {
        throw new Error('expected )');
      }
      return value;
    }
    if (token.kind === 'string') {
      return token.text;
    }
    if (token.kind === 'number') {
      return Number(token.text);
    }
    if (token.kind === 'name') {
      if (this.peek()?.text === '(') {
        return this.call(token.text);
      }
      if (token.text === 'true') {
        return true;
      }
      if (token.text === 'false') {
        return false;
      }
      if (token.text === 'null') {
        return null;
      }
      return this.lookup(token.text);
    }
    throw new Error(`unexpected ${token.text}`);
  }

  private call(name: string): ExpressionValue {
    this.take();
    const args: ExpressionValue[] = [];
    if (this.peek()?.text !== ')') {
      args.push(this.orExpression());
      while (this.peek()?.kind === 'comma') {
        this.take();
        args.push(this.orExpression());
      }
    }
    if (this.take().text !== ')') {
      throw new Error('expected )');
    }
    const [a, b] = args;
    const text = (value: ExpressionValue | undefined): string | null => (typeof value === 'string' ? value.toLowerCase() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value === null ? '' : null);
    switch (name.toLowerCase()) {
      case 'startswith':
      case 'endswith':
      case 'contains': {
        const haystack = text(a);
        const needle = text(b);
        if (haystack === null || needle === null) {
          return UNKNOWN;
        }
        return name.toLowerCase() === 'startswith' ? haystack.startsWith(needle) : name.toLowerCase() === 'endswith' ? haystack.endsWith(needle) : haystack.includes(needle);
      }
      case 'success':
        return true;
      case 'failure':
      case 'cancelled':
        return false;
      case 'always':
        return true;
      default:
        return UNKNOWN;
    }
  }
}

/** `==`/`!=` compare strings case-insensitively, as GitHub does; ordering only numbers. */
function compare(op: string, left: ExpressionValue, right: ExpressionValue): ExpressionValue {
  if (left === UNKNOWN || right === UNKNOWN) {
    return UNKNOWN;
  }
  const normal = (value: Exclude<ExpressionValue, typeof UNKNOWN>): string | number | boolean | null => (typeof value === 'string' ? value.toLowerCase() : value);
  const l = normal(left);
  const r = normal(right);
  switch (op) {
    case '==':
      return looselyEqual(l, r);
    case '!=':
      return !looselyEqual(l, r);
    default: {
      const a = Number(l);
      const b = Number(r);
      if (Number.isNaN(a) || Number.isNaN(b)) {
        return false;
      }
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
  }
}

/** GitHub coerces mixed types to numbers for equality (`'1' == 1`, `true == 1`). */
function looselyEqual(a: string | number | boolean | null, b: string | number | boolean | null): boolean {
  if (typeof a === typeof b) {
    return a === b;
  }
  const number = (value: string | number | boolean | null): number => (value === null ? 0 : typeof value === 'boolean' ? Number(value) : typeof value === 'string' ? (value.trim() === '' ? 0 : Number(value)) : value);
  return number(a) === number(b);
}

/**
 * The context of a run triggered by `event`, as far as a workflow file decides it: the event name,
 * `github.ref` of pull_request runs (`refs/pull/<n>/merge`), and `env.*` from the step, job and
 * workflow `env:` maps (evaluated in turn). Everything else is UNKNOWN.
 */
export function eventContext(event: string, envMaps: readonly ReadonlyMap<string, { value: string }>[]): ContextLookup {
  const resolving = new Set<string>();
  const lookup: ContextLookup = (path) => {
    const name = path.toLowerCase();
    if (name === 'github.event_name') {
      return event;
    }
    if (name === 'github.ref' && event === 'pull_request') {
      return 'refs/pull/0/merge';
    }
    const env = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
    if (env?.[1]) {
      const key = env[1];
      for (const map of envMaps) {
        const entry = map.get(key);
        if (entry === undefined) {
          continue;
        }
        if (resolving.has(key)) {
          return UNKNOWN;
        }
        resolving.add(key);
        try {
          return evaluateValue(entry.value, lookup);
        } finally {
          resolving.delete(key);
        }
      }
      // Earlier steps can set it through $GITHUB_ENV.
      return UNKNOWN;
    }
    return UNKNOWN;
  };
  return lookup;
}
