/**
 * A deployment template checked and planned as ARM does before it deploys: parameters bound and
 * type-checked, variables evaluated on demand, each resource's type, name, apiVersion and dependsOn
 * evaluated, dependencies ordered. Resource bodies are evaluated only when the resource is deployed
 * (so `reference()` sees what was deployed before it). Every failure is ARM's `InvalidTemplate`.
 */
import { ExpressionSyntaxError, functionsCalled, isExpression, literalValue, parseExpression } from './expression.js';
import { evaluate, isKnownFunction, TemplateFunctionError, type EvalScope } from './functions.js';

export const TEMPLATE_SCHEMA_PREFIX = 'https://schema.management.azure.com/schemas/';

export class TemplateError extends Error {
  readonly code = 'InvalidTemplate';
}

export interface DeploymentScope {
  subscriptionId: string;
  tenantId: string;
  resourceGroup: { id: string; name: string; location: string };
  deploymentName: string;
}

export interface PlannedResource {
  /** position in the template's resources array */
  index: number;
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  /** indexes of the resources it waits for */
  dependsOn: number[];
}

export interface PreparedTemplate {
  /** resources in an order that respects dependsOn */
  order: PlannedResource[];
  /** the PUT body of a resource, evaluated now */
  body(r: PlannedResource, reference: NonNullable<EvalScope['reference']>): Record<string, unknown>;
  /** the parameters as bound (`{ name: { type, value } }`, as a deployment shows them) */
  boundParameters: Record<string, { type: string; value: unknown }>;
}

const NESTED_DEPLOYMENT = 'microsoft.resources/deployments';

/** A nested deployment whose template's expressions are its own (`expressionEvaluationOptions.scope: inner`). */
function hasInnerScope(raw: Record<string, any>): boolean {
  return String(raw.properties?.expressionEvaluationOptions?.scope ?? '').toLowerCase() === 'inner';
}

const TEMPLATE_ONLY_KEYS = new Set(['apiversion', 'type', 'name', 'dependson', 'condition', 'comments', 'scope', 'copy', 'metadata']);
const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  securestring: (v) => typeof v === 'string',
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  bool: (v) => typeof v === 'boolean',
  object: (v) => !!v && typeof v === 'object' && !Array.isArray(v),
  secureobject: (v) => !!v && typeof v === 'object' && !Array.isArray(v),
  array: (v) => Array.isArray(v),
};

/** "at line 'L' and column 'C'" of the first occurrence of a JSON string in the template text, as ARM names positions. */
function position(text: string | undefined, needle: string): string {
  if (!text) return "at line '1' and column '1'";
  const at = text.indexOf(JSON.stringify(needle).slice(1, -1));
  if (at < 0) return "at line '1' and column '1'";
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `at line '${line}' and column '${column}'`;
}

function invalid(message: string): TemplateError {
  return new TemplateError(`Deployment template validation failed: '${message}'.`);
}

