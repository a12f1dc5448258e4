/**
 * A resource-group deployment the way an Azure SDK client sends one (the pinned @azure/arm-resources 7
 * has no deployments client, so this is its pipeline: @azure/core-client with the bearer-token policy):
 * PUT the deployment, poll its Azure-AsyncOperation URL until terminal, read it and its operations.
 */
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
  const put = await armRequest(emu, 'PUT', `${path}?api-version=${DEPLOYMENTS_API}`, { properties: { mode: 'Incremental', template, parameters } }, credential);
  if (put.status >= 300) return { put, polls: [], final: put.body, operations: [] };
  const polls: string[] = [];
  const status = put.headers['azure-asyncoperation'];
  for (let i = 0; i < 200; i++) {
    const p = await armRequest(emu, 'GET', status, undefined, credential);
    polls.push(p.body.status);
    if (['Succeeded', 'Failed', 'Canceled'].includes(p.body.status)) break;
  }
  const final = (await armRequest(emu, 'GET', `${path}?api-version=${DEPLOYMENTS_API}`, undefined, credential)).body;
  const operations = (await armRequest(emu, 'GET', `${path}/operations?api-version=${DEPLOYMENTS_API}`, undefined, credential)).body.value;
  return { put, polls, final, operations };
}
