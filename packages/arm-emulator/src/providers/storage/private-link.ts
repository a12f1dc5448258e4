/** What a storage account offers private endpoints: one group per service endpoint, each with its privatelink zone. */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { registerPrivateLinkTarget, type PrivateLinkGroup } from '../private-link.js';
import { storageSuffix } from './cloud.js';
import { ACCOUNT_TYPE } from './api.js';

const SERVICES = ['blob', 'table', 'queue', 'file', 'web', 'dfs'] as const;
/** Services whose secondary (read-access geo-replica) endpoint can also be private. */
const WITH_SECONDARY = new Set(['blob', 'table', 'queue', 'web', 'dfs']);

/**
 * A connection as Microsoft.Storage shows it: Network records connections in one shape for every
 * target; storage's has no `location` or `groupIds` and spells the state's `actionRequired`.
 */
export function storageConnectionView(connection: Resource): Resource {
  const { location: _location, ...view } = structuredClone(connection);
  const { groupIds: _groupIds, privateLinkServiceConnectionState: state, ...properties } = view.properties ?? {};
  if (state) {
    const { actionsRequired, ...rest } = state;
    properties.privateLinkServiceConnectionState = { ...rest, actionRequired: rest.actionRequired ?? actionsRequired ?? 'None' };
  }
  return { ...view, properties } as Resource;
}

export const APPROVAL_ACTION = 'Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action';

function serviceOf(groupId: string): string {
  return groupId.replace(/_secondary$/, '');
}

export function privateDnsZoneFor(groupId: string, location: string): string {
  return `privatelink.${serviceOf(groupId)}.${storageSuffix(location)}`;
}

export function storageGroups(account: Resource): PrivateLinkGroup[] {
  const groupIds = SERVICES.flatMap((s) => (WITH_SECONDARY.has(s) ? [s, `${s}_secondary`] : [s]));
  return groupIds.map((groupId) => ({ groupId, requiredMembers: [groupId], requiredZoneNames: [privateDnsZoneFor(groupId, account.location)] }));
}

/** Host names a private endpoint to the group serves, e.g. `{account}.blob.core.windows.net`. */
export function storageFqdns(account: Resource, groupId: string): string[] {
  const service = serviceOf(groupId);
  const secondary = groupId.endsWith('_secondary') ? '-secondary' : '';
  const published = account.properties?.primaryEndpoints?.[service] as string | undefined;
  const host = published ? new URL(published).host : `${account.name}.${service}.${storageSuffix(account.location)}`;
  return [host.replace(/^([^.]+)/, `$1${secondary}`)];
}

export function privateLinkResourcesBody(account: Resource): Record<string, unknown> {
  return {
    value: storageGroups(account).map((g) => ({
      id: `${account.id}/privateLinkResources/${g.groupId}`,
      name: g.groupId,
      type: 'Microsoft.Storage/storageAccounts/privateLinkResources',
      properties: g,
    })),
  };
}

export function registerStorageAsPrivateLinkTarget(): void {
  registerPrivateLinkTarget({
    type: ACCOUNT_TYPE,
    groups: (target: Resource, _ctx: EmulatorContext) => storageGroups(target),
    approvalAction: APPROVAL_ACTION,
    fqdns: (target: Resource, groupId: string) => storageFqdns(target, groupId),
    connectionView: storageConnectionView,
  });
}
