/**
 * A large estate for audit tests and the bench, deterministic from a seed: subscriptions, and per
 * account its storage account, a VNet with subnet `snet-pe`, and (converged) the guide's end state —
 * identity, custom subdomain, restricted network, Approved private endpoints for the account and for
 * blob, Storage Blob Data Reader for the identity on storage. Returns the scenario and the ground truth:
 * which check ids audit must report failing for each account.
 *
 * Modes:
 * - `mixed` (default): `brokenShare` of the accounts (0.3) each broken one known way (BREAKAGES), the
 *   others converged (a tenth of those admit the identity by a resource-instance rule instead of the
 *   trusted-services exception); one account per subscription of a kind audit ignores (OpenAI).
 * - `open`: every account as the demo starts — public, no identity, no subdomain, no private endpoint —
 *   each with its storage account (open) and its VNet/subnet: the input `setup --inventory` converges.
 *   Nothing links storage to an open account in Azure, so audit reports `storage: null` for them; the
 *   ground truth names each account's storage and subnet for writing an inventory.
 *
 * The demo's owner (Owner) and reader (Reader) hold their roles on every subscription.
 */
import { DEMO } from './demo.js';
import type { Scenario, ScenarioRoleAssignment } from './scenario.js';
import { uuidFrom } from './scenario.js';
import type { Principal } from './state.js';

export interface EstateOptions {
  seed?: number;
  subscriptions?: number;
  accounts?: number;
  mode?: 'mixed' | 'open';
  /** share of accounts broken in mixed mode */
  brokenShare?: number;
  location?: string;
  /** the account kinds, taken in turn (default FormRecognizer, CognitiveServices, AIServices) */
  kinds?: readonly string[];
  /** every account's VNet by this one name (each in the account's resource group), as a fleet made from one template has; default vnet-<n> */
  vnetName?: string;
}

/** One known way an account departs from the guide, and the checks audit fails for it. */
export const BREAKAGES = {
  'no-identity': ['account.identity'],
  'no-subdomain': ['account.custom-subdomain', 'account.network'],
  'public-network': ['account.network'],
  'no-account-endpoint': ['account.private-endpoint'],
  'pending-connection': ['account.private-endpoint'],
  'storage-open': ['storage.firewall'],
  'storage-no-exception': ['storage.identity-access'],
  'no-storage-endpoint': ['storage.private-endpoint'],
  'no-role': ['storage.rbac'],
} as const satisfies Record<string, readonly string[]>;

export type Breakage = keyof typeof BREAKAGES;

const OPEN_FAILS = ['account.identity', 'account.custom-subdomain', 'account.network'];

export interface EstateAccount {
  id: string;
  name: string;
  subscriptionId: string;
  kind: string;
  storageId: string;
  vnetId: string;
  subnetId: string;
  /** mixed mode: how it is broken (undefined: converged) */
  breakage?: Breakage;
  /** the check ids audit must report failing, sorted */
  failing: string[];
}

export interface Estate {
  scenario: Scenario;
  accounts: EstateAccount[];
  /** accounts of a kind audit must not report */
  ignored: string[];
}

