/** With --allow-studio: Document Intelligence Studio's IP on both firewalls and a CORS rule for its origins on blob storage. */
import type { Settings } from '../../core/settings.js';
import { STUDIO_IP } from '../../core/settings.js';
import { accountAdmitsIp as accountFirewallAdmits, storageAdmitsIp as storageFirewallAdmits } from '../../posture/firewall.js';
import { corsAdmitsStudio, STUDIO_ORIGINS } from '../../posture/studio.js';
import type { Check } from '../types.js';
import { fail, pass, skip } from '../types.js';
import type { Posture } from '../../posture/model.js';
import { fixCommand } from '../fix-command.js';

/** Whether the account's firewall admits this public address (posture/firewall.ts decides). */
export const accountAdmitsIp = (p: Posture, ip: string | undefined): boolean => accountFirewallAdmits(p.account.properties ?? {}, ip);

/** Whether the storage firewall admits this public address (posture/firewall.ts decides). */
export const storageAdmitsIp = (p: Posture, ip: string | undefined): boolean => storageFirewallAdmits(p.storage, ip);

export function studioChecks(settings: Settings, p: Posture): Check[] {
  if (!settings.allowStudio) {
    return ['studio.account-ip', 'studio.storage-ip', 'studio.cors'].map((id) => skip(id, undefined, 'Studio access not asked for (--allow-studio).'));
  }
  const disabled = p.account.properties?.publicNetworkAccess === 'Disabled';
  return [
    accountAdmitsIp(p, STUDIO_IP)
      ? pass('studio.account-ip', p.account.id, `The account firewall admits the Studio (${STUDIO_IP}).`)
      : fail(
          'studio.account-ip',
          p.account.id,
          disabled ? `Public network access is Disabled, so the Studio (${STUDIO_IP}) gets AccessDenied whatever the IP rules say.` : `The account firewall does not admit the Studio's IP ${STUDIO_IP}.`,
          disabled
            ? `Portal: account ${p.account.name} → Networking → "Selected networks and private endpoints", then ${fixCommand(settings, p, 'private-endpoint', ['--allow-studio'])}`
            : fixCommand(settings, p, 'private-endpoint', ['--allow-studio']),
        ),
    storageAdmitsIp(p, STUDIO_IP)
      ? pass('studio.storage-ip', p.storage.id, `The storage firewall admits the Studio (${STUDIO_IP}).`)
      : fail('studio.storage-ip', p.storage.id, `The storage firewall does not admit the Studio's IP ${STUDIO_IP}: the Studio gets AuthorizationFailure on the container.`, fixCommand(settings, p, 'storage-lockdown', ['--allow-studio'])),
    corsAdmitsStudio(p.corsRules)
      ? pass('studio.cors', `${p.storage.id}/blobServices/default`, `CORS admits the Studio origins (${STUDIO_ORIGINS.join(', ')}).`)
      : fail('studio.cors', `${p.storage.id}/blobServices/default`, 'No CORS rule admits the Studio origins: the Studio shows "Failed to access Blob container".', fixCommand(settings, p, 'storage-lockdown', ['--allow-studio'])),
  ];
}
