/**
 * A fleet for `setup --inventory`: the emulator's estate generator in its `open` mode (every account
 * as the demo starts, each in a resource group of its own with its storage account and VNet), the
 * accounts spread over the subscriptions in turn (the demo owner is Owner on each), as the
 * inventory's rows name them. Tests and the benchmark build their multi-account scenario here.
 */
import { DEMO } from '../../packages/arm-emulator/src/demo.js';
import { estate } from '../../packages/arm-emulator/src/estate.js';
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

/** Every account's VNet has this name (in its own resource group), so an inventory can name it once. */
export const FLEET_VNET = 'vnet-fleet';

export function fleetScenario(opts: { subscriptions: number; accountsPerSubscription: number }): Fleet {
  const e = estate({ seed: 1, subscriptions: opts.subscriptions, accounts: opts.subscriptions * opts.accountsPerSubscription, mode: 'open', kinds: ['FormRecognizer'], vnetName: FLEET_VNET, location: DEMO.location });
  const scenario: Scenario = { ...e.scenario, extras: { ...e.scenario.extras, clientIp: DEMO.publicClientIp } };
  const accounts = e.accounts.map((a) => ({ id: a.id, name: a.name, subscriptionId: a.subscriptionId, resourceGroup: a.id.split('/')[4], storage: a.storageId, subnet: a.subnetId }));
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
