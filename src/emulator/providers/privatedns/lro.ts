/**
 * Private DNS long-running operations: 202 with both `Location` (privateDnsOperationResults) and
 * `Azure-AsyncOperation` (privateDnsOperationStatuses) under the resource group, as the spec's examples show.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Operation } from '../../state.js';
import { beginOperation, retryAfterSeconds } from '../../arm/lro.js';
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
