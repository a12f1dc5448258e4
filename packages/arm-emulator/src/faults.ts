/** Injected faults (POST /_emulator/faults): which request a fault hits, and what it does to the answer or the operation. */
import { randomUUID } from 'node:crypto';
import { ArmError } from './arm/errors.js';
import type { EmulatorContext } from './context.js';
import type { Fault } from './state.js';

/** The first fault still armed for this request, counted as hit. */
export function matchFault(ctx: EmulatorContext, method: string, path: string): Fault | undefined {
  for (const f of ctx.state.faults) {
    if (f.count !== undefined && f.hits >= f.count) continue;
    if (f.method !== '*' && f.method.toUpperCase() !== method) continue;
    if (!new RegExp(f.path, 'i').test(path)) continue;
    f.hits++;
    return f;
  }
  return undefined;
}

/** The error a status-only fault answers with, as ARM words it. */
export function faultError(fault: Fault & { status: number }): ArmError {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  return new ArmError(fault.status, fault.code ?? defaultFaultCode(fault.status), fault.message ?? defaultFaultMessage(fault.status), [], headers);
}

/** After the handler ran: a fault may fail the operation it started, or hold the resource in `Accepted`. */
export function applyOperationFaults(ctx: EmulatorContext, path: string, fault: Fault | undefined): void {
  if (fault?.lroFail) failLatestOperation(ctx, path, fault);
  if (fault?.acceptedForMs) holdAccepted(ctx, path, fault.acceptedForMs);
}

/** A fault as a control request describes it (unknown fields ignored; the path must be a valid pattern). */
export function faultFromRequest(f: Record<string, any>): Fault {
  const fault: Fault = { id: randomUUID(), method: f.method ?? '*', path: String(f.path), status: f.status, code: f.code, message: f.message, count: f.count, delayMs: f.delayMs, retryAfter: f.retryAfter, drop: f.drop, dropAfterApply: f.dropAfterApply, lroFail: f.lroFail, acceptedForMs: f.acceptedForMs, hits: 0 };
  new RegExp(fault.path, 'i');
  return fault;
}

function failLatestOperation(ctx: EmulatorContext, path: string, fault: Fault): void {
  const ops = [...ctx.state.operations.values()].filter((o) => o.resourceId.toLowerCase() === path.toLowerCase() && o.status === 'InProgress');
  const op = ops[ops.length - 1];
  if (op) op.failWith = { code: fault.code ?? 'InternalServerError', message: fault.message ?? 'The operation failed (injected by the emulator).' };
}

function holdAccepted(ctx: EmulatorContext, path: string, ms: number): void {
  const res = ctx.state.get(path);
  if (!res?.properties) return;
  res.properties.provisioningState = 'Accepted';
  for (const o of ctx.state.operations.values()) {
    if (o.resourceId.toLowerCase() === path.toLowerCase() && o.status === 'InProgress') o.dueAt = Math.max(o.dueAt, ctx.now() + ms);
  }
}

function defaultFaultCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 409) return 'AnotherOperationInProgress';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}

function defaultFaultMessage(status: number): string {
  if (status === 429) return 'The request is being throttled as the limit has been reached for operation type. Please try again later.';
  if (status === 409) return 'Another operation is in progress on the selected item. If there is an in-progress operation, please retry after it has finished.';
  if (status === 503) return 'The service is temporarily unavailable. Please try again later.';
  return 'The server encountered an internal error (injected by the emulator).';
}
