/** Posture of the storage account: guide steps 2 and 3 (firewall, the identity's way in, its data role) and its private endpoint. */
import type { Settings } from '../../core/settings.js';
import type { Check } from '../types.js';
import { fail, pass, skip, warn } from '../types.js';
import type { AccountPosture, Posture } from '../../posture/model.js';
import { fixCommand } from '../fix-command.js';
import { endpointCheck } from './account.js';
import { sameId } from '../../core/resource-id.js';

/** How storage admits the account's identity through its firewall, if it does. */
export function identityException(p: StoragePosture): { via?: 'open' | 'trusted-services' | 'resource-instance'; publicDisabled: boolean } {
  const props = p.storage;
  const publicDisabled = props.publicNetworkAccess === 'Disabled';
  if (publicDisabled) return { publicDisabled };
  const acls = props.networkRuleSet;
  if (acls?.defaultAction !== 'Deny') return { via: 'open', publicDisabled };
  if ((acls.resourceAccessRules ?? []).some((r) => sameId(r.resourceId, p.account.id))) return { via: 'resource-instance', publicDisabled };
  const bypass = (acls.bypass ?? '').split(',').map((f) => f.trim());
  if (bypass.includes('AzureServices')) return { via: 'trusted-services', publicDisabled };
  return { publicDisabled };
}

/** A posture whose storage is known (validate's always is; audit's when something links it to the account). */
export type StoragePosture = AccountPosture & { storage: Posture['storage'] };

export function storageChecks(settings: Settings, p: StoragePosture): Check[] {
  const s = p.storage;
  const fix = (cmd: Parameters<typeof fixCommand>[2], extra?: string[]) => fixCommand(settings, p, cmd, extra);
  const checks: Check[] = [];
  const acls = s.networkRuleSet;

  if (s.publicNetworkAccess === 'Disabled') checks.push(pass('storage.firewall', s.id, 'Public network access disabled: only private endpoints reach storage.'));
  else if (acls?.defaultAction === 'Deny') {
    const ips = (acls.ipRules ?? []).map((r) => r.iPAddressOrRange);
    checks.push(pass('storage.firewall', s.id, `Firewall default action Deny${ips.length ? ` (allowed IPs: ${ips.join(', ')})` : ''}.`));
  } else {
    checks.push(fail('storage.firewall', s.id, `Storage '${s.name}' accepts requests from all networks (networkAcls.defaultAction ${acls?.defaultAction ?? 'Allow'}).`, fix('storage-lockdown')));
  }

  const ex = identityException(p);
  if (ex.publicDisabled) {
    checks.push(
      warn(
        'storage.identity-access',
        s.id,
        `Storage publicNetworkAccess is Disabled: neither the trusted-services exception nor a resource-instance rule applies, so '${p.account.name}' reaches storage only if its own traffic comes through a private endpoint.`,
        `Portal: storage account ${s.name} → Networking → "Enabled from selected virtual networks and IP addresses", then ${fix('storage-lockdown')}`,
      ),
    );
  } else if (ex.via === 'open') {
    checks.push(pass('storage.identity-access', s.id, 'The firewall admits every network, the account included (see storage.firewall).'));
  } else if (ex.via) {
    checks.push(pass('storage.identity-access', s.id, ex.via === 'trusted-services' ? 'Trusted Azure services may bypass the firewall (bypass AzureServices).' : `Resource-instance rule for '${p.account.name}'.`));
  } else {
    checks.push(
      fail(
        'storage.identity-access',
        s.id,
        `The firewall has no exception for '${p.account.name}' (bypass ${acls?.bypass ?? 'None'}, no resource-instance rule for it): training reads fail with ContentSourceNotAccessible.`,
        `${fix('storage-lockdown')}  (or: ${fix('storage-lockdown', ['--access-rule resource-instance'])})`,
      ),
    );
  }

  checks.push(storageRbacCheck(settings, p));

  checks.push(endpointCheck('storage.private-endpoint', p, 'blob', fix('private-endpoint')));
  return checks;
}

/**
 * The identity's data role on storage. `p.roles` are its assignments at the storage account or above;
 * when audit found no storage linked to the account, they are its assignments at any storage account,
 * resource group or subscription, and none covering blob read is the same failure.
 */
export function storageRbacCheck(settings: Settings, p: AccountPosture): Check {
  const s = p.storage;
  const where = s ? `${s.name}, its resource group or subscription` : 'any storage account, resource group or subscription';
  if (!p.principalId || !p.roles) return skip('storage.rbac', s?.id, 'No managed identity to hold a role (see account.identity).');
  const reading = p.roles.filter((r) => r.coversRead);
  return reading.length
    ? pass('storage.rbac', s?.id, `The identity holds ${reading.map((r) => `${r.roleName} at ${scopeName(r.scope, p)}`).join(', ')} (covers blob read).`)
    : fail(
        'storage.rbac',
        s?.id,
        `The identity ${p.principalId} holds no role whose dataActions cover blob read at ${where}${p.roles.length ? ` (it has: ${p.roles.map((r) => r.roleName).join(', ')})` : ''}.`,
        fixCommand(settings, p, 'grant'),
      );
}

export function scopeName(scope: string, p: AccountPosture): string {
  if (p.storage && sameId(scope, p.storage.id)) return 'the storage account';
  const parts = scope.split('/').filter(Boolean);
  if (parts.length === 2) return `subscription ${parts[1]}`;
  if (parts.length === 4) return `resource group ${parts[3]}`;
  return scope;
}
