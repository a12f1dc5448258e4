import { ArmError } from '../../arm/errors.js';
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';

/**
 * ARM's check of a write that joins another resource (a subnet, a DNS zone, a virtual network):
 * the caller needs `linkedAction` on the linked resource as well as `action` on the request's scope.
 */
export function assertLinkedAccess(ctx: EmulatorContext, req: ArmRequest, action: string, linkedAction: string, linkedScope: string): void {
  const caller = req.caller!;
  if (ctx.authorizer.can(caller, linkedAction, linkedScope)) return;
  throw linkedAuthorizationFailed(req, action, linkedAction, linkedScope);
}

export function linkedAuthorizationFailed(req: ArmRequest, action: string, linkedAction: string, linkedScope: string): ArmError {
  const caller = req.caller!;
  return new ArmError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${caller.appId ?? caller.objectId}' with object id '${caller.objectId}' has permission to perform action '${action}' on scope '${req.path}'; however, it does not have permission to perform action '${linkedAction}' on the linked scope(s) '${linkedScope}' or the linked scope(s) are invalid.`,
  );
}
