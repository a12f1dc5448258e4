/**
 * Policy rule conditions as the definition-structure docs describe them: `allOf`/`anyOf`/`not`,
 * `field` (top-level fields and aliases), `value`, `count` with `where`, and the condition operators.
 * A `[*]` alias outside `count` holds only when every member satisfies the condition (true for none);
 * inside `where` it means the member being counted. String comparisons ignore case.
 */
import { aliasPath } from './aliases.js';
import { evaluateValue, type ExpressionScope } from './expressions.js';

export type Json = any;

export interface RuleContext {
  parameters: Record<string, unknown>;
  apiVersion?: string;
}

/** The member a `count` is iterating: the counted alias path and the current element. */
interface CountFrame {
  path: string;
  item: unknown;
}

const MISSING = Symbol('missing');

/** Reads a dotted property path with `[*]` segments; `[*]` gives every element (flattened). */
export function readPath(root: unknown, path: string): unknown[] | unknown {
  if (path === '') return root;
  const parts = path.split('.');
  let current: unknown[] = [root];
  let many = false;
  for (const raw of parts) {
    const star = raw.endsWith('[*]');
    const key = star ? raw.slice(0, -3) : raw;
    const next: unknown[] = [];
    for (const v of current) {
      if (v === MISSING || v === null || typeof v !== 'object') { if (!many) next.push(MISSING); continue; }
      const found = Object.keys(v as object).find((k) => k.toLowerCase() === key.toLowerCase());
      const child = found === undefined ? MISSING : (v as Record<string, unknown>)[found];
      if (star) {
        many = true;
        if (Array.isArray(child)) next.push(...child);
      } else next.push(child);
    }
    current = next;
  }
  return many ? current : current[0];
}

function hasStar(path: string): boolean {
  return path.includes('[*]');
}

function fieldPath(field: string, frames: CountFrame[]): { root: 'resource' | CountFrame; path: string } {
  const path = aliasPath(field);
  for (const f of [...frames].reverse()) {
    if (path.toLowerCase() === f.path.toLowerCase()) return { root: f, path: '' };
    if (path.toLowerCase().startsWith(f.path.toLowerCase() + '.')) return { root: f, path: path.slice(f.path.length + 1) };
  }
  return { root: 'resource', path };
}

function scopeFor(resource: Json, rc: RuleContext, frames: CountFrame[]): ExpressionScope {
  return {
    parameters: rc.parameters,
    apiVersion: rc.apiVersion,
    field: (f) => {
      const v = resolveField(resource, f, frames);
      return v === MISSING ? undefined : v;
    },
  };
}

function resolveField(resource: Json, field: string, frames: CountFrame[]): unknown {
  const { root, path } = fieldPath(field, frames);
  return readPath(root === 'resource' ? resource : root.item, path);
}

const str = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function equalsValue(a: unknown, b: unknown): boolean {
  if (a === MISSING || a === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : String(a).toLowerCase() === String(b).toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

function like(value: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return re.test(value);
}

function match(value: string, pattern: string, insensitive: boolean): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\*#]/g, (c) => (c === '#' ? '\\d' : c === '?' ? '[A-Za-z]' : c === '.' ? '.' : '\\' + c));
  return new RegExp(`^${re}$`, insensitive ? 'i' : '').test(value);
}

function compare(a: unknown, b: unknown): number | undefined {
  if (a === MISSING || a === undefined || a === null) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a), nb = Number(b);
  if (typeof a !== 'string' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return String(str(a)).localeCompare(String(str(b)));
}

const OPERATORS = ['equals', 'notEquals', 'like', 'notLike', 'match', 'matchInsensitively', 'notMatch', 'notMatchInsensitively', 'contains', 'notContains', 'in', 'notIn', 'containsKey', 'notContainsKey', 'less', 'lessOrEquals', 'greater', 'greaterOrEquals', 'exists'];

/** One operator applied to one value (a member, for `[*]` fields). */
function applyOperator(op: string, value: unknown, expected: unknown): boolean {
  switch (op) {
    case 'equals': return equalsValue(value, expected);
    case 'notEquals': return !equalsValue(value, expected);
    case 'like': return typeof value === 'string' && like(value, String(expected));
    case 'notLike': return !(typeof value === 'string' && like(value, String(expected)));
    case 'match': return typeof value === 'string' && match(value, String(expected), false);
    case 'matchInsensitively': return typeof value === 'string' && match(value, String(expected), true);
    case 'notMatch': return !(typeof value === 'string' && match(value, String(expected), false));
    case 'notMatchInsensitively': return !(typeof value === 'string' && match(value, String(expected), true));
    case 'contains': return containsValue(value, expected);
    case 'notContains': return !containsValue(value, expected);
    case 'in': return Array.isArray(expected) && expected.some((e) => equalsValue(value, e));
    case 'notIn': return !(Array.isArray(expected) && expected.some((e) => equalsValue(value, e)));
    case 'containsKey': return hasKey(value, expected);
    case 'notContainsKey': return !hasKey(value, expected);
    case 'less': { const c = compare(value, expected); return c !== undefined && c < 0; }
    case 'lessOrEquals': { const c = compare(value, expected); return c !== undefined && c <= 0; }
    case 'greater': { const c = compare(value, expected); return c !== undefined && c > 0; }
    case 'greaterOrEquals': { const c = compare(value, expected); return c !== undefined && c >= 0; }
    case 'exists': {
      const present = value !== MISSING && value !== undefined && value !== null;
      return String(expected).toLowerCase() === 'true' ? present : !present;
    }
    default: throw new Error(`unknown operator ${op}`);
  }
}

function containsValue(value: unknown, expected: unknown): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(String(expected).toLowerCase());
  if (Array.isArray(value)) return value.some((v) => equalsValue(v, expected));
  return false;
}

