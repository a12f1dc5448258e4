/** Finding accounts in the emulator's state (a GET shows them through providers/private-link.ts's resourceView). */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
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

export function allAccounts(ctx: EmulatorContext, scope = '/'): Resource[] {
  return ctx.state.ofType(ACCOUNT_TYPE, scope);
}

/** The account whose custom subdomain is `subdomain` (subdomains are unique across Azure). */
export function accountBySubdomain(ctx: EmulatorContext, subdomain: string): Resource | undefined {
  const s = subdomain.toLowerCase();
  return allAccounts(ctx).find((a) => String(a.properties?.customSubDomainName ?? '').toLowerCase() === s);
}
