/**
 * One ARM session per run: the credential, the official SDK clients (loaded only when a command
 * needs them), shared pipeline options (endpoint, CA, retries) and the count of ARM reads and writes.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import type { StorageManagementClient } from '@azure/arm-storage';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { PolicyClient } from '@azure/arm-policy';
import type { PolicyInsightsClient } from '@azure/arm-policyinsights';
import type { Cloud } from '../core/cloud.js';
import { UsageError } from '../core/errors.js';
import { transientConflictRetryPolicy } from './transient-retry.js';
import { chooseCredential, type SignIn } from './credential.js';
import { ArmPacer } from './arm-pacer.js';
import { isReadOnly } from './read-only-requests.js';

export interface SessionOptions {
  cloud: Cloud;
  /** another ARM endpoint (the emulator); then the credential is the Azure CLI's login, or AZURE_CLIENT_SECRET sent to AZURE_AUTHORITY_HOST */
  armEndpoint?: string;
  /** PEM file of an extra CA to trust (the emulator's) */
  caCertFile?: string;
  /** ready-made credential (tests, --emulator) */
  credential?: TokenCredential;
  env?: NodeJS.ProcessEnv;
  /** log each ARM request (method and path only) */
  trace?: (line: string) => void;
  /** pause between retries of transient faults, for tests */
  retryDelayMs?: number;
  /** called before every ARM write is sent; throwing stops it (Ctrl-C stops after the write in progress) */
  beforeWrite?: () => void;
  /** paces requests by ARM's rate-limit headers; sessions of one run share it (default: the session's own) */
  pacer?: ArmPacer;
}

/** Sees every ARM request's final answer (after retries): the run's journal. */
export interface ArmObserver {
  /** before a write is sent; a rejection stops it. Returns what afterWrite is given back. */
  beforeWrite(method: string, url: string): Promise<number>;
  afterWrite(write: number, status: number, bodyText?: string, etag?: string): void;
  afterRead(url: string, status: number, bodyText?: string, etag?: string): void;
}

/** The SDK packages a session loads on first use (each its own chunk of the bundle). */
const SDK = {
  cognitive: () => import('@azure/arm-cognitiveservices'),
  storage: () => import('@azure/arm-storage'),
  network: () => import('@azure/arm-network'),
  privateDns: () => import('@azure/arm-privatedns'),
  authorization: () => import('@azure/arm-authorization'),
  resources: () => import('@azure/arm-resources'),
};

export type SdkPackage = keyof typeof SDK;

/**
 * The operation groups of the network and Cognitive Services clients the product uses. The build
 * (scripts/build.mjs reads these lists from here) bundles only these of the clients' groups —
 * arm-network has ~150 and was most of setup's peak memory — and the types below make any other
 * group a compile error rather than an undefined at run time. Add a group here to use it.
 */
export const NETWORK_GROUPS = ['virtualNetworks', 'subnets', 'privateEndpoints', 'privateDnsZoneGroups', 'networkInterfaces'] as const;
export const COGNITIVE_GROUPS = ['accounts', 'privateEndpointConnections', 'privateLinkResources'] as const;
export type NetworkClient = Pick<NetworkManagementClient, (typeof NETWORK_GROUPS)[number]>;
export type CognitiveClient = Pick<CognitiveServicesManagementClient, (typeof COGNITIVE_GROUPS)[number]>;

/**
 * Starts loading the SDK packages a command is going to use, so their code is read and compiled
 * while the sign-in and the first reads wait on the network rather than each in turn when first
 * needed. A package that fails to load fails where it is used, as before.
 */
export function preloadSdk(packages: SdkPackage[]): void {
  for (const p of packages) SDK[p]().catch(() => undefined);
}

export interface ArmCounts {
  reads: number;
  writes: number;
}

export class ArmSession {
  readonly counts: ArmCounts = { reads: 0, writes: 0 };
  /** the run's journal, once a change command has one */
  observer?: ArmObserver;
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** how the run signed in ('given' for a ready-made credential) */
  readonly signIn: SignIn;
  private readonly tlsOptions?: { ca: string };
  private readonly agent?: Agent;
  /** With --ca-cert: the roots and that CA, parsed once, for the data-plane probes' own connections. */
  readonly secureContext?: SecureContext;
  private readonly clients = new Map<string, Promise<unknown>>();
  readonly pacer: ArmPacer;

  private constructor(readonly options: SessionOptions, credential: TokenCredential, signIn: SignIn, tlsOptions?: { ca: string }) {
    this.pacer = options.pacer ?? new ArmPacer();
    this.endpoint = (options.armEndpoint ?? options.cloud.resourceManager).replace(/\/$/, '');
    this.credential = credential;
    this.signIn = signIn;
    this.tlsOptions = tlsOptions;
    this.agent = tlsOptions && agentTrusting(tlsOptions);
    this.secureContext = tlsOptions && contextTrusting(tlsOptions);
  }

