import type { Provider } from '../provider.js';

/** Microsoft.Authorization: role definitions and role assignments. */
export const authorizationProvider: Provider = { name: 'Microsoft.Authorization', register() {} };
