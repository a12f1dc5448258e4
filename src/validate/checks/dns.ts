/**
 * Private DNS for one endpoint, for each zone its target needs: the zone exists, it is linked to the VNet,
 * and the A record is the endpoint's address. The zone of the target's own host name has the ids
 * `account.dns.zone|link|record`; each further zone (an AIServices account's openai and services.ai
 * zones) the same with its name between, e.g. `account.dns.openai.record`.
 */
import type { Settings } from '../../core/settings.js';
import type { Check } from '../types.js';
import { fail, pass, skip } from '../types.js';
import { isLinked, type Posture, type PrivateLinkView, type ZoneView } from '../../posture/model.js';
import { dnsZoneFlags, fixCommand } from '../fix-command.js';
import { nameOf, rgOf } from '../../core/resource-id.js';

/** `openai` for privatelink.openai.azure.com, `services-ai` for privatelink.services.ai.azure.com. */
function zoneLabel(zoneName: string): string {
  return zoneName.toLowerCase().replace(/^privatelink\./, '').split('.').slice(0, -2).join('-') || zoneName;
}

export function dnsChecks(settings: Settings, p: Posture, service: 'account' | 'blob'): Check[] {
  const base = service === 'account' ? 'account.dns' : 'storage.dns';
  const link = p.privateLinks[service];
  if (!link.zone) return [skip(`${base}.zone`, link.targetId, 'No host name to resolve yet (no custom subdomain).'), skip(`${base}.link`, undefined, 'No zone.'), skip(`${base}.record`, undefined, 'No zone.')];
  return link.zones.flatMap((zone, i) => zoneChecks(settings, p, link, zone, i === 0 ? base : `${base}.${zoneLabel(zone.zoneName)}`));
}

function zoneChecks(settings: Settings, p: Posture, link: PrivateLinkView, zone: ZoneView, prefix: string): Check[] {
  const host = zone.host;
  const fix = fixCommand(settings, p, 'private-endpoint', dnsZoneFlags(p, zone.zoneId));
  const checks: Check[] = [];
  if (!zone.exists) {
    checks.push(fail(`${prefix}.zone`, zone.zoneId, `Private DNS zone ${zone.zoneName} does not exist in resource group ${rgOf(zone.zoneId)}: clients in ${p.vnet.name} resolve ${host} to its public address.`, fix));
    checks.push(skip(`${prefix}.link`, zone.zoneId, 'No zone to link.'), skip(`${prefix}.record`, zone.zoneId, 'No zone to hold the record.'));
    return checks;
  }
  checks.push(pass(`${prefix}.zone`, zone.zoneId, `Private DNS zone ${zone.zoneName}${zone.viaZoneGroup ? ' (in the endpoint\'s zone group)' : ''}.`));
  checks.push(
    isLinked(zone, p.vnet.id)
      ? pass(`${prefix}.link`, zone.zoneId, `Linked to ${p.vnet.name}.`)
      : fail(`${prefix}.link`, zone.zoneId, `Zone ${zone.zoneName} is not linked to ${p.vnet.name}: clients there resolve ${host} to its public address${zone.linkedVnetIds.length ? ` (linked to ${zone.linkedVnetIds.map(nameOf).join(', ')})` : ''}.`, fix),
  );
  const expected = link.chosen?.hostIps[host] ?? link.chosen?.ips ?? [];
  const fqdn = `${zone.recordName}.${zone.zoneName}`;
  if (!expected.length) {
    checks.push(skip(`${prefix}.record`, zone.zoneId, `No private endpoint address to compare ${fqdn} with.`));
  } else if (!zone.recordIps?.length) {
    checks.push(fail(`${prefix}.record`, zone.zoneId, `No A record ${fqdn}: ${host} does not resolve to the private endpoint (${expected.join(', ')}).`, fix));
  } else if (!sameSet(zone.recordIps, expected)) {
    const group = `az network private-endpoint dns-zone-group delete --resource-group ${rgOf(link.chosen!.privateEndpointId)} --endpoint-name ${nameOf(link.chosen!.privateEndpointId)} --name default`;
    checks.push(
      fail(`${prefix}.record`, zone.zoneId, `A record ${fqdn} is ${zone.recordIps.join(', ')}, but the private endpoint's address is ${expected.join(', ')}: clients in ${p.vnet.name} are sent elsewhere.`, `${group} && ${fix}`),
    );
  } else {
    checks.push(pass(`${prefix}.record`, zone.zoneId, `A record ${fqdn} → ${zone.recordIps.join(', ')} (the endpoint's address).`));
  }
  return checks;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