function hasKey(value: unknown, key: unknown): boolean {
  return !!value && typeof value === 'object' && Object.keys(value).some((k) => k.toLowerCase() === String(key).toLowerCase());
}

function operatorOf(node: Json): string {
  const op = OPERATORS.find((o) => Object.keys(node).some((k) => k.toLowerCase() === o.toLowerCase()));
  if (!op) throw new Error(`The emulator does not know the condition in ${JSON.stringify(node)}.`);
  return op;
}

function operand(node: Json, op: string): unknown {
  return node[Object.keys(node).find((k) => k.toLowerCase() === op.toLowerCase())!];
}

/** Does `node` (an `if`, `where` or `existenceCondition`) hold for `resource`? */
export function evaluateCondition(node: Json, resource: Json, rc: RuleContext, frames: CountFrame[] = []): boolean {
  if (node.allOf) return (node.allOf as Json[]).every((n) => evaluateCondition(n, resource, rc, frames));
  if (node.anyOf) return (node.anyOf as Json[]).some((n) => evaluateCondition(n, resource, rc, frames));
  if (node.not) return !evaluateCondition(node.not, resource, rc, frames);
  const scope = scopeFor(resource, rc, frames);
  const op = operatorOf(node);
  const expected = evaluateValue(operand(node, op), scope);
  if (node.count) {
    const n = countOf(node.count, resource, rc, frames);
    return applyOperator(op, n, expected);
  }
  if (node.field !== undefined) {
    const field = String(evaluateValue(node.field, scope));
    const { root, path } = fieldPath(field, frames);
    const value = readPath(root === 'resource' ? resource : root.item, path);
    if (hasStar(path)) return (value as unknown[]).every((v) => applyOperator(op, v, expected));
    return applyOperator(op, value, expected);
  }
  if ('value' in node) return applyOperator(op, evaluateValue(node.value, scope), expected);
  throw new Error(`The emulator does not know the condition in ${JSON.stringify(node)}.`);
}

function countOf(count: Json, resource: Json, rc: RuleContext, frames: CountFrame[]): number {
  if (count.field === undefined) throw new Error('The emulator counts `field` arrays only (no value count).');
  const { root, path } = fieldPath(String(count.field), frames);
  if (!hasStar(path)) throw new Error(`A count field must be a [*] alias: '${count.field}'.`);
  const members = readPath(root === 'resource' ? resource : root.item, path) as unknown[];
  if (!count.where) return members.length;
  const fullPath = aliasPath(String(count.field));
  return members.filter((item) => evaluateCondition(count.where, resource, rc, [...frames, { path: fullPath, item }])).length;
}

/** Resource types an `if` names with `field: type` equals/in; empty when it names none. */
export function typesNamed(node: Json): string[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(typesNamed);
  const own = String(node.field ?? '').toLowerCase() === 'type' ? [node.equals, ...(Array.isArray(node.in) ? node.in : [])].filter((t) => typeof t === 'string') : [];
  return [...own, ...['allOf', 'anyOf'].flatMap((k) => typesNamed(node[k]))];
}

export { MISSING };
