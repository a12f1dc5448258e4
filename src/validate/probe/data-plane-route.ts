/**
 * Where the data-plane probes connect. On Azure: the host name as DNS resolves it. Against the emulator
 * (or another ARM endpoint serving the data planes): its HTTPS origin, with the Azure host name as SNI and
 * Host header — the emulator picks the data plane by host name — and trusting its CA. The caller's position
 * (`x-emulator-source-subnet`, `x-emulator-client-ip`) goes in request headers; the emulator resolves the host
 * name from that position as Azure DNS would and answers 503 with `x-emulator-unreachable` where a real client
 * could not connect.
 */
import { Agent } from 'node:https';
import { connect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Runtime } from '../../steps/context.js';

export interface DataPlaneRoute {
  /** true when the data planes are emulated: the probes can stand at any position (VNet, public IP) */
  emulated: boolean;
  agent?: Agent;
}

/** The emulator's stand-in for a failed connection (packages/arm-emulator/src/dataplane/resolve.ts). */
export { UNREACHABLE_HEADER as EMULATOR_UNREACHABLE_HEADER } from '@secure-docintel/arm-emulator/protocol';

export function dataPlaneRoute(rt: Runtime): DataPlaneRoute {
  const origin = rt.emulatorUrl ?? rt.settings.armEndpoint;
  if (!origin) return { emulated: false };
  const url = new URL(origin);
  // The session's trust (the roots and --ca-cert's CA) parsed once: a `ca` list given to each connection is parsed again each time.
  const secureContext = rt.session.secureContext;
  class EmulatorAgent extends Agent {
    override createConnection(options: { servername?: string; host?: string }, callback?: (err: Error | null, s: Duplex) => void): Duplex {
      const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: options.servername ?? options.host, secureContext });
      if (callback) socket.once('secureConnect', () => callback(null, socket)).once('error', (e) => callback(e, socket));
      return socket;
    }
  }
  return { emulated: true, agent: new EmulatorAgent({ keepAlive: false }) };
}
