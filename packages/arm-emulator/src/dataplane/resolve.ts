/**
 * How a data-plane host name resolves for a caller, as Azure DNS answers it (BEHAVIOR.md, "Where a
 * data-plane caller sits"):
 *
 * - A public caller gets the public address: always `public`.
 * - A caller in a subnet asks Azure DNS (168.63.129.16) of its virtual network. Once a target has a private
 *   endpoint, its public name (`acct.blob.core.windows.net`) is a CNAME to `acct.privatelink.blob.core.windows.net`.
 *   A private DNS zone `privatelink.blob.core.windows.net` linked to the caller's virtual network is then
 *   authoritative for that name: its A record set `acct` gives the address. Without a linked zone the privatelink
 *   name resolves publicly. With a linked zone but no record the answer is NXDOMAIN — unless the link's
 *   `resolutionPolicy` is `NxDomainRedirect` (fallback to internet), which resolves publicly.
 * - An address that is a private endpoint NIC's address in the caller's virtual network reaches that private
 *   endpoint (`private`); any other address is `unreachable` (nothing answers there).
 *
 * Resolution only says where the connection goes; whether the target accepts it is the data plane's decision
 * (the endpoint's connection must be Approved and to this target; a public arrival meets the firewall with the
 * virtual network's public egress address, `publicSourceIp`).
 */
import type { EmulatorContext } from '../context.js';
import { UNREACHABLE_CODE, UNREACHABLE_HEADER } from '../protocol.js';
import type { Resource } from '../state.js';
import type { AccessDecision, DataPlaneCaller } from './position.js';
import { keyOf, parentId } from '../arm/ids.js';
import { connectionsOf } from '../providers/private-link.js';
import { CUSTOM_DOMAIN_SUFFIXES } from '../providers/cognitiveservices/cloud.js';
import { accountBySubdomain } from '../providers/cognitiveservices/model.js';
import { STORAGE_SUFFIXES } from '../providers/storage/cloud.js';
import { accountNamed } from '../providers/storage/account-name.js';
import { ZONE_TYPE, recordSetId } from '../providers/privatedns/model.js';
import { NIC_TYPE } from '../providers/network/network-interfaces.js';

export type Resolution =
  | { kind: 'private'; ip: string; privateEndpointId: string }
  | { kind: 'public' }
  /** `ip` is where the name points (nothing answers there); absent when the name does not resolve (NXDOMAIN) */
  | { kind: 'unreachable'; ip?: string; reason: string };

/**
 * The public egress address of a virtual network when the scenario names none (`extras.vnetEgressIps`):
 * 192.0.2.1, TEST-NET-1 (RFC 5737), which no real ipRule is expected to admit.
 */
export const DEFAULT_VNET_EGRESS_IP = '192.0.2.1';

interface PrivateLinkService {
  /** public suffix, e.g. `blob.core.windows.net`; the zone is `privatelink.` + this */
  suffix: string;
  /** the target named by the label, to tell whether its public name has the privatelink CNAME */
  target(ctx: EmulatorContext, label: string): Resource | undefined;
}

const SERVICES: PrivateLinkService[] = [
  ...CUSTOM_DOMAIN_SUFFIXES.map((suffix) => ({ suffix, target: (ctx: EmulatorContext, label: string) => accountBySubdomain(ctx, label) })),
  ...Object.values(STORAGE_SUFFIXES).map((s) => ({ suffix: `blob.${s}`, target: (ctx: EmulatorContext, label: string) => accountNamed(ctx, label) })),
];

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

/** The virtual network of a subnet id, lowercase. */
export function vnetOfSubnet(subnetId: string): string {
  return keyOf(parentId(subnetId));
}

function subnetPosition(caller: { ip?: string; subnetId?: string } | DataPlaneCaller): string | undefined {
  if ('kind' in caller && caller.kind === 'service') return undefined;
  return (caller as { subnetId?: string }).subnetId || undefined;
}

/** The private endpoint whose NIC holds `ip` in a subnet of the virtual network `vnet`. */
function privateEndpointAt(ctx: EmulatorContext, vnet: string, ip: string): string | undefined {
  for (const nic of ctx.state.ofType(NIC_TYPE)) {
    const peId = nic.properties?.privateEndpoint?.id;
    if (!peId) continue;
    for (const c of nic.properties?.ipConfigurations ?? []) {
      const subnet = String(c.properties?.subnet?.id ?? '');
      if (c.properties?.privateIPAddress === ip && subnet && vnetOfSubnet(subnet) === vnet) return String(peId);
    }
  }
  return undefined;
}

/** Linked zones named `zoneName` and their link to `vnet`. Azure allows one zone of a name per network. */
function linkedZone(ctx: EmulatorContext, zoneName: string, vnet: string): { zone: Resource; link: Resource } | undefined {
  for (const zone of ctx.state.ofType(ZONE_TYPE)) {
    if (String(zone.name).toLowerCase() !== zoneName) continue;
    // A link whose operation failed (e.g. a second zone of the same name) does not serve the network.
    const link = ctx.state
      .children(zone.id, 'virtualNetworkLinks')
      .find((l) => keyOf(String(l.properties?.virtualNetwork?.id ?? '')) === vnet && l.properties?.provisioningState !== 'Failed');
    if (link) return { zone, link };
  }
  return undefined;
}

