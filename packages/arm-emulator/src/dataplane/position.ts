/**
 * Where a data-plane caller sits. Azure decides data-plane access by the network path a request
 * arrives on; the emulator reads it from request headers (documented in BEHAVIOR.md) or the scenario:
 * - `x-emulator-client-ip: 198.51.100.7` — a client on the public internet with that address;
 * - `x-emulator-source-subnet: <subnet resource id>` — a client inside that subnet: it resolves host names
 *   through the private DNS zones linked to its virtual network (resolve.ts) and reaches a private endpoint
 *   only when the name resolves to its address; otherwise it arrives publicly from the virtual network's
 *   egress address (`extras.vnetEgressIps`, default 192.0.2.1);
 * - neither: the scenario's `extras.clientIp` (demo: 203.0.113.10), a public client.
 * Calls the account makes to storage with its managed identity are not HTTP requests in the emulator:
 * the Document Intelligence data plane asks the storage rules directly with a `service` caller.
 */
import type { IncomingMessage } from 'node:http';
import type { EmulatorContext } from '../context.js';
import { CLIENT_IP_HEADER, SOURCE_SUBNET_HEADER } from '../protocol.js';

export type DataPlaneCaller =
  | { kind: 'client'; ip?: string; subnetId?: string; /** object id from a bearer token, if any */ principalId?: string }
  | { kind: 'service'; /** the calling Azure resource, e.g. the Document Intelligence account */ resourceId: string; principalId?: string };


export function callerPosition(req: IncomingMessage, ctx: EmulatorContext): { ip?: string; subnetId?: string } {
  const subnet = req.headers[SOURCE_SUBNET_HEADER];
  if (typeof subnet === 'string' && subnet) return { subnetId: subnet };
  const ip = req.headers[CLIENT_IP_HEADER];
  if (typeof ip === 'string' && ip) return { ip };
  const fallback = ctx.state.extras.clientIp;
  return { ip: typeof fallback === 'string' ? fallback : '203.0.113.10' };
}

/** Outcome of an access decision, with the error Azure's data plane answers. */
export type AccessDecision = { ok: true } | { ok: false; status: number; code: string; message: string; headers?: Record<string, string> };
