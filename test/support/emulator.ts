/** Test fixture: an emulator over HTTPS and credentials/options for the official SDK clients. */
import { Agent } from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, makeCertificates, newSigningKey, DEMO, type Certificates, type SigningKey, type StartOptions, type RunningEmulator } from '../../packages/arm-emulator/src/index.js';
import { expect } from 'vitest';
import { ExchangeConformance, specValidationMode } from './spec-conformance.js';

export { DEMO };

export interface TestEmulator extends RunningEmulator {
  /** client options for any @azure/arm-* client: endpoint, scopes and the emulator's CA */
  clientOptions: { endpoint: string; credentialScopes: string[]; tlsOptions: { ca: string }; agent: Agent };
  owner: ClientSecretCredential;
  reader: ClientSecretCredential;
  /** JSON from a control endpoint, e.g. control('GET', 'requests') */
  control(method: string, what: string, body?: unknown): Promise<any>;
  /** ARM requests logged since the last clearLog(), without token and poll requests */
  armRequests(): Promise<{ time: string; method: string; path: string; apiVersion?: string; status: number; kind: string }[]>;
  clearLog(): Promise<void>;
  /** validation of this emulator's ARM exchanges against test/azure-specs (absent with SPEC_VALIDATION=off) */
  specConformance?: ExchangeConformance;
}

/**
 * One CA and server certificate for the loopback emulators of this test process (each still gets its
 * own CA file and directory), and one token signing key: making RSA keys was most of a start.
 */
let loopbackCertificates: Promise<Certificates> | undefined;
let signingKey: Promise<SigningKey> | undefined;
/** The trust of each CA, parsed once: the loopback emulators share one CA, and each parse of Node's roots costs ~20 ms. */
const secureContexts = new Map<string, SecureContext>();

/** The key material of this process's loopback test emulators, for a test that calls startEmulator itself. */
export async function sharedKeys(): Promise<Pick<StartOptions, 'certificates' | 'signingKey'>> {
  return { certificates: await (loopbackCertificates ??= makeCertificates('127.0.0.1')), signingKey: await (signingKey ??= newSigningKey()) };
}

export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const keys = options.host === undefined ? await sharedKeys() : { signingKey: await (signingKey ??= newSigningKey()) };
  const mode = specValidationMode();
  const conformance = mode === 'off' ? undefined : new ExchangeConformance(expect.getState().testPath ?? 'unknown test file');
  const onExchange = conformance ? (x: Parameters<NonNullable<StartOptions['onExchange']>>[0]) => { conformance.record(x); options.onExchange?.(x); } : options.onExchange;
  const emu = await startEmulator({ port: 0, ...keys, ...options, onExchange });
  const stopServer = emu.stop.bind(emu);
  const tlsOptions = { ca: [...rootCertificates, emu.caCert].join('\n') };
  // One connection pool for every client of this emulator, its CA list parsed once (not per connection).
  let secureContext = secureContexts.get(emu.caCert);
  if (!secureContext) secureContexts.set(emu.caCert, (secureContext = createSecureContext(tlsOptions)));
  const agent = new Agent({ keepAlive: true, secureContext });
  const cred = (clientId: string, secret: string) =>
    new ClientSecretCredential(DEMO.tenantId, clientId, secret, { authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions, agent } as never);
  const control = async (method: string, what: string, body?: unknown) => {
    const { request } = await import('node:https');
    return new Promise<any>((resolve, reject) => {
      const req = request(`${emu.url}/_emulator/${what}`, { method, ca: emu.caCert, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(text ? JSON.parse(text) : undefined);
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };
  return Object.assign(emu, {
    clientOptions: { endpoint: emu.url, credentialScopes: ['https://management.azure.com/.default'], tlsOptions, agent },
    owner: cred(DEMO.owner.clientId, DEMO.owner.secret),
    reader: cred(DEMO.reader.clientId, DEMO.reader.secret),
    control,
    async armRequests() {
      const log = await control('GET', 'requests?kind=arm');
      return log.value;
    },
    async clearLog() {
      await control('DELETE', 'requests');
    },
    specConformance: conformance,
    /** stops the server, then fails (SPEC_VALIDATION=strict) when an exchange broke the specs */
    async stop() {
      agent.destroy();
      await stopServer();
      conformance?.finish(mode);
    },
  });
}

/** One raw ARM request to an emulator as its owner (or reader), with the response's status, headers and JSON body. */
export async function armCall(
  e: TestEmulator,
  method: string,
  path: string,
  opts: { body?: unknown; as?: 'owner' | 'reader' } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }> {
  const { request } = await import('node:https');
  const token = (await e[opts.as ?? 'owner'].getToken('https://management.azure.com/.default'))!.token;
  return new Promise((resolve, reject) => {
    const req = request(`${e.url}${path}`, { method, ca: e.caCert, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}