/** What `host` resolves to for this caller. Service callers (an account's managed identity) are not resolved here. */
export function resolveHost(ctx: EmulatorContext, host: string, caller: { ip?: string; subnetId?: string } | DataPlaneCaller): Resolution {
  const subnetId = subnetPosition(caller);
  if (!subnetId) return { kind: 'public' };
  const name = normalizeHost(host);
  for (const service of SERVICES) {
    const zoneName = `privatelink.${service.suffix}`;
    let label: string;
    if (name.endsWith(`.${zoneName}`)) {
      label = name.slice(0, -(zoneName.length + 1));
    } else if (name.endsWith(`.${service.suffix}`)) {
      label = name.slice(0, -(service.suffix.length + 1));
      // The CNAME into privatelink exists only while the target has a private endpoint (connection).
      const target = service.target(ctx, label);
      if (!target || connectionsOf(ctx, target.id).length === 0) return { kind: 'public' };
    } else {
      continue;
    }
    const vnet = vnetOfSubnet(subnetId);
    const linked = linkedZone(ctx, zoneName, vnet);
    if (!linked) return { kind: 'public' };
    const record = ctx.state.get(recordSetId(linked.zone.id, 'A', label));
    const ips: string[] = (record?.properties?.aRecords ?? []).map((a: { ipv4Address?: string }) => String(a.ipv4Address ?? '')).filter(Boolean);
    if (!ips.length) {
      if (linked.link.properties?.resolutionPolicy === 'NxDomainRedirect') return { kind: 'public' };
      return { kind: 'unreachable', reason: `${name} does not resolve from this virtual network (NXDOMAIN): the linked zone ${linked.zone.name} has no A record '${label}'` };
    }
    // A client connects to the first address it is given.
    const ip = ips[0];
    const privateEndpointId = privateEndpointAt(ctx, vnet, ip);
    if (privateEndpointId) return { kind: 'private', ip, privateEndpointId };
    return { kind: 'unreachable', ip, reason: `${name} resolves to ${ip} (A record '${label}' in ${linked.zone.name}), where no private endpoint of this virtual network answers` };
  }
  return { kind: 'public' };
}

/** The address a public arrival comes from: the client's own, or its virtual network's public egress address. */
export function publicSourceIp(ctx: EmulatorContext, position: { ip?: string; subnetId?: string }): string | undefined {
  if (!position.subnetId) return position.ip;
  const egress = ctx.state.extras.vnetEgressIps as Record<string, string> | undefined;
  const vnet = vnetOfSubnet(position.subnetId);
  const configured = egress && Object.entries(egress).find(([k]) => keyOf(k) === vnet)?.[1];
  return configured || DEFAULT_VNET_EGRESS_IP;
}

/** How a client's request arrives at the target behind `host`. */
export type Arrival =
  | { via: 'private-endpoint'; privateEndpointId: string; ip: string }
  /** at the public endpoint from `ip`; `subnetId` stays known for virtualNetworkRules (service endpoints) */
  | { via: 'public'; ip?: string; subnetId?: string }
  | { via: 'nowhere'; ip?: string; reason: string };

export function arrivalOf(ctx: EmulatorContext, host: string, position: { ip?: string; subnetId?: string }): Arrival {
  const r = resolveHost(ctx, host, position);
  if (r.kind === 'private') return { via: 'private-endpoint', privateEndpointId: r.privateEndpointId, ip: r.ip };
  if (r.kind === 'unreachable') return { via: 'nowhere', ip: r.ip, reason: r.reason };
  return { via: 'public', ip: publicSourceIp(ctx, position), ...(position.subnetId ? { subnetId: position.subnetId } : {}) };
}

/** True when the private endpoint holds an Approved connection to `target` (for `groupId`, when given). */
export function privateEndpointServes(ctx: EmulatorContext, privateEndpointId: string, target: Resource, groupId?: string): boolean {
  return connectionsOf(ctx, target.id).some((c) => {
    const p = c.properties ?? {};
    if (keyOf(String(p.privateEndpoint?.id ?? '')) !== keyOf(privateEndpointId)) return false;
    if (p.privateLinkServiceConnectionState?.status !== 'Approved') return false;
    const groups: string[] = p.groupIds ?? [];
    return !groupId || !groups.length || groups.some((g) => g.toLowerCase() === groupId.toLowerCase());
  });
}

/**
 * The emulator's answer where Azure's client would see a failed connection (nothing listens at the address,
 * or the name does not resolve): 503 with code `EmulatorHostUnreachable` and header `x-emulator-unreachable`.
 */
export function unreachableDecision(arrival: Extract<Arrival, { via: 'nowhere' }>): Extract<AccessDecision, { ok: false }> {
  return {
    ok: false,
    status: 503,
    code: UNREACHABLE_CODE,
    message: `${arrival.reason}. On Azure the client cannot connect (no HTTP response); the emulator answers 503 instead.`,
    headers: { [UNREACHABLE_HEADER]: arrival.ip ?? 'nxdomain' },
  };
}
