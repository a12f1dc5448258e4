/** Microsoft.Network's long-running operation headers: Azure-AsyncOperation on writes, plus Location on deletes. */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Operation } from '../../state.js';
import { asyncOperationUrl, beginOperation, locationUrl, retryAfterSeconds } from '../../arm/lro.js';
import { NETWORK_NAMESPACE } from './api.js';

function operationHeaders(ctx: EmulatorContext, req: ArmRequest, op: Operation, location: string, withLocation: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'azure-asyncoperation': asyncOperationUrl(ctx, op, NETWORK_NAMESPACE, location, req.apiVersion),
    'retry-after': retryAfterSeconds(ctx, op),
  };
  if (withLocation) headers.location = locationUrl(ctx, op, NETWORK_NAMESPACE, location, req.apiVersion);
  return headers;
}

/** 201 on create / 200 on update, the body in its in-progress state, and the operation to poll. */
export function acceptedWrite(
  ctx: EmulatorContext, req: ArmRequest, operationResourceId: string, location: string, body: unknown, created: boolean, failWith?: Operation['failWith'],
): ArmResult {
  const op = beginOperation(ctx, operationResourceId, 'put', { inProgressState: 'Updating', failWith });
  return { status: created ? 201 : 200, body, headers: operationHeaders(ctx, req, op, location, false) };
}

/** 202 with Location and Azure-AsyncOperation; settling removes the resource. */
export function acceptedDelete(ctx: EmulatorContext, req: ArmRequest, resourceId: string, location: string): ArmResult {
  const op = beginOperation(ctx, resourceId, 'delete');
  return { status: 202, headers: operationHeaders(ctx, req, op, location, true) };
}
