/**
 * Cognitive Services long-running operations. Deletes: 202 with Azure-AsyncOperation (operationStatuses) and Location,
 * as the spec's examples show. Writes as the Azure CLI's recording test_cognitiveservices_network_rules.yaml (2024,
 * api-version 2023-05-01) shows: PATCH 202 with both headers, PUT 201 with Azure-AsyncOperation; the operation
 * polls `Updating` until `Succeeded`.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { asyncOperationUrl, beginOperation, locationUrl, retryAfterSeconds } from '../../arm/lro.js';
import type { Resource } from '../../state.js';
import { NAMESPACE } from './api.js';

export function acceptedDelete(ctx: EmulatorContext, req: ArmRequest, resourceId: string, location: string): ArmResult {
  const op = beginOperation(ctx, resourceId, 'delete');
  return {
    status: 202,
    headers: {
      'azure-asyncoperation': asyncOperationUrl(ctx, op, NAMESPACE, location, req.apiVersion, 'operationStatuses'),
      location: locationUrl(ctx, op, NAMESPACE, location, req.apiVersion),
      'retry-after': retryAfterSeconds(ctx, op),
    },
  };
}

/** Stores the account in its in-progress state and answers as Azure does: PUT 201/200 + Azure-AsyncOperation, PATCH 202 + both headers. */
export function acceptedWrite(ctx: EmulatorContext, req: ArmRequest, account: Resource, kind: 'put' | 'patch', created: boolean, body: unknown): ArmResult {
  ctx.state.put(account);
  const op = beginOperation(ctx, account.id, kind, { inProgressState: account.properties.provisioningState, runningStatus: created ? 'Creating' : 'Updating' });
  const headers: Record<string, string> = {
    'azure-asyncoperation': asyncOperationUrl(ctx, op, NAMESPACE, account.location, req.apiVersion, 'operationStatuses'),
    'retry-after': retryAfterSeconds(ctx, op),
  };
  if (kind === 'patch') headers.location = locationUrl(ctx, op, NAMESPACE, account.location, req.apiVersion);
  return { status: kind === 'patch' ? 202 : created ? 201 : 200, body, headers };
}
