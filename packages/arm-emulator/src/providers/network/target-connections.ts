/** The private endpoint connection a private endpoint makes on its target (see ../private-link.ts). */
import { connectionsOf } from '../private-link.js';
import { keyOf, resourceType } from '../../arm/ids.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';

export interface ConnectionState {
  status: 'Approved' | 'Pending' | 'Rejected' | 'Disconnected';
  description: string;
  actionsRequired: string;
}

export function createTargetConnection(ctx: EmulatorContext, target: Resource, privateEndpoint: Resource, groupIds: string[], state: ConnectionState): Resource {
  const name = `${privateEndpoint.name}.${ctx.newGuid()}`;
  return ctx.state.put({
    id: `${target.id}/privateEndpointConnections/${name}`,
    name,
    type: `${resourceType(target.id)}/privateEndpointConnections`,
    ...(target.location ? { location: target.location } : {}),
    properties: {
      privateEndpoint: { id: privateEndpoint.id },
      groupIds,
      privateLinkServiceConnectionState: state,
      provisioningState: 'Succeeded',
    },
  });
}

export function targetConnectionOf(ctx: EmulatorContext, targetId: string, privateEndpointId: string): Resource | undefined {
  return connectionsOf(ctx, targetId).find((c) => keyOf(String(c.properties?.privateEndpoint?.id ?? '')) === keyOf(privateEndpointId));
}
