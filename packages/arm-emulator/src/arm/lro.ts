/**
 * Long-running operations. A write records an Operation that completes `lroDelayMs` later;
 * completion is applied lazily (`settle`) at the start of every request, so the emulator needs
 * no timers and stays deterministic. Status URLs live under the subscription and outlive the resource.
 */
import type { EmulatorContext } from '../context.js';
import type { Operation, Resource } from '../state.js';
import { parseResourceId, resourceType } from './ids.js';

export function beginOperation(
  ctx: EmulatorContext,
  resourceId: string,
  kind: Operation['kind'],
  opts: { failWith?: Operation['failWith']; delayMs?: number; inProgressState?: string; runningStatus?: string } = {},
): Operation {
  const now = ctx.now();
  const op: Operation = {
    id: ctx.newGuid(),
    resourceId,
    kind,
    status: 'InProgress',
    startTime: new Date(now).toISOString(),
    dueAt: now + (opts.delayMs ?? ctx.options.lroDelayMs),
    failWith: opts.failWith,
    inProgressState: opts.inProgressState,
    ...(opts.runningStatus ? { runningStatus: opts.runningStatus } : {}),
  };
  ctx.state.operations.set(op.id, op);
  return op;
}

/** Completes every operation whose time has come: resources reach their terminal provisioningState. */
export function settle(ctx: EmulatorContext): void {
  const now = ctx.now();
  const due = [...ctx.state.operations.values()]
    .filter((o) => o.status === 'InProgress' && o.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt);
  for (const op of due) {
    op.status = op.failWith ? 'Failed' : 'Succeeded';
    op.endTime = new Date(now).toISOString();
    const res = ctx.state.get(op.resourceId);
    if (op.kind === 'delete') {
      if (!op.failWith) ctx.state.delete(op.resourceId);
      else if (res?.properties) res.properties.provisioningState = 'Failed';
      continue;
    }
    if (!res) continue;
    // Only the latest operation on a resource decides its state.
    const newer = [...ctx.state.operations.values()].some(
      (o) => o !== op && o.resourceId.toLowerCase() === op.resourceId.toLowerCase() && o.status === 'InProgress',
    );
    if (newer) continue;
    if (res.properties) res.properties.provisioningState = op.failWith ? 'Failed' : 'Succeeded';
    if (!op.failWith) ctx.settleHooks.get(resourceType(res.id).toLowerCase())?.(res, ctx);
  }
}

function operationBase(ctx: EmulatorContext, op: Operation, namespace: string, location: string): string {
  const sub = parseResourceId(op.resourceId).subscriptionId;
  return `${ctx.baseUrl}/subscriptions/${sub}/providers/${namespace}/locations/${location}`;
}

/** `Azure-AsyncOperation` URL: GET returns `{status}`. */
export function asyncOperationUrl(ctx: EmulatorContext, op: Operation, namespace: string, location: string, apiVersion: string, segment = 'operations'): string {
  return `${operationBase(ctx, op, namespace, location)}/${segment}/${op.id}?api-version=${apiVersion}`;
}

/** `Location` URL: GET returns 202 while running, then the final result. */
export function locationUrl(ctx: EmulatorContext, op: Operation, namespace: string, location: string, apiVersion: string, segment = 'operationResults'): string {
  return `${operationBase(ctx, op, namespace, location)}/${segment}/${op.id}?api-version=${apiVersion}`;
}

export function retryAfterSeconds(ctx: EmulatorContext, op: Operation): string {
  return String(Math.max(0, Math.ceil((op.dueAt - ctx.now()) / 1000)));
}

/** Body of an Azure-AsyncOperation status poll. */
export function operationStatusBody(op: Operation): Record<string, unknown> {
  const status = op.status === 'InProgress' && op.runningStatus ? op.runningStatus : op.status;
  const body: Record<string, unknown> = { id: op.id, name: op.id, status, startTime: op.startTime };
  if (op.endTime) body.endTime = op.endTime;
  if (op.status === 'Failed' && op.failWith) body.error = { code: op.failWith.code, message: op.failWith.message };
  return body;
}

export function latestState(res: Resource | undefined): string | undefined {
  return res?.properties?.provisioningState;
}