  static async create(options: SessionOptions): Promise<ArmSession> {
    const env = options.env ?? process.env;
    let tlsOptions: { ca: string } | undefined;
    if (options.caCertFile) {
      let pem: string;
      try {
        pem = readFileSync(options.caCertFile, 'utf8');
      } catch (e) {
        throw new UsageError(`Cannot read the CA certificate file '${options.caCertFile}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Pass --ca-cert (or SECURE_DOCINTEL_CA_CERT) the path of a readable PEM file, e.g. the one the emulator prints.');
      }
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        throw new UsageError(`The CA certificate file '${options.caCertFile}' holds no PEM certificate.`, 'Pass --ca-cert the PEM file the emulator (or your proxy) wrote.');
      }
      tlsOptions = { ca: [...rootCertificates, pem].join('\n') };
    }
    const { credential, signIn } = options.credential
      ? { credential: options.credential, signIn: 'given' as const }
      : await chooseCredential(options, env, tlsOptions, tlsOptions && agentTrusting(tlsOptions));
    return new ArmSession(options, credential, signIn, tlsOptions);
  }

  /**
   * Another session with this one's sign-in, connections and pacer, but its own counts and reads:
   * one per account of an inventory, so each account's writes are its own and one account's write
   * does not end another's shared reads.
   */
  sibling(): ArmSession {
    return new ArmSession({ ...this.options, pacer: this.pacer }, this.credential, this.signIn, this.tlsOptions);
  }

  /** each GET's answer (as the wire gave it) since the last write */
  private readonly reads = new Map<string, Promise<PipelineResponse>>();
  private wrote = false;

  /**
   * Until this run writes anything, the same GET is answered once: the plan, the steps, the journal's
   * "before" and the validation after them share what was read — a 404 as much as a 200, and a read
   * still in flight as much as one answered. The first write ends it, so every read after a change
   * (polls included) goes to Azure. It sits below the deserialization, so each caller's own SDK
   * client parses the shared body with its own models (a generic GET by id and a typed client's GET
   * of the same URL see the same JSON differently), onto a copy of its own.
   */
  private readOncePolicy(): PipelinePolicy {
    return {
      name: 'secureDocintelReadOnce',
      sendRequest: async (request, next) => {
        if (request.method !== 'GET') {
          if (isReadOnly(request.method, request.url)) return next(request);
          this.wrote = true;
          this.reads.clear();
          return next(request);
        }
        if (this.wrote) return next(request);
        const hit = this.reads.get(request.url);
        if (hit) return { ...(await hit), request };
        const sent = next(request).then((response) => ({ ...response }));
        this.reads.set(request.url, sent);
        let response: PipelineResponse;
        try {
          response = await sent;
        } catch (e) {
          if (this.reads.get(request.url) === sent) this.reads.delete(request.url);
          throw e;
        }
        // Only a definite answer is shared: a throttled or failed read is tried again by the next caller.
        if (response.status !== 200 && response.status !== 404 && this.reads.get(request.url) === sent) this.reads.delete(request.url);
        return { ...response, request };
      },
    };
  }

  /** Outside the retries: the observer sees each request once, with its final answer. */
  private observingPolicy(): PipelinePolicy {
    return {
      name: 'secureDocintelJournal',
      sendRequest: async (request, next) => {
        const observer = this.observer;
        if (!observer) return next(request);
        // Policy Insights' queries and Resource Graph are POSTs that only read: not a run's writes.
        const write = !isReadOnly(request.method, request.url);
        const sent = write ? await observer.beforeWrite(request.method, request.url) : -1;
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (e) {
          if (write) observer.afterWrite(sent, (e as { statusCode?: number }).statusCode ?? 0);
          throw e;
        }
        const etag = response.headers.get('etag') ?? undefined;
        if (write) observer.afterWrite(sent, response.status, response.bodyAsText ?? undefined, etag);
        else if (request.method === 'GET') observer.afterRead(request.url, response.status, response.bodyAsText ?? undefined, etag);
        return response;
      },
    };
  }

  private countingPolicy(): PipelinePolicy {
    return {
      name: 'secureDocintelArmCounter',
      sendRequest: async (request, next) => {
        if (isReadOnly(request.method, request.url)) this.counts.reads++;
        else {
          this.options.beforeWrite?.();
          this.counts.writes++;
        }
        const response = await next(request);
        this.options.trace?.(`${request.method} ${new URL(request.url).pathname} → ${response.status}`);
        return response;
      },
    };
  }

  /** Options every SDK client gets. */
  clientOptions(): Record<string, unknown> {
    return {
      endpoint: this.endpoint,
      credentialScopes: [this.options.armEndpoint ? 'https://management.azure.com/.default' : this.options.cloud.armScope],
      tlsOptions: this.tlsOptions,
      agent: this.agent,
      retryOptions: { maxRetries: 4, retryDelayInMs: this.options.retryDelayMs ?? 800, maxRetryDelayInMs: 10_000 },
      additionalPolicies: [
        // Before the pacer and the counter: a read answered from what was already read is neither paced nor counted.
        { policy: this.readOncePolicy(), position: 'perRetry' },
        { policy: this.pacer.policy(), position: 'perRetry' },
        { policy: this.countingPolicy(), position: 'perRetry' },
        { policy: this.observingPolicy(), position: 'perCall' },
        { policy: transientConflictRetryPolicy(this.options.retryDelayMs), position: 'perCall' },
      ],
      userAgentOptions: { userAgentPrefix: 'secure-docintel' },
    };
  }

  /**
   * The change run has ended and nothing more will be written: reads are answered once again from
   * here, so the journal's read-back of each resource and the validation after it share one GET (the
   * next write, if any, ends it as before).
   */
  readOnceFromNow(): void {
    if (!this.wrote) return; // nothing was written: what was read still stands
    this.wrote = false;
    this.reads.clear();
  }

  private cached<T>(key: string, make: () => Promise<T>): Promise<T> {
    let c = this.clients.get(key) as Promise<T> | undefined;
    if (!c) {
      c = make();
      this.clients.set(key, c);
    }
    return c;
  }

  cognitive(subscriptionId: string): Promise<CognitiveClient> {
    return this.cached(`cog:${subscriptionId}`, async () => {
      const m = await SDK.cognitive();
      return new m.CognitiveServicesManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  storage(subscriptionId: string): Promise<StorageManagementClient> {
    return this.cached(`st:${subscriptionId}`, async () => {
      const m = await SDK.storage();
      return new m.StorageManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  network(subscriptionId: string): Promise<NetworkClient> {
    return this.cached(`net:${subscriptionId}`, async () => {
      const m = await SDK.network();
      return new m.NetworkManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  privateDns(subscriptionId: string): Promise<PrivateDnsManagementClient> {
    return this.cached(`dns:${subscriptionId}`, async () => {
      const m = cjs(await SDK.privateDns());
      return new m.PrivateDnsManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  authorization(subscriptionId: string): Promise<AuthorizationManagementClient> {
    return this.cached(`auth:${subscriptionId}`, async () => {
      const m = cjs(await SDK.authorization());
      return new m.AuthorizationManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  resources(subscriptionId: string): Promise<ResourceManagementClient> {
    return this.cached(`res:${subscriptionId}`, async () => {
      const m = await SDK.resources();
      return new m.ResourceManagementClient(this.credential, subscriptionId, this.clientOptions());
    });
  }
  resourceGraph(): Promise<ResourceGraphClient> {
    return this.cached('graph', async () => {
      const m = await import('@azure/arm-resourcegraph');
      return new m.ResourceGraphClient(this.credential, this.clientOptions());
    });
  }
  /** Azure Policy; the subscription is only used by the subscription-scoped operations. */
  policy(subscriptionId?: string): Promise<PolicyClient> {
    return this.cached(`policy:${subscriptionId ?? ''}`, async () => {
      const m = await import('@azure/arm-policy');
      return subscriptionId ? new m.PolicyClient(this.credential, subscriptionId, this.clientOptions()) : new m.PolicyClient(this.credential, this.clientOptions());
    });
  }
  policyInsights(subscriptionId?: string): Promise<PolicyInsightsClient> {
    return this.cached(`insights:${subscriptionId ?? ''}`, async () => {
      const m = await import('@azure/arm-policyinsights');
      return subscriptionId ? new m.PolicyInsightsClient(this.credential, subscriptionId, this.clientOptions()) : new m.PolicyInsightsClient(this.credential, this.clientOptions());
    });
  }
  subscriptions(): Promise<SubscriptionClient> {
    return this.cached('subs', async () => {
      const m = await import('@azure/arm-resources-subscriptions');
      return new m.SubscriptionClient(this.credential, this.clientOptions());
    });
  }
}

const agents = new Map<string, Agent>();
const contexts = new Map<string, SecureContext>();

/**
 * The CA list parsed once per process: each new TLS connection given a `ca` list instead parses it
 * whole again (Node's ~150 root certificates and the extra one, ~20 ms each on a 2-core machine).
 */
function contextTrusting(tlsOptions: { ca: string }): SecureContext {
  let context = contexts.get(tlsOptions.ca);
  if (!context) {
    context = createSecureContext(tlsOptions);
    contexts.set(tlsOptions.ca, context);
  }
  return context;
}

/**
 * With an extra CA, one connection pool for every client and the credential: left to the SDK, each
 * client gets its own agent and every new connection parses the whole CA list again.
 */
function agentTrusting(tlsOptions: { ca: string }): Agent {
  let agent = agents.get(tlsOptions.ca);
  if (!agent) {
    agent = new Agent({ keepAlive: true, secureContext: contextTrusting(tlsOptions) });
    agents.set(tlsOptions.ca, agent);
  }
  return agent;
}

/** Older SDK packages are CommonJS: once bundled, their exports sit on `default`. */
function cjs<T extends object>(m: T): T {
  const d = (m as { default?: T }).default;
  return d && typeof d === 'object' && Object.keys(m).length <= 2 ? d : m;
}
