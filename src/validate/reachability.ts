/**
 * The guide's four connections, judged from the configuration alone: a client inside the VNet → the
 * account; a client on the public internet → the account; the Studio → the account and → the
 * training container; the account's identity → the training container.
 */
import { STUDIO_IP } from '../core/settings.js';
import type { Hop, Reachability, RouteNode } from './types.js';
import { isLinked, type Posture } from '../posture/model.js';
import { accountAdmitsIp, storageAdmitsIp } from './checks/studio.js';
import { corsAdmitsStudio } from '../posture/studio.js';
import { identityException } from './checks/storage.js';

export const ROUTES = {
  vnetClient: 'vnet-client-to-account',
  publicClient: 'public-client-to-account',
  studioAccount: 'studio-to-account',
  studioStorage: 'studio-to-storage',
  identityStorage: 'identity-to-storage',
} as const;

/** Where a client in the VNet is sent when it looks up the account's host name; `label` says why in a few words. */
export function vnetResolution(
  p: Posture,
): { kind: 'private'; ip: string } | { kind: 'wrong'; ips: string[] } | { kind: 'public'; why: string; label: string } | { kind: 'nxdomain'; why: string; label: string } {
  const link = p.privateLinks.account;
  const zone = link.zone;
  if (!link.host) return { kind: 'public', why: 'the account has no custom subdomain, so clients use the regional endpoint', label: 'no custom subdomain' };
  // Azure points the public name at its privatelink. alias only once the account has a private endpoint connection.
  if (!(p.account.properties?.privateEndpointConnections ?? []).length) return { kind: 'public', why: 'the account has no private endpoint connection, so its name resolves to the public address', label: 'no private endpoint' };
  if (!zone?.exists) return { kind: 'public', why: `there is no private DNS zone ${zone?.zoneName ?? ''}`, label: `no zone ${zone?.zoneName ?? ''}` };
  if (!isLinked(zone, p.vnet.id)) return { kind: 'public', why: `zone ${zone.zoneName} is not linked to ${p.vnet.name}`, label: `zone not linked to ${p.vnet.name}` };
  if (!zone.recordIps?.length) return { kind: 'nxdomain', why: `zone ${zone.zoneName} is linked to ${p.vnet.name} but has no A record ${zone.recordName}: the name does not resolve there (NXDOMAIN)`, label: `no A record ${zone.recordName}: NXDOMAIN` };
  const expected = link.chosen?.ips ?? [];
  const hit = zone.recordIps.find((ip) => expected.includes(ip));
  return hit ? { kind: 'private', ip: hit } : { kind: 'wrong', ips: zone.recordIps };
}

interface Verdict {
  ok: boolean;
  reason: string;
  label: string;
}

function publicPath(p: Posture, ip: string | undefined, who: string): Verdict {
  const props = p.account.properties ?? {};
  if (props.publicNetworkAccess === 'Disabled') return { ok: false, reason: `public network access is Disabled: ${who} gets AccessDenied`, label: 'public network access Disabled' };
  if (props.networkAcls?.defaultAction !== 'Deny') return { ok: true, reason: 'the account accepts all networks', label: 'firewall: all networks' };
  if (accountAdmitsIp(p, ip)) return { ok: true, reason: `the account's IP rules admit ${ip}`, label: `firewall admits ${ip}` };
  return { ok: false, reason: `the account's firewall admits only selected networks${ip ? ` and not ${ip}` : ''}: ${who} gets AccessDenied`, label: ip ? `firewall: ${ip} not admitted` : 'firewall: selected networks only' };
}

/** A connection of one leg, its verdict that leg's. */
function direct(id: string, from: string, to: string, ends: [RouteNode, RouteNode], v: Verdict): Reachability {
  return { id, from, to, ok: v.ok, reason: v.reason, path: [{ from: ends[0], to: ends[1], ok: v.ok, label: v.label }] };
}

export function reachability(p: Posture, fromIp: string | undefined): Reachability[] {
  const account = p.account.name;
  const container = `${p.storage.name} (blob)`;
  const studio = `Document Intelligence Studio (${STUDIO_IP})`;
  return [
    vnetClientRoute(p),
    direct(ROUTES.publicClient, fromIp ? `public client ${fromIp}` : 'public client (unknown IP)', account, ['publicClient', 'account'], publicPath(p, fromIp, 'a public client')),
    direct(ROUTES.studioAccount, studio, account, ['studio', 'account'], publicPath(p, STUDIO_IP, 'the Studio')),
    direct(ROUTES.studioStorage, studio, container, ['studio', 'storage'], studioStoragePath(p)),
    direct(ROUTES.identityStorage, `${account} (managed identity)`, container, ['identity', 'storage'], identityPath(p)),
  ];
}

