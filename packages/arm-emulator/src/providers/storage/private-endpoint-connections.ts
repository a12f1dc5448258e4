/** storageAccounts/{name}/privateEndpointConnections (made by Microsoft.Network, approved or rejected here) and privateLinkResources. */
import type { Router, ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import { connectionNotFound, invalidValues } from './errors.js';
import { requireBody, json } from '../../arm/protocol.js';
import { connectionsOf } from '../private-link.js';
import { storageApi, ACCOUNT_PATH } from './api.js';
import { findAccount } from './model.js';
import { APPROVAL_ACTION, privateLinkResourcesBody, storageConnectionView } from './private-link.js';

const CONNECTIONS_API = storageApi('storageAccounts/privateEndpointConnections');
const LINK_RESOURCES_API = storageApi('storageAccounts/privateLinkResources');
const STATUSES = ['Pending', 'Approved', 'Rejected'];

function findConnection(ctx: EmulatorContext, req: ArmRequest) {
  const account = findAccount(ctx, req);
  const connection = ctx.state.get(`${account.id}/privateEndpointConnections/${req.params.privateEndpointConnectionName}`);
  if (!connection) throw connectionNotFound(req.params.privateEndpointConnectionName, req.params.accountName);
  return connection;
}

export function registerPrivateEndpointConnections(router: Router): void {
  const LIST = `${ACCOUNT_PATH}/privateEndpointConnections`;
  const ONE = `${LIST}/{privateEndpointConnectionName}`;
  router.add({
    method: 'GET',
    template: LIST,
    api: CONNECTIONS_API,
    handler: (req, ctx) => json(200, { value: connectionsOf(ctx, findAccount(ctx, req).id).map(storageConnectionView) }),
  });
  router.add({
    method: 'GET',
    template: ONE,
    api: CONNECTIONS_API,
    handler: (req, ctx) => json(200, storageConnectionView(findConnection(ctx, req))),
  });
  router.add({
    method: 'PUT',
    template: ONE,
    api: CONNECTIONS_API,
    action: APPROVAL_ACTION,
    handler: (req, ctx) => {
      const connection = findConnection(ctx, req);
      const state = requireBody(req).properties?.privateLinkServiceConnectionState;
      const status = STATUSES.find((s) => s.toLowerCase() === String(state?.status ?? '').toLowerCase());
      if (!status) {
        throw invalidValues('privateLinkServiceConnectionState.status');
      }
      connection.properties = {
        ...connection.properties,
        privateLinkServiceConnectionState: {
          status,
          description: state.description ?? connection.properties?.privateLinkServiceConnectionState?.description ?? '',
          // stored in the network's spelling, like every connection state; storageConnectionView spells it storage's way
          actionsRequired: state.actionRequired ?? 'None',
        },
        provisioningState: 'Succeeded',
      };
      return json(200, storageConnectionView(ctx.state.put(connection)));
    },
  });
  router.add({
    method: 'DELETE',
    template: ONE,
    api: CONNECTIONS_API,
    action: 'Microsoft.Storage/storageAccounts/privateEndpointConnections/delete',
    handler: (req, ctx) => {
      const account = findAccount(ctx, req);
      return json(ctx.state.delete(`${account.id}/privateEndpointConnections/${req.params.privateEndpointConnectionName}`) ? 200 : 204);
    },
  });
  router.add({
    method: 'GET',
    template: `${ACCOUNT_PATH}/privateLinkResources`,
    api: LINK_RESOURCES_API,
    handler: (req, ctx) => json(200, privateLinkResourcesBody(findAccount(ctx, req))),
  });
}
