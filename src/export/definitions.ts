/**
 * The full wire definitions export needs beyond the posture (validate's read): the two accounts, the
 * subnet and the blob service as their GET returns them (a template resource is a full PUT, so these
 * must be complete), and the zone groups and VNet links with their real names. Read through the SDK
 * clients; the JSON is taken as it came over the wire (the response text), not the SDK's model (which flattens `properties`).
 */
import type { FullOperationResponse } from '@azure/core-client';
import type { StepContext } from '../steps/context.js';
import { arm } from '../steps/context.js';
import type { Posture } from '../posture/model.js';
import { nameOf, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import type { PrivateLinkService } from '../core/cloud.js';

export type Wire = Record<string, any>;

export interface Definitions {
  account: Wire;
  storage: Wire;
  blobService?: Wire;
  subnet: Wire;
  endpoints: Partial<Record<PrivateLinkService, { pe: Wire; zoneGroups: Wire[]; zones: { zone: Wire; links: Wire[] }[] }>>;
}

/** Calls an SDK operation and keeps the JSON body of its (last) response. */
async function wire(doing: string, call: (onResponse: (r: FullOperationResponse) => void) => Promise<unknown>): Promise<Wire> {
  let body: Wire | undefined;
  await arm(doing, () => call((r) => {
    body = (r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined) as Wire | undefined;
  }));
  return body ?? {};
}

async function wireList(doing: string, call: (onResponse: (r: FullOperationResponse) => void) => AsyncIterable<unknown>): Promise<Wire[]> {
  const items: Wire[] = [];
  await arm(doing, async () => {
    const onResponse = (r: FullOperationResponse) => {
      const b = (r.bodyAsText ? JSON.parse(r.bodyAsText) : {}) as { value?: Wire[] };
      items.push(...(b.value ?? []));
    };
    for await (const _ of call(onResponse)) void _;
  });
  return items;
}

export async function readDefinitions(ctx: StepContext, posture: Posture): Promise<Definitions> {
  const { account, storage, vnet, subnet } = posture;
  const cog = await ctx.session.cognitive(subscriptionOf(account.id));
  const st = await ctx.session.storage(subscriptionOf(storage.id));
  const net = await ctx.session.network(subscriptionOf(vnet.id));
  const [accountWire, storageWire, blobWire, subnetWire] = await Promise.all([
    wire(`reading ${account.id}`, (onResponse) => cog.accounts.get(rgOf(account.id), account.name, { onResponse })),
    wire(`reading ${storage.id}`, (onResponse) => st.storageAccounts.getProperties(rgOf(storage.id), storage.name, { onResponse })),
    wire(`reading the blob service of ${storage.id}`, (onResponse) => st.blobServices.getServiceProperties(rgOf(storage.id), storage.name, { onResponse })),
    wire(`reading ${subnet.id}`, (onResponse) => net.subnets.get(rgOf(vnet.id), vnet.name, subnet.name, { onResponse })),
  ]);
  const endpoints: Definitions['endpoints'] = {};
  for (const service of ['account', 'blob'] as const) {
    const chosen = posture.privateLinks[service].chosen;
    if (!chosen?.pe) continue;
    const peId = chosen.privateEndpointId;
    const peNet = await ctx.session.network(subscriptionOf(peId));
    const [pe, zoneGroups] = await Promise.all([
      wire(`reading ${peId}`, (onResponse) => peNet.privateEndpoints.get(rgOf(peId), nameOf(peId), { onResponse })),
      wireList(`listing DNS zone groups of ${peId}`, (onResponse) => peNet.privateDnsZoneGroups.list(nameOf(peId), rgOf(peId), { onResponse })),
    ]);
    const zones = await Promise.all(chosen.zoneIds.filter((z, i, all) => all.findIndex((x) => sameId(x, z)) === i).map(async (zoneId) => {
      const dns = await ctx.session.privateDns(subscriptionOf(zoneId));
      const [zone, links] = await Promise.all([
        wire(`reading ${zoneId}`, (onResponse) => dns.privateZones.get(rgOf(zoneId), nameOf(zoneId), { onResponse })),
        wireList(`listing VNet links of ${zoneId}`, (onResponse) => dns.virtualNetworkLinks.list(rgOf(zoneId), nameOf(zoneId), { onResponse })),
      ]);
      return { zone, links: links.filter((l) => sameId(l.properties?.virtualNetwork?.id, vnet.id)) };
    }));
    endpoints[service] = { pe, zoneGroups, zones };
  }
  return { account: accountWire, storage: storageWire, blobService: blobWire.id ? blobWire : undefined, subnet: subnetWire, endpoints };
}
