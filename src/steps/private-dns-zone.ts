/**
 * Which private DNS zone an endpoint's records go in: the one its zone group already uses, else ours
 * (the flags' place or the VNet's group) when linked to the VNet, else a zone of that name already
 * linked to the VNet in any subscription the caller sees (a hub) — Azure refuses to link one VNet to
 * two zones of the same name — else ours, to be made.
 */
import type { PrivateDnsZoneGroup } from '@azure/arm-network';
import type { PrivateZone, VirtualNetworkLink } from '@azure/arm-privatedns';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import { nameOf, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import { orUndefined } from '../posture/not-found.js';
import { defaultZoneId } from '../posture/dns.js';

export interface ZoneChoice {
  zoneId: string;
  existing?: PrivateZone;
  links: VirtualNetworkLink[];
}

async function zoneAt(ctx: StepContext, zoneId: string): Promise<ZoneChoice> {
  const dns = await ctx.session.privateDns(subscriptionOf(zoneId));
  const existing = await orUndefined(`reading private DNS zone ${zoneId}`, () => dns.privateZones.get(rgOf(zoneId), nameOf(zoneId)));
  const links: VirtualNetworkLink[] = [];
  if (existing) {
    await arm(`listing VNet links of ${zoneId}`, async () => {
      for await (const l of dns.virtualNetworkLinks.list(rgOf(zoneId), nameOf(zoneId))) links.push(l);
    });
  }
  return { zoneId: existing?.id ?? zoneId, existing, links };
}

export async function chooseZone(ctx: StepContext, zoneName: string, vnetId: string, group: PrivateDnsZoneGroup | undefined): Promise<ZoneChoice> {
  const inGroup = group?.privateDnsZoneConfigs?.find((c) => nameOf(c.privateDnsZoneId ?? '').toLowerCase() === zoneName)?.privateDnsZoneId;
  if (inGroup) {
    const z = await zoneAt(ctx, inGroup);
    if (z.existing) return z;
  }
  const ours = await zoneAt(ctx, defaultZoneId(zoneName, vnetId, ctx.settings));
  if (ours.links.some((l) => sameId(l.virtualNetwork?.id, vnetId))) return ours;
  // Azure refuses to link one VNet to two zones of the same name: look for one already linked (the usual hub setup).
  const hub = await linkedZoneElsewhere(ctx, zoneName, vnetId, ours.zoneId);
  return hub ?? ours;
}

async function linkedZoneElsewhere(ctx: StepContext, zoneName: string, vnetId: string, except: string): Promise<ZoneChoice | undefined> {
  const subs = new Set<string>([ctx.targets.subscriptionId, subscriptionOf(vnetId), ...(ctx.settings.dnsZoneSubscription ? [ctx.settings.dnsZoneSubscription] : [])].map((s) => s.toLowerCase()));
  try {
    const client = await ctx.session.subscriptions();
    for await (const s of client.subscriptions.list()) if (s.subscriptionId) subs.add(s.subscriptionId.toLowerCase());
  } catch {
    // Listing subscriptions is a convenience: the known ones are searched anyway.
  }
  for (const sub of subs) {
    const dns = await ctx.session.privateDns(sub);
    const candidates: PrivateZone[] = [];
    try {
      for await (const z of dns.privateZones.list()) if (z.name?.toLowerCase() === zoneName && z.id && !sameId(z.id, except)) candidates.push(z);
    } catch {
      continue; // a subscription whose zones the caller may not list
    }
    for (const z of candidates) {
      const found = await zoneAt(ctx, z.id!);
      if (found.links.some((l) => sameId(l.virtualNetwork?.id, vnetId))) return found;
    }
  }
  return undefined;
}

