/**
 * validate's checks over one account's posture as Resource Graph shows it, in validate's order and
 * with validate's ids and fixes. What Resource Graph cannot show (DNS records and links, the subnet's
 * policies) is `skip` here and judged by `audit --deep`, which runs validate itself for the account.
 */
import type { Settings } from '../core/settings.js';
import type { Check } from '../validate/types.js';
import { skip } from '../validate/types.js';
import type { AccountPosture } from '../posture/model.js';
import { accountChecks } from '../validate/checks/account.js';
import { storageChecks, storageRbacCheck } from '../validate/checks/storage.js';
import { trapChecks } from '../validate/checks/traps.js';

const DEEP = 'Read with --deep (private DNS zones, links and records are not in Resource Graph\'s view of the account).';
const NOT_DEEP = '--deep reads these through validate only for an account with linked storage and a private endpoint in a subnet.';
const NO_STORAGE = 'No storage account is linked to the account (no resource-instance rule names it, its identity holds no role at a storage account).';

const dnsSkips = (prefix: string, why: string) => ['zone', 'link', 'record'].map((x) => skip(`${prefix}.${x}`, undefined, why));

/** `deep`: --deep was asked for but could not run for this account (no linked storage or no endpoint subnet). */
export function auditChecks(settings: Settings, p: AccountPosture, deep = false): Check[] {
  const storage = p.storage;
  const later = deep ? NOT_DEEP : DEEP;
  return [
    ...accountChecks(settings, p),
    ...dnsSkips('account.dns', later),
    ...(storage
      ? storageChecks(settings, { ...p, storage })
      : [skip('storage.firewall', undefined, NO_STORAGE), skip('storage.identity-access', undefined, NO_STORAGE), storageRbacCheck(settings, p), skip('storage.private-endpoint', undefined, NO_STORAGE)]),
    ...dnsSkips('storage.dns', storage ? later : NO_STORAGE),
    skip('network.subnet-policies', p.subnet?.id, !p.subnet ? 'No private endpoint, so no subnet to judge.' : deep ? NOT_DEEP : 'Read with --deep (the subnet of the account\'s private endpoint).'),
    ...trapChecks(settings, p),
  ];
}
