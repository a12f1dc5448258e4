import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { linkedAuthorizationFailed } from './errors.js';

/**
 * ARM's check of a write that joins another resource (a subnet, a DNS zone, a virtual network):
 * the caller needs `linkedAction` on the linked resource as well as `action` on the request's scope.
 */
export function assertLinkedAccess(ctx: EmulatorContext, req: ArmRequest, action: string, linkedAction: string, linkedScope: string): void {
  const caller = req.caller!;
  if (ctx.authorizer.can(caller, linkedAction, linkedScope)) return;
  throw linkedAuthorizationFailed(req, action, linkedAction, linkedScope);
}
