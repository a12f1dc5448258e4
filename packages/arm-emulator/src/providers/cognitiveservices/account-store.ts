/** Finding accounts in the emulator's state and presenting them as a GET returns them. */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { connectionsOf } from '../private-link.js';
import { ACCOUNT_TYPE } from './api.js';
import { accountNotFound } from './errors.js';

export function accountIdOf(req: ArmRequest): string {
  const { subscriptionId, resourceGroupName, accountName } = req.params;
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${accountName}`;
}

export function requireAccount(req: ArmRequest, ctx: EmulatorContext): Resource {
  const account = ctx.state.get(accountIdOf(req));
  if (!account) throw accountNotFound(req.params.accountName, req.params.resourceGroupName);
  return account;
}

/** The account with its private endpoint connections embedded as they are now. */
export function present(ctx: EmulatorContext, account: Resource): Resource {
  account.properties ??= {};
  account.properties.privateEndpointConnections = connectionsOf(ctx, account.id).map((c) => structuredClone(c));
  return account;
}

export function allAccounts(ctx: EmulatorContext, scope = '/'): Resource[] {
  return ctx.state.ofType(ACCOUNT_TYPE, scope);
}

/** The account whose custom subdomain is `subdomain` (subdomains are unique across Azure). */
export function accountBySubdomain(ctx: EmulatorContext, subdomain: string): Resource | undefined {
  const s = subdomain.toLowerCase();
  return allAccounts(ctx).find((a) => String(a.properties?.customSubDomainName ?? '').toLowerCase() === s);
}
