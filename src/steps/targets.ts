/**
 * Finds the resources a command works on: from flags, or by asking (listing what exists).
 * Each resource is read once here; steps start from these reads.
 */
import { ACCOUNT_KINDS } from '../posture/account-kinds.js';
import type { Account } from '@azure/arm-cognitiveservices';
import type { StorageAccount, StorageManagementClient } from '@azure/arm-storage';
import type { VirtualNetwork, Subnet } from '@azure/arm-network';
import type { Choice, IoHost } from '../io/host.js';
import type { NetworkToCreate } from './virtual-network.js';
import { DEFAULT_SUBNET, offerNetwork } from '../wizard/network-prereqs.js';
import { choose } from '../io/choose.js';
import type { ArmSession } from '../azure/session.js';
import type { Settings } from '../core/settings.js';
import { ENV } from '../core/settings.js';
import { PromptRequiredError, UsageError, type MissingInput } from '../core/errors.js';
import { explainAzureError } from '../azure/remedies.js';
import { looksLikeId, parseTypedId, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { subscriptionIdOf } from '../azure/subscription-by-name.js';

export type { Need } from '../posture/commands.js';
import type { Need } from '../posture/commands.js';
import { isNotFound } from '../posture/not-found.js';
import type { PrivateLinkService } from '../core/cloud.js';
import { documentedZoneNames, zoneNamesFor } from '../posture/dns.js';
import { blobHost } from '../posture/hosts.js';

export interface Targets {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  account?: Account & { id: string; name: string };
  storage?: StorageAccount & { id: string; name: string };
  vnet?: VirtualNetwork & { id: string; name: string };
  subnet?: Subnet & { id: string; name: string };
  /** the VNet and subnet this run creates (vnet and subnet above are them as they will be) */
  createNetwork?: NetworkToCreate;
  /**
   * the private DNS zones each target's endpoint needs: the documented ones where the docs fix them
   * (posture/dns.ts documentedZoneNames, no read), else the `requiredZoneNames` of its private link
   * resource (group `account`, `blob`), else the cloud table's; read once, with the network
   */
  zoneNames?: Record<PrivateLinkService, string[]>;
}

interface ListedVnet extends VirtualNetwork {
  subscriptionName: string;
}

/** The caller's subscriptions, the given one first; listing them needs no other permission. */
async function readableSubscriptions(session: ArmSession, first: string): Promise<{ id: string; name: string }[]> {
  const client = await session.subscriptions();
  const subs: { id: string; name: string }[] = [];
  try {
    for await (const s of client.subscriptions.list()) subs.push({ id: s.subscriptionId!, name: `${s.displayName} (${s.subscriptionId})` });
  } catch (e) {
    throw explainAzureError(e, 'listing subscriptions');
  }
  if (!subs.some((s) => sameId(s.id, first))) subs.unshift({ id: first, name: first });
  return subs.sort((a, b) => Number(sameId(b.id, first)) - Number(sameId(a.id, first)));
}

/** Every virtual network the caller can read, in every subscription. */
async function listVnets(session: ArmSession, first: string): Promise<ListedVnet[]> {
  const out: ListedVnet[] = [];
  for (const sub of await readableSubscriptions(session, first)) {
    const net = await session.network(sub.id);
    try {
      for await (const v of net.virtualNetworks.listAll()) out.push({ ...v, subscriptionName: sub.name });
    } catch (e) {
      if (sameId(sub.id, first)) throw explainAzureError(e, 'listing virtual networks');
    }
  }
  return out;
}

/** Document Intelligence, the multi-service Azure AI services account, and Azure AI Foundry's AI services account. */
const KINDS_TEXT = 'Document Intelligence (FormRecognizer) or Azure AI services (CognitiveServices, AIServices)';

/** What the target's private link resource of this group advertises; undefined when it cannot be read (the table is used then). */
async function advertisedZones(read: () => Promise<{ groupId?: string; requiredZoneNames?: string[] }[]>, groupId: string): Promise<string[] | undefined> {
  try {
    return (await read()).find((g) => g.groupId?.toLowerCase() === groupId)?.requiredZoneNames;
  } catch {
    return undefined;
  }
}

/** The zones each target's endpoint needs: what the docs fix without a read, else what its private link resource advertises. */
async function readZoneNames(session: ArmSession, settings: Settings, targets: Targets): Promise<Record<PrivateLinkService, string[]>> {
  const { cloud } = settings;
  const account = targets.account!;
  const storage = targets.storage;
  const documented = {
    account: documentedZoneNames(cloud, 'account', account.kind, undefined),
    blob: storage ? documentedZoneNames(cloud, 'blob', storage.kind, blobHost(cloud, storage)) : undefined,
  };
  const [accountZones, blobZones] = await Promise.all([
    documented.account ??
      advertisedZones(async () => {
        const cog = await session.cognitive(subscriptionOf(account.id));
        return ((await cog.privateLinkResources.list(rgOf(account.id), account.name)).value ?? []).map((r) => ({ groupId: r.properties?.groupId, requiredZoneNames: r.properties?.requiredZoneNames }));
      }, 'account'),
    documented.blob ??
      (storage
        ? advertisedZones(async () => {
            const st = await session.storage(subscriptionOf(storage.id));
            return (await st.privateLinkResources.listByStorageAccount(rgOf(storage.id), storage.name)).value ?? [];
          }, 'blob')
        : undefined),
  ]);
  return {
    account: zoneNamesFor(cloud, 'account', account.kind, accountZones),
    blob: zoneNamesFor(cloud, 'blob', storage?.kind, blobZones),
  };
}

/** The storage account of that name in the group; undefined when it is not there or the caller may not read it there (the subscription's list is asked then). */
async function storageInGroup(st: StorageManagementClient, resourceGroup: string, name: string): Promise<Targets['storage']> {
  try {
    return (await st.storageAccounts.getProperties(resourceGroup, name)) as Targets['storage'];
  } catch (e) {
    if (isNotFound(e) || (e as { statusCode?: number }).statusCode === 403) return undefined;
    throw explainAzureError(e, `reading storage account ${name}`);
  }
}

export async function resolveTargets(inputSettings: Settings, session: ArmSession, host: IoHost, needs: Need[]): Promise<Targets> {
  let settings = inputSettings;
  const need = new Set(needs);
  if (need.has('network')) need.add('account');
  const interactive = settings.interactive;
  const missing: MissingInput[] = [];

  let subscriptionId = await subscriptionIdOf(settings.subscription, session);
  if (!subscriptionId && looksLikeId(settings.docintel ?? '')) subscriptionId = subscriptionOf(settings.docintel!);
  let resourceGroup = settings.resourceGroup;
  if (!resourceGroup && looksLikeId(settings.docintel ?? '')) resourceGroup = rgOf(settings.docintel!);

  if (!interactive) {
    if (!subscriptionId) missing.push({ what: 'subscription', flag: '--subscription <id>', env: ENV.subscription });
    if (need.has('account')) {
      if (!resourceGroup) missing.push({ what: "the Document Intelligence account's resource group", flag: '--resource-group <name>', env: ENV.resourceGroup });
      if (!settings.docintel) missing.push({ what: 'the Document Intelligence account', flag: '--docintel <name or resource id>', env: ENV.docintel });
    }
    if (need.has('storage') && !settings.storage) missing.push({ what: 'the storage account', flag: '--storage <name or resource id>', env: ENV.storage });
    if (need.has('network') && !settings.createVnet) {
      if (!settings.vnet) missing.push({ what: 'the virtual network for the private endpoints', flag: '--vnet <name or resource id> (or --create-vnet <name> to have it created)', env: ENV.vnet });
      if (!settings.subnet) missing.push({ what: 'the subnet for the private endpoints', flag: '--subnet <name>', env: ENV.subnet });
    }
    if (missing.length) throw new PromptRequiredError(missing);
  }

  if (!subscriptionId) {
    const client = await session.subscriptions();
    const subs: { name: string; value: string }[] = [];
    for await (const s of client.subscriptions.list()) subs.push({ name: `${s.displayName} (${s.subscriptionId})`, value: s.subscriptionId! });
    if (!subs.length) throw new UsageError('The signed-in identity can see no subscription.', 'Sign in to the right tenant, or pass --subscription.');
    subscriptionId = await choose(host, { id: 'subscription', message: 'Subscription', choices: subs, default: subs.length === 1 ? subs[0].value : undefined });
  }

  const targets: Targets = { subscriptionId, resourceGroup: resourceGroup ?? '', location: settings.location ?? '' };

  if (need.has('account')) {
    if (!resourceGroup) {
      const res = await session.resources(subscriptionId);
      const groups: { name: string; value: string }[] = [];
      for await (const g of res.resourceGroups.list()) groups.push({ name: `${g.name} (${g.location})`, value: g.name! });
      resourceGroup = await choose(host, { id: 'resourceGroup', message: 'Resource group of the Document Intelligence account', choices: groups, default: groups.length === 1 ? groups[0].value : undefined });
      targets.resourceGroup = resourceGroup;
    }
    const cog = await session.cognitive(subscriptionId);
    let accountName = settings.docintel;
    if (!accountName) {
      const accounts: { name: string; value: string }[] = [];
      try {
        for await (const a of cog.accounts.listByResourceGroup(resourceGroup)) {
          if (ACCOUNT_KINDS.includes(a.kind ?? '')) accounts.push({ name: `${a.name} (${a.kind}, ${a.location})`, value: a.name! });
        }
      } catch (e) {
        throw explainAzureError(e, `listing accounts in resource group ${resourceGroup}`);
      }
      if (!accounts.length) throw new UsageError(`Resource group '${resourceGroup}' has no ${KINDS_TEXT} account.`, 'Create one first, or choose another resource group.');
      accountName = await choose(host, { id: 'docintel', message: 'Document Intelligence account', choices: accounts, default: accounts.length === 1 ? accounts[0].value : undefined });
    }
    const ref = looksLikeId(accountName) ? parseTypedId(accountName, 'Microsoft.CognitiveServices/accounts') : undefined;
    if (ref && !sameId(ref.subscriptionId, subscriptionId)) {
      throw new UsageError(`--docintel is in subscription ${ref.subscriptionId}, but --subscription is ${subscriptionId}.`, 'Pass matching values, or leave out --subscription when --docintel is a resource id.');
    }
    const rg = ref?.resourceGroup ?? resourceGroup;
    const name = ref?.name ?? accountName;
    let account: Account;
    try {
      account = await cog.accounts.get(rg, name);
    } catch (e) {
      if (isNotFound(e)) throw new UsageError(`No Cognitive Services account '${name}' in resource group '${rg}' of subscription ${subscriptionId}.`, 'Check --docintel, --resource-group and --subscription (or pass the account\'s resource id).');
      throw explainAzureError(e, `reading account ${name}`);
    }
    if (!ACCOUNT_KINDS.includes(account.kind ?? '')) {
      throw new UsageError(`'${name}' is a Cognitive Services account of kind '${account.kind}', not ${KINDS_TEXT}.`, 'Pass the Document Intelligence account with --docintel.');
    }
    targets.account = account as Targets['account'];
    targets.resourceGroup = rg;
    if (!targets.location) targets.location = account.location!;
  }

  if (need.has('storage')) {
    let storageName = settings.storage;
    if (!storageName) {
      // Training data often lives in a data subscription: offer the accounts of every subscription the caller can read.
      const accounts: Choice<string>[] = [];
      for (const sub of await readableSubscriptions(session, subscriptionId)) {
        const st = await session.storage(sub.id);
        try {
          for await (const a of st.storageAccounts.list()) accounts.push({ name: `${a.name} (${rgOf(a.id!)}, ${a.location})`, value: a.id!, group: sub.name });
        } catch (e) {
          if (sameId(sub.id, subscriptionId)) throw explainAzureError(e, 'listing storage accounts');
        }
      }
      if (!accounts.length) throw new UsageError('No storage account in the subscriptions you can read.', 'Create the storage account that holds the training data first.');
      storageName = await choose(host, { id: 'storage', message: 'Storage account with the training data', choices: accounts, default: accounts.length === 1 ? accounts[0].value : undefined });
    }
    const ref = looksLikeId(storageName) ? parseTypedId(storageName, 'Microsoft.Storage/storageAccounts') : undefined;
    const st = await session.storage(ref?.subscriptionId ?? subscriptionId);
    if (!ref) {
      // A name is read in the account's resource group (one read, where training data usually sits), else
      // looked up across the account's subscription (the list, page by page, already carries the full account).
      if (targets.resourceGroup) targets.storage = await storageInGroup(st, targets.resourceGroup, storageName);
      if (!targets.storage) {
        try {
          for await (const a of st.storageAccounts.list()) if (a.name?.toLowerCase() === storageName.toLowerCase()) targets.storage = a as Targets['storage'];
        } catch (e) {
          throw explainAzureError(e, 'listing storage accounts');
        }
      }
      if (!targets.storage) throw new UsageError(`No storage account '${storageName}' in subscription ${subscriptionId}.`, 'Check --storage (or pass its resource id, which may be in another subscription).');
    } else {
      try {
        targets.storage = (await st.storageAccounts.getProperties(ref.resourceGroup, ref.name)) as Targets['storage'];
      } catch (e) {
        if (isNotFound(e)) throw new UsageError(`No storage account '${ref.name}' in resource group '${ref.resourceGroup}' of subscription ${ref.subscriptionId}.`, 'Check --storage.');
        throw explainAzureError(e, `reading storage account ${ref.name}`);
      }
    }
  }

  if (need.has('network')) {
    // The zones the targets advertise are read beside the network's questions (they need only the two accounts).
    const zoneNames = readZoneNames(session, settings, targets);
    const mayCreate = need.has('create-network');
    let vnetRef = settings.createVnet ?? settings.vnet;
    let region = settings.location;
    let known: ListedVnet[] | undefined;
    const allVnets = async () => (known ??= await listVnets(session, subscriptionId));
    const offer = async (existing?: NonNullable<Targets['vnet']>) => {
      const vnets = await allVnets();
      return offerNetwork({
        settings,
        host,
        subscriptionId: existing ? subscriptionOf(existing.id) : subscriptionId,
        resourceGroup: existing ? rgOf(existing.id) : targets.resourceGroup,
        location: existing?.location?.toLowerCase() ?? region ?? targets.account?.location?.toLowerCase() ?? '',
        existing,
        taken: vnets.flatMap((v) => v.addressSpace?.addressPrefixes ?? []),
        vnetNames: vnets.filter((v) => sameId(rgOf(v.id!), targets.resourceGroup) && sameId(subscriptionOf(v.id!), subscriptionId)).map((v) => v.name!),
      });
    };
    let create: NetworkToCreate | undefined;
    if (!vnetRef) {
      const all = await allVnets();
      const accountRegion = targets.account?.location?.toLowerCase();
      const regions = [...new Set([...(mayCreate && accountRegion ? [accountRegion] : []), ...all.map((v) => v.location!.toLowerCase())])];
      if (!regions.length) throw new UsageError('There is no virtual network in the subscriptions you can read.', 'Create the VNet (and a subnet for private endpoints) first.');
      // The endpoints go in the VNet's region: ask for the region first, offering those with a VNet.
      if (!region) {
        const count = (r: string) => all.filter((v) => v.location!.toLowerCase() === r).length;
        region = await choose(host, {
          id: 'location',
          message: 'Region of the private endpoints',
          choices: regions.map((r) => ({ name: `${r}${r === accountRegion ? " (the account's region)" : ''}, ${count(r) ? `${count(r)} virtual network(s)` : 'no virtual network yet'}`, value: r })),
          default: accountRegion && regions.includes(accountRegion) ? accountRegion : regions[0],
        });
        settings = { ...settings, location: region };
      }
      const vnets = all
        .filter((v) => v.location!.toLowerCase() === region)
        .map((v) => ({ name: `${v.name} (${rgOf(v.id!)}, ${v.addressSpace?.addressPrefixes?.join(' ')})`, value: v.id!, group: v.subscriptionName }));
      if (!vnets.length) {
        if (!mayCreate) throw new UsageError(`No virtual network in region ${region}.`, 'Choose another region with --location, or create the VNet first.');
        create = await offer();
      } else vnetRef = await choose(host, { id: 'vnet', message: 'Virtual network for the private endpoints', choices: vnets, default: vnets.length === 1 ? vnets[0].value : undefined });
    }
    if (!create) {
      const ref = looksLikeId(vnetRef!) ? parseTypedId(vnetRef!, 'Microsoft.Network/virtualNetworks') : undefined;
      const vsub = ref?.subscriptionId ?? subscriptionId;
      const vrg = ref?.resourceGroup ?? targets.resourceGroup;
      const vname = ref?.name ?? vnetRef!;
      const net = await session.network(vsub);
      try {
        targets.vnet = (await net.virtualNetworks.get(vrg, vname)) as NonNullable<Targets['vnet']>;
      } catch (e) {
        if (!isNotFound(e)) throw explainAzureError(e, `reading virtual network ${vname}`);
        if (!settings.createVnet) throw new UsageError(`No virtual network '${vname}' in resource group '${vrg}' of subscription ${vsub}.`, 'Check --vnet (a name is looked up in the account\'s resource group; pass a resource id for another group or subscription), or pass --create-vnet <name> to create it.');
        create = await offer();
      }
    }
    if (!create) {
      const vnet = targets.vnet!;
      const subnets = vnet.subnets ?? [];
      let subnetName = settings.subnet ?? (settings.createVnet ? DEFAULT_SUBNET : undefined);
      if (!subnetName) {
        const choices = subnets.map((s) => ({ name: `${s.name} (${s.addressPrefix ?? s.addressPrefixes?.join(' ')})`, value: s.name! }));
        if (!choices.length) {
          if (!mayCreate) throw new UsageError(`VNet '${vnet.name}' has no subnet.`, 'Add a subnet for private endpoints first.');
          create = await offer(vnet);
        } else subnetName = await choose(host, { id: 'subnet', message: 'Subnet for the private endpoints', choices, default: choices.length === 1 ? choices[0].value : undefined });
      }
      if (!create) {
        const subnet = subnets.find((s) => s.name?.toLowerCase() === subnetName!.toLowerCase());
        if (subnet) targets.subnet = subnet as Targets['subnet'];
        else if (settings.createVnet) create = await offer(vnet);
        else throw new UsageError(`VNet '${vnet.name}' has no subnet '${subnetName}' (it has: ${subnets.map((s) => s.name).join(', ') || 'none'}).`, 'Pass one of those with --subnet.');
      }
    }
    if (create) {
      targets.createNetwork = create;
      targets.vnet ??= { id: create.vnet.id, name: create.vnet.name, location: create.location, addressSpace: { addressPrefixes: create.vnet.addressPrefixes }, subnets: [] };
      targets.subnet = { id: create.subnet.id, name: create.subnet.name, addressPrefix: create.subnet.addressPrefix, privateEndpointNetworkPolicies: settings.keepSubnetPolicies ? 'Disabled' : 'Enabled' };
    }
    const vnetLocation = targets.vnet!.location!.toLowerCase();
    if (settings.location && settings.location !== vnetLocation) {
      throw new UsageError(`--location ${settings.location} differs from the VNet's region ${vnetLocation}; a private endpoint must be in its VNet's region.`, `Pass --location ${vnetLocation}, or choose a VNet in ${settings.location}.`);
    }
    targets.location = vnetLocation;
    targets.zoneNames = await zoneNames;
  }
  return targets;
}

