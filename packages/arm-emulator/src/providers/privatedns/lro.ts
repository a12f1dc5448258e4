/**
 * Private DNS long-running operations: 202 with both `Location` (privateDnsOperationResults) and
 * `Azure-AsyncOperation` (privateDnsOperationStatuses) under the resource group, as the spec's examples show.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Operation } from '../../state.js';
import { beginOperation, operationStatusBody, retryAfterSeconds } from '../../arm/lro.js';
import { parseResourceId } from '../../arm/ids.js';

export function acceptedPrivateDns(ctx: EmulatorContext, req: ArmRequest, resourceId: string, kind: Operation['kind'], failWith?: Operation['failWith']): ArmResult {
  const op = beginOperation(ctx, resourceId, kind, { failWith });
  const p = parseResourceId(resourceId);
  const base = `${ctx.baseUrl}/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.Network`;
  return {
    status: 202,
    headers: {
      location: `${base}/privateDnsOperationResults/${op.id}?api-version=${req.apiVersion}`,
      'azure-asyncoperation': `${base}/privateDnsOperationStatuses/${op.id}?api-version=${req.apiVersion}`,
      'retry-after': retryAfterSeconds(ctx, op),
    },
  };
}

/**
 * A privateDnsOperationStatuses poll while the operation runs: 202 `{ status: "InProgress" }` with both headers again,
 * as the Azure CLI recording test_network_private_endpoint_private_dns_zone_group.yaml (2021, api-version 2018-09-01) shows;
 * once done, 200 like any Azure-AsyncOperation poll.
 */
export function runningPrivateDnsPoll(ctx: EmulatorContext, op: Operation, statusUrl: string): ArmResult {
  return {
    status: 202,
    body: operationStatusBody(op),
    headers: {
      'azure-asyncoperation': statusUrl,
      location: statusUrl.replace(/\/privateDnsOperationStatuses\//i, '/privateDnsOperationResults/'),
      'retry-after': retryAfterSeconds(ctx, op),
    },
    kind: 'poll',
  };
}
