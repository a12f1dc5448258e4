/**
 * A resource-group deployment the way an Azure SDK client sends one. The pinned @azure/arm-resources 7
 * has no deployments client and @azure/arm-resourcesdeployments needs Node 22, so this is what such a
 * client is made of: the @azure/core-client pipeline with the bearer-token policy, and @azure/core-lro's
 * HTTP poller (the LRO algorithm of every Azure SDK: Azure-AsyncOperation polls, then the final GET).
 */
import { createHttpPoller, type OperationResponse, type OperationState } from '@azure/core-lro';
import { ServiceClient } from '@azure/core-client';
import { bearerTokenAuthenticationPolicy, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { DEMO, type TestEmulator } from './emulator.js';

/** The api-version Debian's az 2.45 sends for Microsoft.Resources (its `latest` profile). */
export const DEPLOYMENTS_API = '2021-04-01';

export interface ArmResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

const clients = new WeakMap<object, ServiceClient>();

function clientFor(emu: TestEmulator, credential: TokenCredential): ServiceClient {
  let c = clients.get(credential);
  if (!c) {
    c = new ServiceClient({ endpoint: emu.url, tlsOptions: emu.clientOptions.tlsOptions, agent: emu.clientOptions.agent } as never);
    c.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: emu.clientOptions.credentialScopes }));
    clients.set(credential, c);
  }
  return c;
}

export async function armRequest(emu: TestEmulator, method: string, pathOrUrl: string, body?: unknown, credential: TokenCredential = emu.owner): Promise<ArmResponse> {
  const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${emu.url}${pathOrUrl}`;
  const req = createPipelineRequest({ url, method: method as never, headers: createHttpHeaders({ 'content-type': 'application/json' }), body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), tlsSettings: { ca: emu.clientOptions.tlsOptions.ca } as never, agent: emu.clientOptions.agent });
  const res = await clientFor(emu, credential).sendRequest(req);
  return { status: res.status, headers: res.headers.toJSON(), body: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
}

export function deploymentPath(name: string, resourceGroup = DEMO.resourceGroup): string {
  return `/subscriptions/${DEMO.subscriptionId}/resourcegroups/${resourceGroup}/providers/Microsoft.Resources/deployments/${name}`;
}

export interface DeploymentRun {
  put: ArmResponse;
  polls: string[];
  final: any;
  operations: any[];
}

export async function deployTemplate(emu: TestEmulator, name: string, template: unknown, parameters: Record<string, unknown> = {}, credential?: TokenCredential): Promise<DeploymentRun> {
  const path = deploymentPath(name);
  const url = `${emu.url}${path}?api-version=${DEPLOYMENTS_API}`;
  const polls: string[] = [];
  let put: ArmResponse | undefined;
  const asOperation = (r: ArmResponse, method: string, at: string): OperationResponse<unknown> => ({ flatResponse: r.body, rawResponse: { statusCode: r.status, headers: r.headers, body: r.body, request: { method, url: at } } });
  const poller = createHttpPoller<any, OperationState<any>>(
    {
      sendInitialRequest: async () => {
        put = await armRequest(emu, 'PUT', url, { properties: { mode: 'Incremental', template, parameters } }, credential);
        return asOperation(put, 'PUT', url);
      },
      sendPollRequest: async (pollUrl: string) => {
        const r = await armRequest(emu, 'GET', pollUrl, undefined, credential);
        if (r.body?.status) polls.push(r.body.status);
        return asOperation(r, 'GET', pollUrl);
      },
    },
    { intervalInMs: 0, resolveOnUnsuccessful: true },
  );
  let final: any;
  try {
    final = await poller.pollUntilDone();
  } catch (e) {
    if (put && put.status >= 300) return { put, polls, final: put.body, operations: [] };
    throw e;
  }
  final = (await armRequest(emu, 'GET', url, undefined, credential)).body ?? final;
  const operations = (await armRequest(emu, 'GET', `${path}/operations?api-version=${DEPLOYMENTS_API}`, undefined, credential)).body.value;
  return { put: put!, polls, final, operations };
}
