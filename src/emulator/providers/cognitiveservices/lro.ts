/** Cognitive Services deletes: 202 with Azure-AsyncOperation (operationStatuses) and Location, as the spec's examples show. */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { asyncOperationUrl, beginOperation, locationUrl, retryAfterSeconds } from '../../arm/lro.js';
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
