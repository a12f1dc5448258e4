import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext, SettleHook } from '../context.js';
import type { ArmRequest, Router } from '../arm/router.js';

/** A data plane reached through the emulator by host name (e.g. `<account>.cognitiveservices.azure.com`). */
export interface DataPlane {
  name: string;
  matches(host: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<void>;
}

/** One Azure resource provider: its ARM routes, what happens when its operations settle, its data plane. */
export interface Provider {
  name: string;
  register(router: Router): void;
  settleHooks?: Record<string, SettleHook>;
  dataPlanes?: DataPlane[];
  /** run on every authorised write before its handler: may refuse it (throw) or alter its body (Azure Policy) */
  writeGuards?: ((req: ArmRequest, ctx: EmulatorContext) => void)[];
}
