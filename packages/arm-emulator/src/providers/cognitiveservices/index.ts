/** Microsoft.CognitiveServices: accounts, private endpoint connections, private link resources, data plane. */
import type { Provider } from '../provider.js';
import { registerPrivateLinkTarget } from '../private-link.js';
import { documentIntelligenceDataPlane } from '../../dataplane/docintel.js';
import { ACCOUNT, ACCOUNTS_API, CONNECTIONS_API, LINK_RESOURCES_API } from './api.js';
import {
  putAccount, patchAccount, deleteAccount, getAccount, listAccountsInGroup, listAccountsInSubscription, listKeys, regenerateKey,
} from './accounts.js';
import { listConnections, getConnection, putConnection, deleteConnection } from './connections.js';
import { accountPrivateLinkTarget, listPrivateLinkResources } from './private-link-target.js';

const ACCOUNTS = 'Microsoft.CognitiveServices/accounts';
const CONNECTION = `${ACCOUNT}/privateEndpointConnections/{privateEndpointConnectionName}`;

export const cognitiveServicesProvider: Provider = {
  name: 'Microsoft.CognitiveServices',
  register(router) {
    registerPrivateLinkTarget(accountPrivateLinkTarget);
    router.add({ method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.CognitiveServices/accounts', api: ACCOUNTS_API, handler: listAccountsInSubscription });
    router.add({ method: 'GET', template: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.CognitiveServices/accounts', api: ACCOUNTS_API, handler: listAccountsInGroup });
    router.add({ method: 'GET', template: ACCOUNT, api: ACCOUNTS_API, handler: getAccount });
    router.add({ method: 'PUT', template: ACCOUNT, api: ACCOUNTS_API, action: `${ACCOUNTS}/write`, handler: putAccount });
    router.add({ method: 'PATCH', template: ACCOUNT, api: ACCOUNTS_API, action: `${ACCOUNTS}/write`, handler: patchAccount });
    router.add({ method: 'DELETE', template: ACCOUNT, api: ACCOUNTS_API, action: `${ACCOUNTS}/delete`, handler: deleteAccount });
    router.add({ method: 'POST', template: `${ACCOUNT}/listKeys`, api: ACCOUNTS_API, action: `${ACCOUNTS}/listKeys/action`, handler: listKeys });
    router.add({ method: 'POST', template: `${ACCOUNT}/regenerateKey`, api: ACCOUNTS_API, action: `${ACCOUNTS}/regenerateKey/action`, handler: regenerateKey });
    router.add({ method: 'GET', template: `${ACCOUNT}/privateEndpointConnections`, api: CONNECTIONS_API, handler: listConnections });
    router.add({ method: 'GET', template: CONNECTION, api: CONNECTIONS_API, handler: getConnection });
    router.add({ method: 'PUT', template: CONNECTION, api: CONNECTIONS_API, action: `${ACCOUNTS}/privateEndpointConnections/write`, handler: putConnection });
    router.add({ method: 'DELETE', template: CONNECTION, api: CONNECTIONS_API, action: `${ACCOUNTS}/privateEndpointConnections/delete`, handler: deleteConnection });
    router.add({ method: 'GET', template: `${ACCOUNT}/privateLinkResources`, api: LINK_RESOURCES_API, handler: listPrivateLinkResources });
  },
  dataPlanes: [documentIntelligenceDataPlane],
};