export function prepareTemplate(template: unknown, given: unknown, scope: DeploymentScope, text?: string): PreparedTemplate {
  if (!template || typeof template !== 'object' || Array.isArray(template)) throw invalid('The template must be a JSON object.');
  const t = template as Record<string, any>;
  const schema = String(t.$schema ?? '');
  if (!schema.toLowerCase().startsWith(TEMPLATE_SCHEMA_PREFIX)) throw invalid(`The template schema '${schema}' is not supported. Supported schemas begin with '${TEMPLATE_SCHEMA_PREFIX}'. Please see https://aka.ms/arm-template/#resources for usage details.`);
  if (typeof t.contentVersion !== 'string') throw invalid("Required property 'contentVersion' not found in JSON. Path 'template'.");
  if (!Array.isArray(t.resources)) throw invalid("Required property 'resources' not found in JSON. Path 'template'.");
  for (const k of ['functions', 'outputs', 'apiProfile']) {
    if (t[k] !== undefined && !(k === 'outputs' && Object.keys(t[k]).length === 0) && !(k === 'functions' && Array.isArray(t[k]) && t[k].length === 0)) {
      throw invalid(`The template property '${k}' is not supported by this emulator's template engine.`);
    }
  }

  const definitions = (t.parameters ?? {}) as Record<string, any>;
  const values = (given ?? {}) as Record<string, any>;
  const unknownGiven = Object.keys(values).filter((k) => !Object.keys(definitions).some((d) => d.toLowerCase() === k.toLowerCase()));
  if (unknownGiven.length) {
    throw invalid(`The template parameters '${unknownGiven.join(', ')}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${Object.keys(definitions).join(', ')}'. Please see https://aka.ms/arm-pass-parameter-values for usage details.`);
  }

  const variablesDef = (t.variables ?? {}) as Record<string, unknown>;
  const parameterCache = new Map<string, unknown>();
  const variableCache = new Map<string, unknown>();
  const resolving = new Set<string>();
  const base: EvalScope = {
    subscriptionId: scope.subscriptionId,
    tenantId: scope.tenantId,
    resourceGroup: { ...scope.resourceGroup, type: 'Microsoft.Resources/resourceGroups', properties: { provisioningState: 'Succeeded' } },
    deploymentName: scope.deploymentName,
    templateContentVersion: t.contentVersion,
    parameter: (name) => {
      const key = Object.keys(definitions).find((d) => d.toLowerCase() === name.toLowerCase());
      if (key === undefined) throw new TemplateFunctionError(`The template parameter '${name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.`);
      if (!parameterCache.has(key)) parameterCache.set(key, bindParameter(key));
      return parameterCache.get(key);
    },
    variable: (name) => {
      const key = Object.keys(variablesDef).find((d) => d.toLowerCase() === name.toLowerCase());
      if (key === undefined) throw new TemplateFunctionError(`The template variable '${name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details.`);
      if (!variableCache.has(key)) {
        if (resolving.has(key)) throw new TemplateFunctionError(`The template variable '${key}' refers to itself.`);
        resolving.add(key);
        variableCache.set(key, valueOf(variablesDef[key], base, `variables.${key}`));
        resolving.delete(key);
      }
      return variableCache.get(key);
    },
  };

  function bindParameter(key: string): unknown {
    const def = definitions[key] ?? {};
    const type = String(def.type ?? '').toLowerCase();
    if (!TYPES[type]) throw invalid(`The template parameter '${key}' ${position(text, key)} has type '${def.type}', which is not one of 'string, securestring, int, bool, object, secureobject, array'.`);
    const givenKey = Object.keys(values).find((k) => k.toLowerCase() === key.toLowerCase());
    let value: unknown;
    if (givenKey !== undefined) {
      const entry = values[givenKey];
      if (entry && typeof entry === 'object' && 'reference' in entry) throw invalid(`The template parameter '${key}' uses a Key Vault reference, which this emulator does not resolve.`);
      value = entry?.value;
    } else if ('defaultValue' in def) value = valueOf(def.defaultValue, base, `parameters.${key}.defaultValue`);
    else throw invalid(`The value for the template parameter '${key}' ${position(text, key)} is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.`);
    if (!TYPES[type](value)) throw invalid(`The provided value for the template parameter '${key}' ${position(text, key)} is not valid. Expected a value of type '${def.type}'.`);
    if (Array.isArray(def.allowedValues) && !def.allowedValues.some((a: unknown) => JSON.stringify(a) === JSON.stringify(value))) {
      // a secure value is never echoed back, not even in an error
      const shown = type.toLowerCase().startsWith('secure') ? '' : ` '${String(value)}'`;
      throw invalid(`The provided value${shown} for the template parameter '${key}' ${position(text, key)} is not valid. The value must be one of '${def.allowedValues.join(', ')}'.`);
    }
    return value;
  }

  /** Evaluates every expression inside a JSON value. */
  function valueOf(v: unknown, s: EvalScope, where: string): unknown {
    if (typeof v === 'string') {
      if (!isExpression(v)) return literalValue(v);
      let expr;
      try {
        expr = parseExpression(v);
      } catch (e) {
        if (e instanceof ExpressionSyntaxError) throw invalid(`The template ${describe(where)} ${position(text, v)} is not valid: ${e.message} Please see https://aka.ms/arm-template-expressions for usage details.`);
        throw e;
      }
      try {
        return evaluate(expr, s);
      } catch (e) {
        if (e instanceof TemplateFunctionError) throw invalid(`The template ${describe(where)} ${position(text, v)} is not valid: ${e.message}. Please see https://aka.ms/arm-template-expressions for usage details.`);
        throw e;
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => valueOf(x, s, `${where}[${i}]`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, valueOf(x, s, `${where}.${k}`)]));
    return v;
  }

  /** Refuses an unknown function anywhere in a value before anything is deployed. */
  function checkFunctions(v: unknown, where: string): void {
    if (typeof v === 'string' && isExpression(v)) {
      let names: string[];
      try {
        names = functionsCalled(parseExpression(v));
      } catch (e) {
        if (e instanceof ExpressionSyntaxError) throw invalid(`The template ${describe(where)} ${position(text, v)} is not valid: ${e.message} Please see https://aka.ms/arm-template-expressions for usage details.`);
        throw e;
      }
      const bad = names.find((n) => !isKnownFunction(n));
      if (bad) throw invalid(`The template ${describe(where)} ${position(text, v)} is not valid: The template function '${bad}' is not valid. Please see https://aka.ms/arm-template-expressions for usage details.. Please see https://aka.ms/arm-template-expressions for usage details.`);
    } else if (Array.isArray(v)) v.forEach((x, i) => checkFunctions(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkFunctions(x, `${where}.${k}`);
  }

  checkFunctions(definitions, 'parameters');
  checkFunctions(variablesDef, 'variables');
  checkFunctions(t.resources, 'resources');
  for (const key of Object.keys(definitions)) base.parameter(key);

  const planned: PlannedResource[] = t.resources.map((raw: any, index: number) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`The template resource at index '${index}' is not an object.`);
    if (raw.copy !== undefined) throw invalid(`The template resource at index '${index}' uses 'copy', which this emulator's template engine does not support.`);
    if (raw.condition !== undefined) throw invalid(`The template resource at index '${index}' uses 'condition', which this emulator's template engine does not support.`);
    const where = `resources[${index}]`;
    const type = valueOf(raw.type, base, `${where}.type`);
    if (typeof type === 'string' && type.toLowerCase() === NESTED_DEPLOYMENT && !hasInnerScope(raw)) {
      throw invalid(`The template resource at index '${index}' is a nested deployment evaluated in the outer scope, which this emulator's template engine does not support: set 'properties.expressionEvaluationOptions.scope' to 'inner' and pass its parameters explicitly.`);
    }
    const name = valueOf(raw.name, base, `${where}.name`);
    const apiVersion = valueOf(raw.apiVersion, base, `${where}.apiVersion`);
    if (typeof type !== 'string' || !/^[\w.]+\/[\w/]+$/.test(type)) throw invalid(`The template resource '${String(name)}' ${position(text, String(raw.type))} is not valid: the resource type '${String(type)}' is not a fully qualified type.`);
    if (typeof name !== 'string' || !name) throw invalid(`The template resource at index '${index}' has no 'name'.`);
    if (typeof apiVersion !== 'string' || !/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) throw invalid(`The template resource '${name}' ${position(text, name)} has no valid 'apiVersion'.`);
    const typeSegs = type.split('/');
    const names = name.split('/');
    if (names.length !== typeSegs.length - 1) {
      throw invalid(`The template resource '${name}' for type '${type}' ${position(text, String(raw.name))} has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. A root resource type must have segment length one greater than its resource name. Please see https://aka.ms/arm-syntax-resources for usage details.`);
    }
    const path = [typeSegs[0], ...names.flatMap((n, i) => [typeSegs[i + 1], n])].join('/');
    let id: string;
    if (raw.scope !== undefined) {
      const sc = valueOf(raw.scope, base, `${where}.scope`);
      if (typeof sc !== 'string' || !sc.startsWith('/subscriptions/')) throw invalid(`The template resource '${name}' has a 'scope' that is not a resource id.`);
      id = `${sc.replace(/\/$/, '')}/providers/${path}`;
    } else id = `${scope.resourceGroup.id}/providers/${path}`;
    return { index, id, type, name, apiVersion, dependsOn: [] };
  });

  planned.forEach((p, i) => {
    const raw = t.resources[i];
    const deps = raw.dependsOn === undefined ? [] : raw.dependsOn;
    if (!Array.isArray(deps)) throw invalid(`The template resource '${p.name}' has a 'dependsOn' that is not an array.`);
    for (const [j, d] of deps.entries()) {
      const ref = valueOf(d, base, `resources[${i}].dependsOn[${j}]`);
      if (typeof ref !== 'string') throw invalid(`The template resource '${p.name}' has a 'dependsOn' entry that is not a string.`);
      const r = ref.toLowerCase();
      const target = planned.find((q) => q.id.toLowerCase() === r || q.id.toLowerCase().endsWith(`/providers/${r}`) || q.name.toLowerCase() === r || `${q.type}/${q.name}`.toLowerCase() === r);
      if (!target) throw invalid(`The resource '${ref}' is not defined in the template. Please see https://aka.ms/arm-syntax for usage details.`);
      if (!p.dependsOn.includes(target.index)) p.dependsOn.push(target.index);
    }
  });
  const seen = new Set<string>();
  for (const p of planned) {
    if (seen.has(p.id.toLowerCase())) throw invalid(`The resource '${p.id}' is defined multiple times in a template. Please see https://aka.ms/arm-template/#resources for usage details.`);
    seen.add(p.id.toLowerCase());
  }

  const order: PlannedResource[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (p: PlannedResource) => {
    if (state.get(p.index) === 'done') return;
    if (state.get(p.index) === 'visiting') throw invalid(`Circular dependency detected on resource: '${p.id}'. Please see https://aka.ms/arm-template/#resources for usage details.`);
    state.set(p.index, 'visiting');
    for (const d of p.dependsOn) visit(planned[d]);
    state.set(p.index, 'done');
    order.push(p);
  };
  planned.forEach((p) => visit(p));

  const boundParameters = Object.fromEntries(Object.keys(definitions).map((k) => {
    const type = String(definitions[k].type);
    const secure = type.toLowerCase().startsWith('secure');
    return [k, { type: type[0].toUpperCase() + type.slice(1), value: secure ? undefined : base.parameter(k) }];
  }));

  return {
    order,
    boundParameters,
    body(r, reference) {
      const raw = t.resources[r.index] as Record<string, unknown>;
      const s: EvalScope = { ...base, reference };
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (TEMPLATE_ONLY_KEYS.has(k.toLowerCase())) continue;
        if (r.type.toLowerCase() === NESTED_DEPLOYMENT && k === 'properties' && v && typeof v === 'object') {
          // inner scope: the nested template is the nested deployment's own, evaluated when it runs
          const { template: nested, ...rest } = v as Record<string, unknown>;
          out[k] = { ...(valueOf(rest, s, `resources[${r.index}].properties`) as Record<string, unknown>), template: nested };
          continue;
        }
        out[k] = valueOf(v, s, `resources[${r.index}].${k}`);
      }
      return out;
    },
  };
}

function describe(where: string): string {
  const m = /^resources\[(\d+)\]/.exec(where);
  if (m) return `resource at index '${m[1]}' (${where})`;
  return `expression '${where}'`;
}
