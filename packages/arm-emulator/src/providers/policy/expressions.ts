/**
 * The template-expression subset policy rules use in values: `[parameters('x')]`, `[field('x')]`,
 * `[requestContext().apiVersion]`, comparisons and a few string functions. A string that is not
 * `[...]` (or starts with `[[`, the escape) is a literal. Anything else is refused by name.
 */
export interface ExpressionScope {
  parameters: Record<string, unknown>;
  field(path: string): unknown;
  apiVersion?: string;
}

type Token = { kind: 'str' | 'num' | 'ident' | 'punct'; value: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in '${src}'`);
        if (src[i] === "'" && src[i + 1] === "'") { s += "'"; i += 2; continue; }
        if (src[i] === "'") { i++; break; }
        s += src[i++];
      }
      out.push({ kind: 'str', value: s });
      continue;
    }
    if (/[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', value: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', value: m[0] });
      i += m[0].length;
      continue;
    }
    if ('(),.[]'.includes(c)) { out.push({ kind: 'punct', value: c }); i++; continue; }
    throw new Error(`unexpected '${c}' in expression '${src}'`);
  }
  return out;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(lower(a)).localeCompare(String(lower(b)));
}

const FUNCTIONS: Record<string, (args: unknown[], scope: ExpressionScope) => unknown> = {
  parameters: ([name], s) => {
    const key = Object.keys(s.parameters).find((k) => k.toLowerCase() === String(name).toLowerCase());
    if (key === undefined) throw new Error(`The policy parameter '${String(name)}' is not defined.`);
    return s.parameters[key];
  },
  field: ([path], s) => s.field(String(path)),
  requestcontext: (_a, s) => ({ apiVersion: s.apiVersion }),
  concat: (args) => (args.every(Array.isArray) ? (args as unknown[][]).flat() : args.map((a) => String(a ?? '')).join('')),
  tolower: ([v]) => String(v).toLowerCase(),
  toupper: ([v]) => String(v).toUpperCase(),
  equals: ([a, b]) => lower(a) === lower(b),
  not: ([a]) => !a,
  and: (args) => args.every(Boolean),
  or: (args) => args.some(Boolean),
  if: ([c, a, b]) => (c ? a : b),
  empty: ([v]) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Object.keys(v as object).length),
  less: ([a, b]) => compare(a, b) < 0,
  lessorequals: ([a, b]) => compare(a, b) <= 0,
  greater: ([a, b]) => compare(a, b) > 0,
  greaterorequals: ([a, b]) => compare(a, b) >= 0,
  split: ([s, d]) => String(s).split(String(d)),
  first: ([v]) => (Array.isArray(v) ? v[0] : String(v)[0]),
  last: ([v]) => (Array.isArray(v) ? v[v.length - 1] : String(v).slice(-1)),
  true: () => true,
  false: () => false,
};

/** Evaluates a policy value: an expression string `[...]`, or the value itself. */
export function evaluateValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value !== 'string') return value;
  if (!value.startsWith('[') || !value.endsWith(']')) return value;
  if (value.startsWith('[[')) return value.slice(1);
  const tokens = tokenize(value.slice(1, -1));
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (v: string) => {
    const t = tokens[pos++];
    if (!t || t.value !== v) throw new Error(`expected '${v}' in expression '${value}'`);
  };
  const parse = (): unknown => {
    const t = tokens[pos++];
    if (!t) throw new Error(`incomplete expression '${value}'`);
    let result: unknown;
    if (t.kind === 'str') result = t.value;
    else if (t.kind === 'num') result = Number(t.value);
    else if (t.kind === 'ident') {
      const fn = FUNCTIONS[t.value.toLowerCase()];
      if (!fn) throw new Error(`The emulator does not evaluate the policy function '${t.value}' (in '${value}').`);
      expect('(');
      const args: unknown[] = [];
      while (peek() && peek().value !== ')') {
        args.push(parse());
        if (peek()?.value === ',') pos++;
      }
      expect(')');
      result = fn(args, scope);
    } else throw new Error(`unexpected '${t.value}' in expression '${value}'`);
    for (;;) {
      if (peek()?.value === '.') {
        pos++;
        const prop = tokens[pos++].value;
        result = (result as Record<string, unknown> | undefined)?.[Object.keys(result ?? {}).find((k) => k.toLowerCase() === prop.toLowerCase()) ?? prop];
      } else if (peek()?.value === '[') {
        pos++;
        const index = parse();
        expect(']');
        result = (result as Record<string, unknown> | undefined)?.[index as string];
      } else break;
    }
    return result;
  };
  const out = parse();
  if (pos !== tokens.length) throw new Error(`unexpected trailing input in expression '${value}'`);
  return out;
}
