import type { Provider } from '../provider.js';

/** Microsoft.Storage: storage accounts, blob services, private endpoint connections, private link resources, blob data plane. */
export const storageProvider: Provider = { name: 'Microsoft.Storage', register() {} };
