import type { Provider } from '../provider.js';
import { registerAccounts } from './accounts.js';
import { registerBlobServices } from './blob-services.js';
import { registerPrivateEndpointConnections } from './private-endpoint-connections.js';
import { registerStorageAsPrivateLinkTarget } from './private-link.js';
import { blobDataPlane } from './blob-dataplane.js';

/** Microsoft.Storage: storage accounts, blob services, private endpoint connections, private link resources, blob data plane. */
export const storageProvider: Provider = {
  name: 'Microsoft.Storage',
  register(router) {
    registerAccounts(router);
    registerBlobServices(router);
    registerPrivateEndpointConnections(router);
    registerStorageAsPrivateLinkTarget();
  },
  dataPlanes: [blobDataPlane],
};
