/** Each change command's steps as phases: the steps of a phase run side by side, phases in order. */
import { planIdentity } from '../steps/identity.js';
import { planStorageLockdown } from '../steps/storage-lockdown.js';
import { planGrant } from '../steps/grant.js';
import { planPrivateEndpoints } from '../steps/private-endpoint.js';
import { planSubnetPolicies } from '../steps/subnet-policies.js';
import { planVirtualNetwork } from '../steps/virtual-network.js';
import { hasWrites, type StepPlan } from '../plan/types.js';
import type { StepContext } from '../steps/context.js';
import { UsageError } from '../core/errors.js';

export async function phasesFor(kind: string, ctx: StepContext): Promise<StepPlan[][]> {
  switch (kind) {
    case 'identity':
      return [[planIdentity(ctx)]];
    case 'storage-lockdown':
      return [[await planStorageLockdown(ctx)]];
    case 'grant': {
      const principalId = ctx.targets.account!.identity?.principalId;
      if (!principalId) {
        throw new UsageError(
          `Account '${ctx.targets.account!.name}' has no system-assigned managed identity yet, so there is no principal to grant storage access to. Nothing was written.`,
          'Run `secure-docintel identity` first, or `secure-docintel setup`, which does both in order.',
        );
      }
      return [[await planGrant(ctx, principalId)]];
    }
    case 'private-endpoint': {
      const network = planVirtualNetwork(ctx);
      return [...(network ? [[network]] : []), [planSubnetPolicies(ctx)], [await planPrivateEndpoints(ctx)]];
    }
    case 'setup': {
      const identity = planIdentity(ctx);
      const [storage, grant, pe] = await Promise.all([
        planStorageLockdown(ctx),
        planGrant(ctx, hasWrites(identity) ? undefined : ctx.targets.account!.identity?.principalId),
        planPrivateEndpoints(ctx),
      ]);
      const network = planVirtualNetwork(ctx);
      const subnet = planSubnetPolicies(ctx);
      // The subnet's policies go beside the identity unless this run creates the VNet first; the account's
      // endpoint chain then starts as soon as its identity is on, beside the grant.
      return network ? [[identity, storage, network], [grant, subnet], [pe]] : [[identity, storage, subnet], [grant, pe]];
    }
    default:
      throw new Error(`unknown command ${kind}`);
  }
}
