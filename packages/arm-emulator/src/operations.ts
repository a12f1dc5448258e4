/** Long-running operations as clients poll them: the status and result URLs each provider hands out (BEHAVIOR.md "Long-running operations"). */
import type { ArmResult } from './arm/router.js';
import type { EmulatorContext } from './context.js';
import { operationStatusBody, retryAfterSeconds } from './arm/lro.js';
import { runningPrivateDnsPoll } from './providers/privatedns/lro.js';

const STATUS_SEGMENTS = new Set(['operations', 'operationstatuses', 'privatednsoperationstatuses', 'azureasyncoperations']);
const RESULT_SEGMENTS = new Set(['operationresults', 'asyncoperations', 'privatednsoperationresults']);

/** The answer to a GET of an operation's status or result URL; undefined when the path is not one. */
export function operationPoll(ctx: EmulatorContext, method: string, path: string, search: string): ArmResult | undefined {
  if (method !== 'GET') return undefined;
  const segs = path.split('/').filter(Boolean);
  if (segs.length < 2) return undefined;
  const op = ctx.state.operations.get(segs[segs.length - 1]);
  const seg = segs[segs.length - 2].toLowerCase();
  if (!op) return undefined;
  if (STATUS_SEGMENTS.has(seg)) {
    if (seg === 'privatednsoperationstatuses' && op.status === 'InProgress') return runningPrivateDnsPoll(ctx, op, `${ctx.baseUrl}${path}${search}`);
    const headers: Record<string, string> = op.status === 'InProgress' ? { 'retry-after': retryAfterSeconds(ctx, op) } : {};
    return { status: 200, body: operationStatusBody(op), headers, kind: 'poll' };
  }
  if (RESULT_SEGMENTS.has(seg)) {
    if (op.status === 'InProgress') {
      return { status: 202, headers: { location: `${ctx.baseUrl}${path}${search}`, 'retry-after': retryAfterSeconds(ctx, op) }, kind: 'poll' };
    }
    if (op.status === 'Failed') {
      return { status: 500, body: { error: op.failWith ?? { code: 'InternalServerError', message: 'The operation failed.' } }, kind: 'poll' };
    }
    if (op.kind === 'delete') return { status: 204, kind: 'poll' };
    const res = ctx.state.get(op.resourceId);
    return res ? { status: 200, body: res, kind: 'poll' } : { status: 204, kind: 'poll' };
  }
  return undefined;
}
