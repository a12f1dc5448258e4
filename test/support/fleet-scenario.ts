/**
 * A fleet for `setup --inventory`: the demo's account, storage and VNet copied into one resource
 * group per account, across several subscriptions (the demo owner is Owner on each). Until the estate
 * generator lands, tests and the benchmark build their multi-account scenario here.
 */
import { demoScenario, DEMO } from '../../packages/arm-emulator/src/demo.js';
import type { Scenario } from '../../packages/arm-emulator/src/scenario.js';

export interface FleetAccount {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  storage: string;
  subnet: string;
}

export interface Fleet {
  scenario: Scenario;
  accounts: FleetAccount[];
}

const two = (n: number) => String(n).padStart(2, '0');

export function fleetSubscriptionId(s: number): string {
  return `5e5e5e5e-0000-4000-8000-0000000000${two(s)}`;
}

export function fleetScenario(opts: { subscriptions: number; accountsPerSubscription: number }): Fleet {
  const demo = demoScenario();
  const base = (type: string) => demo.resources.find((r) => r.type === type)!;
  const [account, storage, blob, vnet] = ['Microsoft.CognitiveServices/accounts', 'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/blobServices', 'Microsoft.Network/virtualNetworks'].map(base);
  const scenario: Scenario = { ...demo, subscriptions: [], resources: [], roleAssignments: [...(demo.roleAssignments ?? [])], extras: { clientIp: DEMO.publicClientIp } };
  const accounts: FleetAccount[] = [];
  for (let s = 1; s <= opts.subscriptions; s++) {
    const sub = fleetSubscriptionId(s);
    scenario.subscriptions.push({ subscriptionId: sub, displayName: `Fleet subscription ${two(s)}`, state: 'Enabled', tenantId: demo.tenantId });
    scenario.roleAssignments!.push({ scope: `/subscriptions/${sub}`, principalId: DEMO.owner.objectId, roleName: 'Owner', principalType: 'ServicePrincipal' });
    for (let a = 1; a <= opts.accountsPerSubscription; a++) {
      const rgName = `rg-fleet-${two(a)}`;
      const rg = `/subscriptions/${sub}/resourceGroups/${rgName}`;
      const name = `di-fleet-${two(s)}-${two(a)}`;
      const stName = `stfleet${two(s)}${two(a)}`;
      const ids = {
        account: `${rg}/providers/Microsoft.CognitiveServices/accounts/${name}`,
        storage: `${rg}/providers/Microsoft.Storage/storageAccounts/${stName}`,
        vnet: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet-fleet`,
      };
      const copy = structuredClone;
      const acc = { ...copy(account), id: ids.account, name };
      const st = copy(storage);
      Object.assign(st, { id: ids.storage, name: stName });
      st.properties.primaryEndpoints = Object.fromEntries(Object.entries(st.properties.primaryEndpoints as Record<string, string>).map(([k, v]) => [k, v.replace(DEMO.storage, stName)]));
      const net: Record<string, any> = { ...copy(vnet), id: ids.vnet, name: 'vnet-fleet' };
      for (const sn of net.properties.subnets) sn.id = `${ids.vnet}/subnets/${sn.name}`;
      scenario.resources.push(
        { id: rg, name: rgName, type: 'Microsoft.Resources/resourceGroups', location: DEMO.location, properties: { provisioningState: 'Succeeded' } },
        acc,
        st,
        { ...copy(blob), id: `${ids.storage}/blobServices/default` },
        net,
      );
      accounts.push({ id: ids.account, name, subscriptionId: sub, resourceGroup: rgName, storage: ids.storage, subnet: `${ids.vnet}/subnets/${DEMO.subnet}` });
    }
  }
  return { scenario, accounts };
}

/** The fleet as `audit -o json` would list it (the inventory contract). */
export function inventoryJson(accounts: FleetAccount[], opts: { withSubnet?: boolean } = {}): string {
  return JSON.stringify(
    {
      ok: false,
      accounts: accounts.map((a) => ({ id: a.id, name: a.name, subscriptionId: a.subscriptionId, resourceGroup: a.resourceGroup, kind: 'FormRecognizer', location: DEMO.location, storage: a.storage, subnet: opts.withSubnet === false ? null : a.subnet, ok: false, checks: [] })),
      summary: { accounts: accounts.length, failed: accounts.length, subscriptions: new Set(accounts.map((a) => a.subscriptionId)).size },
      armRequests: { reads: 0, writes: 0 },
    },
    null,
    2,
  );
}

/** The fleet as `audit -o csv` would list it. */
export function inventoryCsv(accounts: FleetAccount[], opts: { withSubnet?: boolean } = {}): string {
  const header = 'id,name,subscriptionId,resourceGroup,kind,location,storage,subnet,ok,failed';
  const rows = accounts.map((a) => [a.id, a.name, a.subscriptionId, a.resourceGroup, 'FormRecognizer', DEMO.location, a.storage, opts.withSubnet === false ? '' : a.subnet, 'false', '"identity.system-assigned storage.default-deny"'].join(','));
  return [header, ...rows].join('\r\n') + '\r\n';
}
