/**
 * The guide's four connections, judged from the configuration alone: a client inside the VNet → the
 * account; a client on the public internet → the account; the Studio → the account and → the
 * training container; the account's identity → the training container.
 */
import { STUDIO_IP } from '../core/settings.js';
import type { Reachability } from './types.js';
import { isLinked, type Posture } from './posture.js';
import { accountAdmitsIp, storageAdmitsIp } from './checks/studio.js';
import { corsAdmitsStudio } from '../steps/storage-lockdown.js';
import { identityException } from './checks/storage.js';

export const ROUTES = {
  vnetClient: 'vnet-client-to-account',
  publicClient: 'public-client-to-account',
  studioAccount: 'studio-to-account',
  studioStorage: 'studio-to-storage',
  identityStorage: 'identity-to-storage',
} as const;

/** Where a client in the VNet is sent when it looks up the account's host name. */
export function vnetResolution(
  p: Posture,
): { kind: 'private'; ip: string } | { kind: 'wrong'; ips: string[] } | { kind: 'public'; why: string } | { kind: 'nxdomain'; why: string } {
  const link = p.privateLinks.account;
  const zone = link.zone;
  if (!link.host) return { kind: 'public', why: 'the account has no custom subdomain, so clients use the regional endpoint' };
  // Azure points the public name at its privatelink. alias only once the account has a private endpoint connection.
  if (!(p.account.properties?.privateEndpointConnections ?? []).length) return { kind: 'public', why: 'the account has no private endpoint connection, so its name resolves to the public address' };
  if (!zone?.exists) return { kind: 'public', why: `there is no private DNS zone ${zone?.zoneName ?? ''}` };
  if (!isLinked(zone, p.vnet.id)) return { kind: 'public', why: `zone ${zone.zoneName} is not linked to ${p.vnet.name}` };
  if (!zone.recordIps?.length) return { kind: 'nxdomain', why: `zone ${zone.zoneName} is linked to ${p.vnet.name} but has no A record ${zone.recordName}: the name does not resolve there (NXDOMAIN)` };
  const expected = link.chosen?.ips ?? [];
  const hit = zone.recordIps.find((ip) => expected.includes(ip));
  return hit ? { kind: 'private', ip: hit } : { kind: 'wrong', ips: zone.recordIps };
}

function publicPath(p: Posture, ip: string | undefined, who: string): { ok: boolean; reason: string } {
  const props = p.account.properties ?? {};
  if (props.publicNetworkAccess === 'Disabled') return { ok: false, reason: `public network access is Disabled: ${who} gets AccessDenied` };
  if (props.networkAcls?.defaultAction !== 'Deny') return { ok: true, reason: 'the account accepts all networks' };
  if (accountAdmitsIp(p, ip)) return { ok: true, reason: `the account's IP rules admit ${ip}` };
  return { ok: false, reason: `the account's firewall admits only selected networks${ip ? ` and not ${ip}` : ''}: ${who} gets AccessDenied` };
}

export function reachability(p: Posture, fromIp: string | undefined): Reachability[] {
  const account = p.account.name;
  const container = `${p.storage.name} (blob)`;
  const rows: Reachability[] = [];

  const chosen = p.privateLinks.account.chosen;
  const approved = chosen?.status === 'Approved';
  const dns = vnetResolution(p);
  let vnet: { ok: boolean; reason: string };
  if (dns.kind === 'private') {
    vnet = approved
      ? { ok: true, reason: `${p.privateLinks.account.host} resolves to ${dns.ip}, private endpoint ${chosen!.pe?.name} (Approved)` }
      : { ok: false, reason: `${p.privateLinks.account.host} resolves to ${dns.ip}, but private endpoint ${chosen?.pe?.name ?? ''} is ${chosen?.status ?? 'missing'}, not Approved` };
  } else if (dns.kind === 'nxdomain') {
    vnet = { ok: false, reason: dns.why };
  } else if (dns.kind === 'wrong') {
    vnet = { ok: false, reason: `${p.privateLinks.account.host} resolves to ${dns.ips.join(', ')}, not the private endpoint's address (${chosen?.ips.join(', ') || 'none'})` };
  } else {
    const viaPublic = publicPath(p, undefined, 'the VNet client, arriving from its public egress address,');
    vnet = { ok: viaPublic.ok, reason: `${dns.why}; over the public endpoint ${viaPublic.reason}` };
  }
  rows.push({ id: ROUTES.vnetClient, from: `client in ${p.vnet.name}`, to: account, ...vnet });

  rows.push({ id: ROUTES.publicClient, from: fromIp ? `public client ${fromIp}` : 'public client (unknown IP)', to: account, ...publicPath(p, fromIp, 'a public client') });

  rows.push({ id: ROUTES.studioAccount, from: `Document Intelligence Studio (${STUDIO_IP})`, to: account, ...publicPath(p, STUDIO_IP, 'the Studio') });

  const storageOpen = storageAdmitsIp(p, STUDIO_IP);
  const cors = corsAdmitsStudio(p.corsRules);
  rows.push({
    id: ROUTES.studioStorage,
    from: `Document Intelligence Studio (${STUDIO_IP})`,
    to: container,
    ok: storageOpen && cors,
    reason: !storageOpen
      ? `the storage firewall does not admit ${STUDIO_IP}: AuthorizationFailure`
      : !cors
        ? 'no CORS rule for the Studio origins: "Failed to access Blob container"'
        : 'the storage firewall admits the Studio and CORS allows its origins',
  });

  rows.push({ id: ROUTES.identityStorage, from: `${account} (managed identity)`, to: container, ...identityPath(p) });
  return rows;
}

function identityPath(p: Posture): { ok: boolean; reason: string } {
  if (!p.principalId) return { ok: false, reason: 'the account has no system-assigned identity: ContentSourceNotAccessible' };
  const ex = identityException(p);
  if (ex.publicDisabled) return { ok: false, reason: 'storage public network access is Disabled, which no exception overrides: ContentSourceNotAccessible' };
  if (!ex.via) return { ok: false, reason: 'the storage firewall has no trusted-services exception or resource-instance rule for the account: ContentSourceNotAccessible' };
  const role = p.roles?.find((r) => r.coversRead);
  if (!role) return { ok: false, reason: 'the identity has no role covering blob read: ContentSourceNotAccessible' };
  const network = ex.via === 'open' ? 'the firewall is open' : ex.via === 'trusted-services' ? 'trusted-services exception' : 'resource-instance rule';
  return { ok: true, reason: `${network}; ${role.roleName} covers blob read` };
}
