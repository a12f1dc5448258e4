import type { Provider } from '../provider.js';

/** Microsoft.CognitiveServices: accounts, private endpoint connections, private link resources, data plane. */
export const cognitiveServicesProvider: Provider = { name: 'Microsoft.CognitiveServices', register() {} };
