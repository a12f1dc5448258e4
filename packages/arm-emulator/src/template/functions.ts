/**
 * The template functions the emulator evaluates. Any other name is refused as ARM refuses an
 * unknown function (`InvalidTemplate`, "The template function 'x' is not valid").
 * Evidence: learn.microsoft.com/azure/azure-resource-manager/templates/template-functions.
 */
import type { Expr } from './expression.js';
import { armGuid } from './guid.js';
import { uniqueString } from './unique-string.js';

export class TemplateFunctionError extends Error {}

export interface EvalScope {
  subscriptionId: string;
  tenantId: string;
  resourceGroup: { id: string; name: string; location: string; type: string; properties: Record<string, unknown> };
  deploymentName: string;
  /** the template's contentVersion, as `deployment().properties.template` shows it */
  templateContentVersion?: string;
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** the state of a deployed resource (runtime only); absent while the template is validated */
  reference?: (id: string, apiVersion: string | undefined, full: boolean) => unknown;
}

type Fn = (args: unknown[], scope: EvalScope) => unknown;

const str = (fn: string, v: unknown): string => {
  if (typeof v !== 'string') throw new TemplateFunctionError(`The template language function '${fn}' expects its parameters to be of type 'String'. The provided value is of type '${typeName(v)}'.`);
  return v;
};

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'Array';
  if (v === null) return 'Null';
  if (typeof v === 'object') return 'Object';
  if (typeof v === 'number') return 'Integer';
  if (typeof v === 'boolean') return 'Boolean';
  return 'String';
}

function arity(fn: string, args: unknown[], min: number, max = Infinity): void {
  if (args.length < min || args.length > max) {
    const expected = max === Infinity ? `at least '${min}'` : min === max ? `'${min}'` : `between '${min}' and '${max}'`;
    throw new TemplateFunctionError(`The template language function '${fn}' must have ${expected} parameter(s).`);
  }
}

/** `type` 'A/b/c' and names [x, y] → 'A/b/x/c/y' (the segments after `providers/`). */
function typeAndNames(fn: string, type: string, names: string[]): string {
  const segs = type.split('/');
  if (segs.length < 2 || segs.length - 1 !== names.length) {
    throw new TemplateFunctionError(`Unable to evaluate template language function '${fn}': the type '${type}' requires '${segs.length - 1}' resource name argument(s).`);
  }
  return [segs[0], ...names.flatMap((n, i) => [segs[i + 1], n])].join('/');
}

const int = (fn: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateFunctionError(`The template language function '${fn}' expects its parameters to be of type 'Integer'. The provided value is of type '${typeName(v)}'.`);
  return v;
};

/** The ints of `min`/`max`: either one array of ints or ints as separate arguments. */
function ints(fn: string, a: unknown[]): number[] {
  arity(fn, a, 1);
  const list = a.length === 1 && Array.isArray(a[0]) ? a[0] : a;
  if (!list.length) throw new TemplateFunctionError(`The template language function '${fn}' expects at least one integer.`);
  return list.map((v) => int(fn, v));
}

/** An array or string argument (`first`, `take`, `length`). */
function sequence(fn: string, v: unknown): unknown[] | string {
  if (Array.isArray(v) || typeof v === 'string') return v;
  throw new TemplateFunctionError(`The template language function '${fn}' expects its parameter to be an array or a string. The provided value is of type '${typeName(v)}'.`);
}