/** Through the account's private endpoint when the VNet's DNS sends the client there (two legs), else over the public endpoint. */
function vnetClientRoute(p: Posture): Reachability {
  const from = `client in ${p.vnet.name}`;
  const to = p.account.name;
  const host = p.privateLinks.account.host;
  const chosen = p.privateLinks.account.chosen;
  const dns = vnetResolution(p);
  if (dns.kind === 'private') {
    const approved = chosen?.status === 'Approved';
    const path: Hop[] = [
      { from: 'vnetClient', to: 'accountEndpoint', ok: true, label: `A record ${p.privateLinks.account.zone!.recordName} → ${dns.ip}` },
      { from: 'accountEndpoint', to: 'account', ok: approved, label: `connection ${chosen?.status ?? 'missing'}${approved ? '' : ', not Approved'}` },
    ];
    const reason = approved
      ? `${host} resolves to ${dns.ip}, private endpoint ${chosen!.pe?.name} (Approved)`
      : `${host} resolves to ${dns.ip}, but private endpoint ${chosen?.pe?.name ?? ''} is ${chosen?.status ?? 'missing'}, not Approved`;
    return { id: ROUTES.vnetClient, from, to, ok: path.every((h) => h.ok), reason, path };
  }
  let v: Verdict;
  if (dns.kind === 'nxdomain') v = { ok: false, reason: dns.why, label: dns.label };
  else if (dns.kind === 'wrong') {
    v = {
      ok: false,
      reason: `${host} resolves to ${dns.ips.join(', ')}, not the private endpoint's address (${chosen?.ips.join(', ') || 'none'})`,
      label: `A record → ${dns.ips.join(', ')}, not the endpoint's address`,
    };
  } else {
    const viaPublic = publicPath(p, undefined, 'the VNet client, arriving from its public egress address,');
    v = { ok: viaPublic.ok, reason: `${dns.why}; over the public endpoint ${viaPublic.reason}`, label: `${dns.label}; public endpoint, ${viaPublic.label}` };
  }
  return direct(ROUTES.vnetClient, from, to, ['vnetClient', 'account'], v);
}

function studioStoragePath(p: Posture): Verdict {
  if (!storageAdmitsIp(p, STUDIO_IP)) return { ok: false, reason: `the storage firewall does not admit ${STUDIO_IP}: AuthorizationFailure`, label: `storage firewall: ${STUDIO_IP} not admitted` };
  if (!corsAdmitsStudio(p.corsRules)) return { ok: false, reason: 'no CORS rule for the Studio origins: "Failed to access Blob container"', label: 'no CORS rule for the Studio' };
  return { ok: true, reason: 'the storage firewall admits the Studio and CORS allows its origins', label: `storage firewall admits ${STUDIO_IP} + CORS` };
}

function identityPath(p: Posture): Verdict {
  if (!p.principalId) return { ok: false, reason: 'the account has no system-assigned identity: ContentSourceNotAccessible', label: 'no system-assigned identity' };
  const ex = identityException(p);
  if (ex.publicDisabled) return { ok: false, reason: 'storage public network access is Disabled, which no exception overrides: ContentSourceNotAccessible', label: 'storage public network access Disabled' };
  if (!ex.via) return { ok: false, reason: 'the storage firewall has no trusted-services exception or resource-instance rule for the account: ContentSourceNotAccessible', label: 'no trusted-services exception or resource-instance rule' };
  const role = p.roles?.find((r) => r.coversRead);
  const network = ex.via === 'open' ? 'the firewall is open' : ex.via === 'trusted-services' ? 'trusted-services exception' : 'resource-instance rule';
  if (!role) return { ok: false, reason: 'the identity has no role covering blob read: ContentSourceNotAccessible', label: `${network}, but no role covering blob read` };
  return { ok: true, reason: `${network}; ${role.roleName} covers blob read`, label: `${network} + ${role.roleName}` };
}
