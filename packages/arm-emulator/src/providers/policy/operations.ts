/** Modify's `operations` (addOrReplace, add, remove) on a resource body, at alias paths, each under its own `condition`. */
import { aliasPath } from './aliases.js';
import { evaluateValue } from './expressions.js';
import { fieldScope, type EffectivePolicy } from './model.js';
import type { Json } from './conditions.js';

function setPath(target: Json, path: string, value: unknown, onlyIfAbsent: boolean): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (node[p] === undefined || node[p] === null || typeof node[p] !== 'object') node[p] = {};
    node = node[p];
  }
  const last = parts[parts.length - 1];
  if (onlyIfAbsent && node[last] !== undefined) return;
  node[last] = value;
}

function removePath(target: Json, path: string): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    node = node?.[p];
    if (!node || typeof node !== 'object') return;
  }
  delete node[parts[parts.length - 1]];
}

/** The operations whose condition holds for `resource` (evaluated with `apiVersion` as requestContext().apiVersion). */
export function applicableOperations(policy: EffectivePolicy, resource: Json, apiVersion: string): Json[] {
  const ops = (policy.definition.properties.policyRule.then.details?.operations ?? []) as Json[];
  const scope = fieldScope(policy, resource, apiVersion);
  return ops.filter((op) => op.condition === undefined || evaluateValue(op.condition, scope) === true);
}

/** Applies the operations to `body` (a request body or patch) in place. */
export function applyOperations(policy: EffectivePolicy, ops: Json[], resource: Json, body: Json, apiVersion: string): void {
  const scope = fieldScope(policy, resource, apiVersion);
  for (const op of ops) {
    const path = aliasPath(String(op.field));
    const kind = String(op.operation).toLowerCase();
    if (kind === 'remove') removePath(body, path);
    else setPath(body, path, evaluateValue(op.value, scope), kind === 'add');
  }
}
