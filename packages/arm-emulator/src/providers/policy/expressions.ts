/**
 * The template-expression subset policy rules use in values: `[parameters('x')]`, `[field('x')]`,
 * `[requestContext().apiVersion]`, comparisons and a few string functions. A string that is not
 * `[...]` (or starts with `[[`, the escape) is a literal. Anything else is refused by name.
 * Policy values are written in the ARM template expression language (docs
 * `concepts/definition-structure-policy-rule`, "Policy functions": "all Resource Manager template
 * functions are available to use within a policy rule, except …"), so they are parsed by the template
 * engine's parser (src/template/expression.ts); what differs is the functions and how they compare
 * (policy's string comparisons ignore case, `field()` reads the evaluated resource), evaluated here.
 */
import { isExpression, parseExpression, type Expr } from '../../template/expression.js';

export interface ExpressionScope {
  parameters: Record<string, unknown>;
  field(path: string): unknown;
  apiVersion?: string;
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

const parsed = new Map<string, Expr>();

/** The expression a value holds, parsed once per distinct string (the same rules are evaluated for every resource). */
function expressionOf(value: string): Expr {
  let e = parsed.get(value);
  if (!e) parsed.set(value, (e = parseExpression(value)));
  return e;
}

function run(e: Expr, scope: ExpressionScope, source: string): unknown {
  switch (e.kind) {
    case 'string':
    case 'number':
      return e.value;
    case 'call': {
      const fn = FUNCTIONS[e.name.toLowerCase()];
      if (!fn) throw new Error(`The emulator does not evaluate the policy function '${e.name}' (in '${source}').`);
      return fn(e.args.map((a) => run(a, scope, source)), scope);
    }
    case 'property': {
      const t = run(e.target, scope, source) as Record<string, unknown> | undefined;
      return t?.[Object.keys(t ?? {}).find((k) => k.toLowerCase() === e.name.toLowerCase()) ?? e.name];
    }
    case 'index': {
      const t = run(e.target, scope, source) as Record<string, unknown> | undefined;
      return t?.[run(e.index, scope, source) as string];
    }
  }
}

/** Evaluates a policy value: an expression string `[...]`, or the value itself (`[[…]` stands for `[…]`). */
export function evaluateValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value !== 'string' || !value.startsWith('[') || !value.endsWith(']')) return value;
  if (!isExpression(value)) return value.slice(1);
  return run(expressionOf(value), scope, value);
}
