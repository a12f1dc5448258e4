/** What an account offers private endpoints: the `account` group, its DNS zones and host names (three for an AIServices account). */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { accountNotReady, endpointGroupNotSupported, endpointWithoutSubdomain } from './errors.js';
import type { PrivateLinkGroup, PrivateLinkTarget } from '../private-link.js';
import { ACCOUNT_TYPE } from './api.js';
import { privateLinkSuffixes } from './cloud.js';
import { requireAccount } from './model.js';

export const ACCOUNT_GROUP = 'account';

function groups(account: Resource): PrivateLinkGroup[] {
  const zones = privateLinkSuffixes(account.kind, account.location).map((s) => `privatelink.${s}`);
  return [{ groupId: ACCOUNT_GROUP, requiredMembers: ['default'], requiredZoneNames: zones }];
}

export const accountPrivateLinkTarget: PrivateLinkTarget = {
  type: ACCOUNT_TYPE,
  groups: (account) => groups(account),
  assertCanConnect(account, groupId) {
    if (groupId.toLowerCase() !== ACCOUNT_GROUP) {
      throw endpointGroupNotSupported(groupId, ACCOUNT_GROUP);
    }
    if (!account.properties?.customSubDomainName) {
      throw endpointWithoutSubdomain(account.id);
    }
    const state = account.properties?.provisioningState;
    if (state && state !== 'Succeeded') {
      throw accountNotReady(account.id, state);
    }
  },
  approvalAction: 'Microsoft.CognitiveServices/accounts/privateEndpointConnectionsApproval/action',
  fqdns: (account) => {
    const sub = String(account.properties?.customSubDomainName ?? account.name).toLowerCase();
    return privateLinkSuffixes(account.kind, account.location).map((s) => `${sub}.${s}`);
  },
};

export function listPrivateLinkResources(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const account = requireAccount(req, ctx);
  const value = groups(account).map((g) => ({
    id: `${account.id}/privateLinkResources/${g.groupId}`,
    name: g.groupId,
    type: 'Microsoft.CognitiveServices/accounts/privateLinkResources',
    properties: { groupId: g.groupId, displayName: 'Account', requiredMembers: g.requiredMembers, requiredZoneNames: g.requiredZoneNames },
  }));
  return { status: 200, body: { value } };
}