const FUNCTIONS: Record<string, Fn> = {
  parameters: (a, s) => (arity('parameters', a, 1, 1), s.parameter(str('parameters', a[0]))),
  variables: (a, s) => (arity('variables', a, 1, 1), s.variable(str('variables', a[0]))),
  concat: (a) => {
    arity('concat', a, 1);
    if (a.every(Array.isArray)) return (a as unknown[][]).flat();
    return a.map((v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v))).join('');
  },
  format: (a) => {
    arity('format', a, 1);
    return str('format', a[0]).replace(/\{(\d+)\}/g, (_, n) => {
      const v = a[Number(n) + 1];
      if (v === undefined) throw new TemplateFunctionError(`The template language function 'format' has no argument for '{${n}}'.`);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  },
  tolower: (a) => (arity('toLower', a, 1, 1), str('toLower', a[0]).toLowerCase()),
  toupper: (a) => (arity('toUpper', a, 1, 1), str('toUpper', a[0]).toUpperCase()),
  substring: (a) => {
    arity('substring', a, 1, 3);
    const text = str('substring', a[0]);
    const start = a.length > 1 ? int('substring', a[1]) : 0;
    const length = a.length > 2 ? int('substring', a[2]) : text.length - start;
    if (start < 0 || start > text.length) throw new TemplateFunctionError(`The index parameter '${start}' of the template language function 'substring' is out of range: it must be between 0 and the length of the string (${text.length})`);
    if (length < 0 || start + length > text.length) throw new TemplateFunctionError(`The length parameter '${length}' of the template language function 'substring' is out of range: startIndex + length must not exceed the length of the string (${text.length})`);
    return text.slice(start, start + length);
  },
  length: (a) => {
    arity('length', a, 1, 1);
    const v = a[0];
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.keys(v).length;
    return sequence('length', v).length;
  },
  min: (a) => Math.min(...ints('min', a)),
  split: (a) => {
    arity('split', a, 2, 2);
    const text = str('split', a[0]);
    const delimiters = Array.isArray(a[1]) ? a[1].map((d) => str('split', d)) : [str('split', a[1])];
    let parts = [text];
    for (const d of delimiters) parts = parts.flatMap((p) => p.split(d));
    return parts;
  },
  first: (a) => {
    arity('first', a, 1, 1);
    const v = sequence('first', a[0]);
    return typeof v === 'string' ? v.slice(0, 1) : v.length ? v[0] : null;
  },
  take: (a) => {
    arity('take', a, 2, 2);
    const v = sequence('take', a[0]);
    return v.slice(0, Math.max(0, int('take', a[1])));
  },
  uniquestring: (a) => (arity('uniqueString', a, 1), uniqueString(...a.map((v) => str('uniqueString', v)))),
  deployment: (a, s) => (arity('deployment', a, 0, 0), { name: s.deploymentName, properties: { template: { contentVersion: s.templateContentVersion }, mode: 'Incremental', provisioningState: 'Accepted' } }),
  guid: (a) => (arity('guid', a, 1), armGuid(...a.map((v) => str('guid', v)))),
  resourcegroup: (a, s) => (arity('resourceGroup', a, 0, 0), s.resourceGroup),
  subscription: (a, s) => (arity('subscription', a, 0, 0), { id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, tenantId: s.tenantId }),
  resourceid: (a, s) => {
    arity('resourceId', a, 2);
    const args = a.map((v) => str('resourceId', v));
    const t = args.findIndex((x) => x.includes('/'));
    if (t < 0 || t > 2) throw new TemplateFunctionError("Unable to evaluate template language function 'resourceId': the resource type must be a fully qualified type such as 'Microsoft.Storage/storageAccounts'.");
    const sub = t === 2 ? args[0] : s.subscriptionId;
    const rg = t >= 1 ? args[t - 1] : s.resourceGroup.name;
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${typeAndNames('resourceId', args[t], args.slice(t + 1))}`;
  },
  subscriptionresourceid: (a, s) => {
    arity('subscriptionResourceId', a, 2);
    const args = a.map((v) => str('subscriptionResourceId', v));
    const t = args.findIndex((x) => x.includes('/'));
    if (t < 0 || t > 1) throw new TemplateFunctionError("Unable to evaluate template language function 'subscriptionResourceId': the resource type must be a fully qualified type.");
    const sub = t === 1 ? args[0] : s.subscriptionId;
    return `/subscriptions/${sub}/providers/${typeAndNames('subscriptionResourceId', args[t], args.slice(t + 1))}`;
  },
  reference: (a, s) => {
    arity('reference', a, 1, 3);
    if (!s.reference) throw new TemplateFunctionError("The template function 'reference' is not expected at this location. Please see https://aka.ms/arm-functions for usage details.");
    const full = typeof a[2] === 'string' && a[2].toLowerCase() === 'full';
    return s.reference(str('reference', a[0]), a[1] === undefined ? undefined : str('reference', a[1]), full);
  },
};

export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name.toLowerCase());
}

export function evaluate(e: Expr, scope: EvalScope): unknown {
  switch (e.kind) {
    case 'string':
    case 'number':
      return e.value;
    case 'call': {
      const fn = FUNCTIONS[e.name.toLowerCase()];
      if (!fn) throw new TemplateFunctionError(`The template function '${e.name}' is not valid. Please see https://aka.ms/arm-template-expressions for usage details.`);
      return fn(e.args.map((x) => evaluate(x, scope)), scope);
    }
    case 'property': {
      const t = evaluate(e.target, scope);
      if (!t || typeof t !== 'object' || Array.isArray(t)) throw new TemplateFunctionError(`The language expression property '${e.name}' can't be evaluated: the value is of type '${typeName(t)}'.`);
      const key = Object.keys(t).find((k) => k.toLowerCase() === e.name.toLowerCase());
      if (key === undefined) throw new TemplateFunctionError(`The language expression property '${e.name}' doesn't exist, available properties are '${Object.keys(t).join(', ')}'.`);
      return (t as Record<string, unknown>)[key];
    }
    case 'index': {
      const t = evaluate(e.target, scope);
      const i = evaluate(e.index, scope);
      if (Array.isArray(t) && typeof i === 'number') {
        if (i < 0 || i >= t.length) throw new TemplateFunctionError(`The language expression property array index '${i}' is out of bounds.`);
        return t[i];
      }
      if (t && typeof t === 'object' && typeof i === 'string') return (t as Record<string, unknown>)[i];
      throw new TemplateFunctionError(`The language expression index can't be applied to a value of type '${typeName(t)}'.`);
    }
  }
}
