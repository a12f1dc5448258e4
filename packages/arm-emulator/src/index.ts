export { startEmulator, type StartOptions, type RunningEmulator, type ArmExchange } from './server.js';
export { makeCertificates, type Certificates } from './tls.js';
export { newSigningKey, type SigningKey } from './identity/tokens.js';
export { DEMO, demoScenario } from './demo.js';
export type { Scenario } from './scenario.js';
export { estate, BREAKAGES, type Estate, type EstateAccount, type EstateOptions, type Breakage } from './estate.js';