/** mulberry32: a small seeded generator, so the same seed gives the same estate (tests use it for theirs too). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['FormRecognizer', 'CognitiveServices', 'AIServices'];

export function estate(options: EstateOptions = {}): Estate {
  const seed = options.seed ?? 1;
  const nSubs = options.subscriptions ?? 50;
  const nAccounts = options.accounts ?? 2000;
  const mode = options.mode ?? 'mixed';
  const brokenShare = options.brokenShare ?? 0.3;
  const location = options.location ?? 'eastus';
  const rand = seededRandom(seed);
  const breakages = Object.keys(BREAKAGES) as Breakage[];
  const tag = `e${seed.toString(36)}`;
  const kinds = options.kinds?.length ? options.kinds : KINDS;

  const subscriptions = Array.from({ length: nSubs }, (_, i) => ({
    subscriptionId: uuidFrom(`estate|${seed}|subscription|${i}`),
    displayName: `Estate ${tag} subscription ${String(i + 1).padStart(2, '0')}`,
    state: 'Enabled' as const,
    tenantId: DEMO.tenantId,
  }));
  const principals: Principal[] = [
    { objectId: DEMO.owner.objectId, appId: DEMO.owner.clientId, displayName: 'secure-docintel demo owner', type: 'ServicePrincipal', secret: DEMO.owner.secret },
    { objectId: DEMO.reader.objectId, appId: DEMO.reader.clientId, displayName: 'secure-docintel demo reader', type: 'ServicePrincipal', secret: DEMO.reader.secret },
  ];
  const roleAssignments: ScenarioRoleAssignment[] = subscriptions.flatMap((s) => [
    { scope: `/subscriptions/${s.subscriptionId}`, principalId: DEMO.owner.objectId, roleName: 'Owner', principalType: 'ServicePrincipal' },
    { scope: `/subscriptions/${s.subscriptionId}`, principalId: DEMO.reader.objectId, roleName: 'Reader', principalType: 'ServicePrincipal' },
  ]);
  const resources: Record<string, any>[] = [];
  const accounts: EstateAccount[] = [];
  const ignored: string[] = [];

  for (let i = 0; i < nAccounts; i++) {
    const sub = subscriptions[i % nSubs].subscriptionId;
    const n = String(i).padStart(5, '0');
    const rgId = `/subscriptions/${sub}/resourceGroups/rg-docintel-${n}`;
    const name = `di-${tag}-${n}`;
    const accountId = `${rgId}/providers/Microsoft.CognitiveServices/accounts/${name}`;
    const storageName = `st${tag}${n}`.slice(0, 24);
    const storageId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${storageName}`;
    const vnetName = options.vnetName ?? `vnet-${n}`;
    const vnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/${vnetName}`;
    const subnetId = `${vnetId}/subnets/snet-pe`;
    const kind = kinds[i % kinds.length];
    const breakage: Breakage | undefined = mode === 'mixed' && rand() < brokenShare ? breakages[Math.floor(rand() * breakages.length)] : undefined;
    const resourceInstance = mode === 'mixed' && !breakage && rand() < 0.1;
    const open = mode === 'open';
    const has = (b: Breakage) => breakage === b;
    const principalId = uuidFrom(`estate|${seed}|identity|${i}`);
    const octet = i % 250;

    const identity = !open && !has('no-identity');
    const subdomain = !open && !has('no-subdomain');
    const accountEndpoint = subdomain && !has('no-account-endpoint');
    const blobEndpoint = !open && !has('no-storage-endpoint');
    if (identity) principals.push({ objectId: principalId, appId: uuidFrom(`estate|${seed}|identity-app|${i}`), displayName: name, type: 'ServicePrincipal', managedBy: accountId });
    if (identity && !has('no-role')) roleAssignments.push({ scope: storageId, principalId, roleName: 'Storage Blob Data Reader', principalType: 'ServicePrincipal' });

    resources.push({
      id: accountId,
      name,
      type: 'Microsoft.CognitiveServices/accounts',
      location,
      kind,
      sku: { name: 'S0' },
      tags: {},
      ...(identity ? { identity: { type: 'SystemAssigned', principalId, tenantId: DEMO.tenantId } } : {}),
      properties: {
        endpoint: subdomain ? `https://${name}.cognitiveservices.azure.com/` : `https://${location}.api.cognitive.microsoft.com/`,
        provisioningState: 'Succeeded',
        publicNetworkAccess: 'Enabled',
        ...(subdomain ? { customSubDomainName: name } : {}),
        ...(!open && subdomain && !has('public-network') ? { networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } } : {}),
        privateEndpointConnections: [],
      },
    });
    resources.push({
      id: storageId,
      name: storageName,
      type: 'Microsoft.Storage/storageAccounts',
      location,
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS', tier: 'Standard' },
      tags: {},
      properties: {
        provisioningState: 'Succeeded',
        publicNetworkAccess: 'Enabled',
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        supportsHttpsTrafficOnly: true,
        privateEndpointConnections: [],
        primaryEndpoints: { blob: `https://${storageName}.blob.core.windows.net/` },
        networkAcls: {
          bypass: resourceInstance || has('storage-no-exception') ? 'None' : 'AzureServices',
          virtualNetworkRules: [],
          ipRules: [],
          resourceAccessRules: resourceInstance ? [{ tenantId: DEMO.tenantId, resourceId: accountId }] : [],
          defaultAction: open || has('storage-open') ? 'Allow' : 'Deny',
        },
      },
    });
    resources.push({
      id: vnetId,
      name: vnetName,
      type: 'Microsoft.Network/virtualNetworks',
      location,
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: [`10.${octet}.0.0/16`] },
        subnets: [
          {
            name: 'snet-pe',
            id: subnetId,
            type: 'Microsoft.Network/virtualNetworks/subnets',
            properties: { provisioningState: 'Succeeded', addressPrefix: `10.${octet}.1.0/24`, delegations: [], privateEndpointNetworkPolicies: open ? 'Disabled' : 'Enabled', privateLinkServiceNetworkPolicies: 'Enabled' },
          },
        ],
        virtualNetworkPeerings: [],
        enableDdosProtection: false,
      },
    });
    if (accountEndpoint) resources.push(...privateEndpoint(rgId, name, accountId, 'account', subnetId, has('pending-connection') ? 'Pending' : 'Approved', location));
    if (blobEndpoint) resources.push(...privateEndpoint(rgId, storageName, storageId, 'blob', subnetId, 'Approved', location));

    const failing = open ? OPEN_FAILS : breakage ? [...BREAKAGES[breakage]] : [];
    accounts.push({ id: accountId, name, subscriptionId: sub, kind, storageId, vnetId, subnetId, ...(breakage ? { breakage } : {}), failing: [...failing].sort() });
  }
  if (mode === 'mixed') {
    for (const s of subscriptions) {
      const id = `/subscriptions/${s.subscriptionId}/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/oai-${tag}-${s.subscriptionId.slice(0, 8)}`;
      resources.push({ id, name: id.split('/').pop(), type: 'Microsoft.CognitiveServices/accounts', location, kind: 'OpenAI', sku: { name: 'S0' }, properties: { provisioningState: 'Succeeded', publicNetworkAccess: 'Enabled' } });
      ignored.push(id);
    }
  }
  return { scenario: { tenantId: DEMO.tenantId, subscriptions, principals, roleAssignments, resources, extras: { managementGroups: { [`mg-${tag}`]: subscriptions.map((s) => s.subscriptionId) } } }, accounts, ignored };
}

/** A private endpoint to a target, with the connection the target holds (as the network provider makes them). */
function privateEndpoint(rgId: string, targetName: string, targetId: string, groupId: string, subnetId: string, status: 'Approved' | 'Pending', location: string): Record<string, any>[] {
  const name = `pe-${targetName}-${groupId}`;
  const id = `${rgId}/providers/Microsoft.Network/privateEndpoints/${name}`;
  const state = { status, description: status === 'Approved' ? 'Auto-Approved' : 'Awaiting approval', actionsRequired: 'None' };
  const link = { name, id: `${id}/${status === 'Approved' ? 'privateLinkServiceConnections' : 'manualPrivateLinkServiceConnections'}/${name}`, properties: { privateLinkServiceId: targetId, groupIds: [groupId], privateLinkServiceConnectionState: state, provisioningState: 'Succeeded' } };
  return [
    {
      id,
      name,
      type: 'Microsoft.Network/privateEndpoints',
      location,
      properties: {
        provisioningState: 'Succeeded',
        subnet: { id: subnetId },
        privateLinkServiceConnections: status === 'Approved' ? [link] : [],
        manualPrivateLinkServiceConnections: status === 'Approved' ? [] : [link],
        networkInterfaces: [],
        customDnsConfigs: [],
      },
    },
    {
      id: `${targetId}/privateEndpointConnections/${name}.${uuidFrom(id).slice(0, 8)}`,
      name: `${name}.${uuidFrom(id).slice(0, 8)}`,
      type: `${targetId.split('/providers/')[1].split('/').slice(0, 2).join('/')}/privateEndpointConnections`,
      properties: { privateEndpoint: { id }, groupIds: [groupId], privateLinkServiceConnectionState: state, provisioningState: 'Succeeded' },
    },
  ];
}
