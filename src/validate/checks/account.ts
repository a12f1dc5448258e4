/** Posture of the Document Intelligence account: guide steps 1, 4 and 5 as they apply to it. */
import type { Settings } from '../../core/settings.js';
import type { Check } from '../types.js';
import { fail, pass, skip } from '../types.js';
import type { AccountPosture } from '../../posture/model.js';
import { fixCommand } from '../fix-command.js';
import { approveCommand } from '../../posture/approval.js';
import { nameOf } from '../../core/resource-id.js';

export function accountChecks(settings: Settings, p: AccountPosture): Check[] {
  const a = p.account;
  const props = a.properties ?? {};
  const checks: Check[] = [];
  const fix = (cmd: Parameters<typeof fixCommand>[2], extra?: string[]) => fixCommand(settings, p, cmd, extra);

  checks.push(
    p.principalId
      ? pass('account.identity', a.id, `System-assigned managed identity on (principal ${p.principalId}).`)
      : fail(
          'account.identity',
          a.id,
          `'${a.name}' has no system-assigned managed identity (identity type: ${a.identity?.type ?? 'None'}); it cannot read training data from storage.`,
          `${fix('identity')} && ${fix('grant')}`,
        ),
  );

  const subdomain = props.customSubDomainName;
  checks.push(
    subdomain
      ? pass('account.custom-subdomain', a.id, `Custom subdomain '${subdomain}' (endpoint https://${p.privateLinks.account.host}/).`)
      : fail('account.custom-subdomain', a.id, `'${a.name}' has no custom subdomain: private endpoints and Entra ID authentication need one (it is permanent once set).`, fix('private-endpoint')),
  );

  const disabled = props.publicNetworkAccess === 'Disabled';
  const deny = props.networkAcls?.defaultAction === 'Deny';
  const ips = (props.networkAcls?.ipRules ?? []).map((r) => r.value).filter(Boolean);
  checks.push(
    disabled
      ? pass('account.network', a.id, 'Public network access disabled: only private endpoints reach the account.')
      : deny
        ? pass('account.network', a.id, `Selected networks and private endpoints${ips.length ? ` (allowed IPs: ${ips.join(', ')})` : ' (no public IP allowed)'}.`)
        : fail('account.network', a.id, `'${a.name}' accepts requests from all networks (publicNetworkAccess ${props.publicNetworkAccess ?? 'Enabled'}, networkAcls.defaultAction ${props.networkAcls?.defaultAction ?? 'Allow'}).`, fix('private-endpoint')),
  );

  checks.push(endpointCheck('account.private-endpoint', p, 'account', fix('private-endpoint')));
  return checks;
}

/** Present, in the chosen VNet, connection Approved — for the account (`account`) or storage (`blob`). */
export function endpointCheck(id: string, p: AccountPosture, service: 'account' | 'blob', fixText: string): Check {
  const link = p.privateLinks[service];
  const what = service === 'account' ? `'${p.account.name}'` : `blob storage of '${p.storage?.name ?? nameOf(link.targetId)}'`;
  const where = p.vnet ? ` in ${p.vnet.name}` : '';
  if (service === 'account' && !link.host) return skip(id, link.targetId, 'No private endpoint is possible before the account has a custom subdomain.');
  const chosen = link.chosen;
  if (!chosen) {
    const elsewhere = link.endpoints.filter((e) => e.pe && !e.inChosenVnet).map((e) => e.pe!.subnet?.id ?? e.privateEndpointId);
    return fail(
      id,
      link.targetId,
      `No private endpoint for ${what}${where}${elsewhere.length ? ` (there is one in ${elsewhere.join(', ')})` : ''}.`,
      fixText,
    );
  }
  if (chosen.status === 'Pending' && chosen.connectionId && link.mayApprove === false) {
    return fail(
      id,
      chosen.privateEndpointId,
      `Private endpoint ${chosen.pe?.name ?? chosen.privateEndpointId} to ${what} is Pending: no traffic flows through it until the owner of ${nameOf(link.targetId)} approves the connection.`,
      approveCommand(chosen.connectionId),
    );
  }
  if (chosen.status !== 'Approved') {
    return fail(id, chosen.privateEndpointId, `Private endpoint ${chosen.pe?.name ?? chosen.privateEndpointId} to ${what} is ${chosen.status ?? 'not connected'}, not Approved: no traffic flows through it.`, fixText);
  }
  return pass(id, chosen.privateEndpointId, `Private endpoint ${chosen.pe?.name}${where} (${chosen.ips.join(', ') || 'no address'}), connection Approved.`);
}
