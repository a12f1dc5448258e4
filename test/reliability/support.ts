/**
 * What the reliability tests share: the settings a user already had before running secure-docintel
 * (seeded into the emulator), the checks that they survived, and the checks that nothing the tool
 * owns was created twice.
 */
import { expect } from 'vitest';
import { DEMO, type TestEmulator } from '../support/emulator.js';

export const RG = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
export const ACCOUNT_ID = `${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
export const STORAGE_ID = `${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;
export const BLOB_SERVICE_ID = `${STORAGE_ID}/blobServices/default`;
export const VNET_ID = `${RG}/providers/Microsoft.Network/virtualNetworks/${DEMO.vnet}`;
export const SUBNET_ID = `${VNET_ID}/subnets/${DEMO.subnet}`;

/** What was there before: every one of these must survive any run, failed or not. */
export const SEED = {
  uami: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-app`,
  storageTags: { owner: 'data-team', costCenter: '4711' },
  accountTags: { env: 'prod' },
  storageIp: '198.51.100.7',
  accountIp: '198.51.100.9',
  synapse: `${RG}/providers/Microsoft.Synapse/workspaces/ws1`,
  cors: { allowedOrigins: ['https://app.contoso.com'], allowedMethods: ['GET'], allowedHeaders: ['x-ms-*'], exposedHeaders: [], maxAgeInSeconds: 60 },
  otherAssignment: {
    name: '0c0c0c0c-0000-4000-8000-00000000000c',
    principalId: '5a5a5a5a-5555-4555-8555-555555555555',
    roleDefinitionGuid: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  },
} as const;

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export async function stateOf(emu: TestEmulator): Promise<{ resources: any[]; principals: any[] }> {
  return emu.control('GET', 'state');
}

export function find(state: { resources: any[] }, id: string): any {
  return state.resources.find((r) => sameId(r.id, id));
}

/** Seeds the settings a user had before: rules on both firewalls, CORS, tags, a user-assigned identity, another role assignment. */
export async function seedPreexisting(emu: TestEmulator, opts: { accountIpRule?: boolean } = {}): Promise<void> {
  const state = await stateOf(emu);
  const vnet = find(state, VNET_ID);
  vnet.properties.subnets[0].properties.serviceEndpoints = [{ service: 'Microsoft.Storage', locations: [DEMO.location], provisioningState: 'Succeeded' }];
  const storage = find(state, STORAGE_ID);
  storage.tags = { ...SEED.storageTags };
  storage.properties.networkAcls = {
    bypass: 'Logging, Metrics',
    defaultAction: 'Allow',
    ipRules: [{ value: SEED.storageIp, action: 'Allow' }],
    virtualNetworkRules: [{ id: SUBNET_ID, action: 'Allow', state: 'Succeeded' }],
    resourceAccessRules: [{ tenantId: DEMO.tenantId, resourceId: SEED.synapse }],
  };
  const blob = find(state, BLOB_SERVICE_ID);
  blob.properties.cors = { corsRules: [SEED.cors] };
  const account = find(state, ACCOUNT_ID);
  account.tags = { ...SEED.accountTags };
  account.identity = {
    type: 'UserAssigned',
    userAssignedIdentities: { [SEED.uami]: { principalId: '0e0e0e0e-0000-4000-8000-000000000001', clientId: '0e0e0e0e-0000-4000-8000-000000000002' } },
  };
  // Azure accepts account network rules only once the account has a custom subdomain.
  if (opts.accountIpRule) {
    account.properties.customSubDomainName = DEMO.account;
    account.properties.networkAcls = { defaultAction: 'Allow', ipRules: [{ value: SEED.accountIp }], virtualNetworkRules: [] };
  }
  const o = SEED.otherAssignment;
  const other = {
    id: `${STORAGE_ID}/providers/Microsoft.Authorization/roleAssignments/${o.name}`,
    name: o.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: `/subscriptions/${DEMO.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${o.roleDefinitionGuid}`,
      principalId: o.principalId,
      principalType: 'User',
      scope: STORAGE_ID,
    },
  };
  await emu.control('PUT', 'state', { resources: [vnet, storage, blob, account, other] });
}

/** Every pre-existing setting is still there. */
export function expectSeedKept(state: { resources: any[] }, label = '', opts: { accountIpRule?: boolean } = {}): void {
  const storage = find(state, STORAGE_ID);
  const acls = storage.properties.networkAcls;
  expect(storage.tags, `${label} storage tags`).toMatchObject(SEED.storageTags);
  expect(acls.ipRules.map((r: { value: string }) => r.value), `${label} storage ip rules`).toContain(SEED.storageIp);
  expect(acls.virtualNetworkRules.map((r: { id: string }) => r.id.toLowerCase()), `${label} storage vnet rules`).toContain(SUBNET_ID.toLowerCase());
  expect((acls.resourceAccessRules ?? []).map((r: { resourceId: string }) => r.resourceId.toLowerCase()), `${label} resource-access rules`).toContain(SEED.synapse.toLowerCase());
  const bypass = String(acls.bypass).split(',').map((s) => s.trim());
  expect(bypass, `${label} bypass keeps Logging and Metrics`).toEqual(expect.arrayContaining(['Logging', 'Metrics']));
  const cors = find(state, BLOB_SERVICE_ID).properties.cors?.corsRules ?? [];
  expect(cors.filter((r: any) => r.allowedOrigins?.includes('https://app.contoso.com')), `${label} CORS rule`).toHaveLength(1);
  const account = find(state, ACCOUNT_ID);
  expect(account.tags, `${label} account tags`).toMatchObject(SEED.accountTags);
  expect(Object.keys(account.identity?.userAssignedIdentities ?? {}).map((k) => k.toLowerCase()), `${label} user-assigned identity`).toContain(SEED.uami.toLowerCase());
  expect(String(account.identity?.type), `${label} identity type keeps UserAssigned`).toMatch(/UserAssigned/);
  if (opts.accountIpRule) {
    expect((account.properties.networkAcls?.ipRules ?? []).map((r: { value: string }) => r.value), `${label} account ip rules`).toContain(SEED.accountIp);
  }
  const other = state.resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.properties?.principalId === SEED.otherAssignment.principalId);
  expect(other, `${label} other role assignment`).toHaveLength(1);
}

const isType = (r: any, type: string) => String(r.type ?? '').toLowerCase() === type.toLowerCase();

/** Nothing the tool owns exists twice: one endpoint per target, one assignment, one zone group per endpoint, one A record per name. */
export function expectNoDuplicates(state: { resources: any[] }, label = ''): void {
  const pes = state.resources.filter((r) => isType(r, 'Microsoft.Network/privateEndpoints'));
  const targetOf = (pe: any) =>
    [...(pe.properties?.privateLinkServiceConnections ?? []), ...(pe.properties?.manualPrivateLinkServiceConnections ?? [])].map((c: any) => String(c.properties?.privateLinkServiceId ?? '').toLowerCase());
  for (const target of [ACCOUNT_ID, STORAGE_ID]) {
    expect(pes.filter((pe) => targetOf(pe).includes(target.toLowerCase())).length, `${label} private endpoints for ${target.split('/').pop()}`).toBeLessThanOrEqual(1);
  }
  for (const pe of pes) {
    const groups = state.resources.filter((r) => String(r.id).toLowerCase().startsWith(`${pe.id.toLowerCase()}/privatednszonegroups/`));
    expect(groups.length, `${label} zone groups of ${pe.name}`).toBeLessThanOrEqual(1);
    const zones = (groups[0]?.properties?.privateDnsZoneConfigs ?? []).map((c: any) => String(c.properties?.privateDnsZoneId ?? c.privateDnsZoneId).toLowerCase());
    expect(new Set(zones).size, `${label} zone configs of ${pe.name}`).toBe(zones.length);
    const nics = state.resources.filter((r) => isType(r, 'Microsoft.Network/networkInterfaces') && String(r.name).startsWith(`${pe.name}.nic.`));
    expect(nics.length, `${label} NICs of ${pe.name}`).toBe(1);
  }
  const nicsTotal = state.resources.filter((r) => isType(r, 'Microsoft.Network/networkInterfaces')).length;
  expect(nicsTotal, `${label} orphan NICs`).toBe(pes.length);
  const account = find(state, ACCOUNT_ID);
  const principalId = account.identity?.principalId;
  if (principalId) {
    const mine = state.resources.filter((r) => isType(r, 'Microsoft.Authorization/roleAssignments') && r.properties?.principalId === principalId);
    expect(mine.length, `${label} role assignments of the identity`).toBeLessThanOrEqual(1);
  }
  const records = state.resources.filter((r) => isType(r, 'Microsoft.Network/privateDnsZones/A'));
  const byName = new Map<string, number>();
  for (const r of records) {
    const key = String(r.id).toLowerCase();
    byName.set(key, (byName.get(key) ?? 0) + 1);
    expect(r.properties?.aRecords?.length, `${label} A records in ${r.id}`).toBe(1);
  }
  for (const [k, n] of byName) expect(n, `${label} record sets ${k}`).toBe(1);
  const links = state.resources.filter((r) => isType(r, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks'));
  const linkKeys = links.map((l) => `${String(l.id).toLowerCase().split('/virtualnetworklinks/')[0]} ${String(l.properties?.virtualNetwork?.id).toLowerCase()}`);
  expect(new Set(linkKeys).size, `${label} VNet links per zone`).toBe(linkKeys.length);
  for (const type of ['Microsoft.CognitiveServices/accounts/privateEndpointConnections', 'Microsoft.Storage/storageAccounts/privateEndpointConnections']) {
    const conns = state.resources.filter((r) => isType(r, type));
    expect(conns.length, `${label} ${type}`).toBeLessThanOrEqual(1);
  }
}

/** The end state of a converged setup: the guide's posture (validate passes inside setup) plus these. */
export function expectConverged(state: { resources: any[] }, label = ''): void {
  expectNoDuplicates(state, label);
  expect(state.resources.filter((r) => isType(r, 'Microsoft.Network/privateEndpoints')).length, `${label} private endpoints`).toBe(2);
  const account = find(state, ACCOUNT_ID);
  expect(account.identity?.principalId, `${label} identity`).toBeTruthy();
  const mine = state.resources.filter((r) => isType(r, 'Microsoft.Authorization/roleAssignments') && r.properties?.principalId === account.identity.principalId);
  expect(mine, `${label} role assignment`).toHaveLength(1);
  expect(find(state, STORAGE_ID).properties.networkAcls.defaultAction).toBe('Deny');
  expect(account.properties.networkAcls.defaultAction).toBe('Deny');
}

/** Writes (not reads, not LRO polls) in the emulator's log. */
export async function armWrites(emu: TestEmulator): Promise<{ time: string; method: string; path: string; status: number }[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

/** Things that must never appear in anything the CLI prints. */
export const SECRET_PATTERNS: [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}/],
  ['the demo secret', /demo-secret/],
  ['the reader secret', /reader-secret/],
  ['a bearer header', /Bearer\s+[A-Za-z0-9._-]{10,}/i],
  ['an account key', /AccountKey=|"key1"\s*:\s*"[^"]{8,}|"value"\s*:\s*"[A-Za-z0-9+/]{40,}={0,2}"/],
];

export function expectNoSecrets(text: string, label = ''): void {
  for (const [what, re] of SECRET_PATTERNS) expect(re.test(text), `${label} contains ${what}: ${re.exec(text)?.[0]}`).toBe(false);
}

/** No stack trace frames in user-facing output. */
export function expectNoStack(text: string, label = ''): void {
  expect(text, `${label} stack trace`).not.toMatch(/^\s+at .+[(:]\d+|\.ts:\d+:\d+|\.js:\d+:\d+|node:internal/m);
}

/**
 * Counts the ARM writes an emulator has answered, as it answers them (pass `onAnswer` as the emulator's
 * `onExchange`), so a test can act right after the k-th write — e.g. SIGKILL the child that sent it.
 */
export class AnsweredWrites {
  count = 0;
  private waiting: { n: number; resolve: () => void }[] = [];

  readonly onAnswer = (x: { kind: string; method: string }): void => {
    if (x.kind !== 'arm' || x.method === 'GET' || x.method === 'HEAD') return;
    this.count++;
    for (const w of this.waiting.filter((w) => this.count >= w.n)) w.resolve();
    this.waiting = this.waiting.filter((w) => this.count < w.n);
  };

  reset(): void {
    this.count = 0;
    this.waiting = [];
  }

  atLeast(n: number): Promise<void> {
    return this.count >= n ? Promise.resolve() : new Promise((resolve) => this.waiting.push({ n, resolve }));
  }

  /**
   * After a kill: every write the emulator had already received (each one matched the delay fault) is
   * answered before the test looks at the state, as a write already sent lands in Azure.
   */
  async inFlightLanded(emu: TestEmulator): Promise<void> {
    const { value } = await emu.control('GET', 'faults');
    await emu.control('DELETE', 'faults');
    await this.atLeast(value.reduce((sum: number, f: { hits: number }) => sum + f.hits, 0));
  }
}
