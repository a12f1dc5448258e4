import type { Provider } from './provider.js';
import { resourcesProvider } from './resources/index.js';
import { cognitiveServicesProvider } from './cognitiveservices/index.js';
import { storageProvider } from './storage/index.js';
import { networkProvider } from './network/index.js';
import { privateDnsProvider } from './privatedns/index.js';
import { authorizationProvider } from './authorization/index.js';
import { resourceGraphProvider } from './resourcegraph/index.js';
import { policyProvider } from './policy/index.js';

export const providers: Provider[] = [
  resourcesProvider,
  cognitiveServicesProvider,
  storageProvider,
  networkProvider,
  privateDnsProvider,
  authorizationProvider,
  resourceGraphProvider,
  policyProvider,
];
