/** Known traps the guide mentions only in passing; reported as warnings, and only when they apply. */
import type { Settings } from '../../core/settings.js';
import type { Check } from '../types.js';
import { warn } from '../types.js';
import type { AccountPosture } from '../../posture/model.js';
import { fixCommand } from '../fix-command.js';
import { nameOf } from '../../core/resource-id.js';

export function trapChecks(settings: Settings, p: AccountPosture): Check[] {
  const checks: Check[] = [];
  if (p.account.properties?.publicNetworkAccess === 'Disabled') {
    checks.push(
      warn(
        'trap.account-public-access-disabled',
        p.account.id,
        'Account publicNetworkAccess is Disabled: Document Intelligence Studio cannot reach it (AccessDenied) even with its IP allowed. Use "selected networks and private endpoints" if people use the Studio.',
      ),
    );
  }
  if (settings.allowStudio && p.roles?.some((r) => r.coversRead) && !p.roles.some((r) => r.coversWrite)) {
    checks.push(
      warn(
        'trap.studio-auto-label-role',
        p.storage?.id,
        "The identity can read but not write blobs: Studio's auto-label and labeling save results to the container and need Storage Blob Data Contributor.",
        fixCommand(settings, p, 'grant', ['--role contributor']),
      ),
    );
  }
  for (const link of Object.values(p.privateLinks)) {
    const byZone = new Map<string, string[]>();
    for (const e of link.endpoints) for (const z of e.zoneIds) byZone.set(z.toLowerCase(), [...(byZone.get(z.toLowerCase()) ?? []), nameOf(e.privateEndpointId)]);
    for (const [zone, endpoints] of byZone) {
      if (endpoints.length < 2) continue;
      checks.push(
        warn(
          'trap.shared-dns-zone',
          zone,
          `Private endpoints ${endpoints.join(' and ')} of the same resource (${nameOf(link.targetId)}) write the same A record in ${nameOf(zone)}: the last one written wins, and clients of the other VNet are sent to an address they cannot reach. Give each VNet its own zone, or keep one endpoint.`,
        ),
      );
    }
  }
  return checks;
}
