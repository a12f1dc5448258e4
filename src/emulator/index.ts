export { startEmulator, type StartOptions, type RunningEmulator } from './server.js';
export { DEMO, demoScenario } from './demo.js';
export type { Scenario } from './scenario.js';
