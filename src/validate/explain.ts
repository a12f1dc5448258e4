/**
 * `validate --explain <code>`: the causes of one of the guide's errors in this configuration, each
 * marked confirmed (the state shows it), possible (the state cannot tell) or ruled out, most likely first.
 */
import type { StepContext } from '../steps/context.js';
import { UsageError } from '../core/errors.js';
import { STUDIO_IP } from '../core/settings.js';
import { REMEDIES } from '../azure/remedies.js';
import { nameOf, resourceGroupId, rgOf } from '../core/resource-id.js';
import { endpointPlacement } from '../posture/endpoints.js';
import type { Posture } from '../posture/model.js';
import { isLinked } from '../posture/model.js';
import { fixCommand, dnsZoneFlags } from './fix-command.js';
import { identityException } from './checks/storage.js';
import { accountAdmitsIp, storageAdmitsIp } from './checks/studio.js';
import { corsAdmitsStudio } from '../posture/studio.js';
import { vnetResolution } from './reachability.js';
import { callerPermissions } from './caller-permissions.js';

export type Likelihood = 'confirmed' | 'possible' | 'ruled-out';

export interface Cause {
  likelihood: Likelihood;
  cause: string;
  fix?: string;
}

export interface Explanation {
  code: string;
  meaning: string;
  causes: Cause[];
}

const CODES: Record<string, string> = {
  contentsourcenotaccessible: 'ContentSourceNotAccessible',
  authorizationfailure: 'AuthorizationFailure',
  accessdenied: 'AccessDenied',
  corsnotconfigured: 'CorsNotConfigured',
  cors: 'CorsNotConfigured',
  'failed to access blob container': 'CorsNotConfigured',
  principalnotfound: 'PrincipalNotFound',
  authorizationfailed: 'AuthorizationFailed',
  linkedauthorizationfailed: 'LinkedAuthorizationFailed',
};

export function normalizeCode(code: string): string {
  const c = CODES[code.trim().replace(/^"|"$/g, '').replace(/\.$/, '').toLowerCase()];
  if (!c) {
    throw new UsageError(
      `--explain '${code}' is not one of the errors validate can explain.`,
      'Pass one of: ContentSourceNotAccessible, AuthorizationFailure, AccessDenied, "Failed to access Blob container", PrincipalNotFound, AuthorizationFailed, LinkedAuthorizationFailed.',
    );
  }
  return c;
}

const ORDER: Likelihood[] = ['confirmed', 'possible', 'ruled-out'];
const cause = (on: boolean | undefined, text: string, fix?: string, otherwise: Likelihood = 'ruled-out'): Cause => ({ likelihood: on ? 'confirmed' : otherwise, cause: text, ...(fix ? { fix } : {}) });

export async function explain(ctx: StepContext, p: Posture, rawCode: string, fromIp: string | undefined): Promise<Explanation> {
  const code = normalizeCode(rawCode);
  const s = ctx.settings;
  const fix = (cmd: Parameters<typeof fixCommand>[2], extra?: string[]) => fixCommand(s, p, cmd, extra);
  const ex = identityException(p);
  const reads = !!p.roles?.some((r) => r.coversRead);
  const causes: Cause[] = [];

  switch (code) {
    case 'ContentSourceNotAccessible':
      causes.push(
        cause(!p.principalId, "The account has no system-assigned managed identity, so it reads storage anonymously.", `${fix('identity')} && ${fix('grant')}`),
        cause(!!p.principalId && !reads, 'The identity holds no role whose dataActions cover blob read on the storage account, its group or subscription.', fix('grant')),
        cause(ex.publicDisabled, 'Storage publicNetworkAccess is Disabled: the trusted-services exception and resource-instance rules do not apply.', `Portal: storage ${p.storage.name} → Networking → "Enabled from selected virtual networks and IP addresses", then ${fix('storage-lockdown')}`),
        cause(!ex.publicDisabled && !ex.via, 'The storage firewall has no trusted-services exception (bypass AzureServices) or resource-instance rule for the account.', fix('storage-lockdown')),
        { likelihood: 'possible', cause: 'The role was granted minutes ago: RBAC can take up to 10 minutes to apply to the data plane.', fix: 'Wait, then retry the training.' },
        { likelihood: 'possible', cause: 'The container URL or its path is wrong, or a SAS token for another account or an expired one is appended; with managed identity pass the container URL without SAS.', fix: `Use https://${p.privateLinks.blob.host}/<container> without a SAS.` },
      );
      break;
    case 'AuthorizationFailure': {
      const studio = storageAdmitsIp(p, STUDIO_IP);
      const client = fromIp ? storageAdmitsIp(p, fromIp) : undefined;
      const blobDns = p.privateLinks.blob.zone;
      causes.push(
        cause(client === false, `The storage firewall does not admit ${fromIp ?? 'your public IP'} (the browser's or the caller's address).`, fix('storage-lockdown', [`--allow-ip ${fromIp ?? '<your public IP>'}`]), client === undefined ? 'possible' : 'ruled-out'),
        cause(!studio, `The storage firewall does not admit the Studio's IP ${STUDIO_IP}.`, fix('storage-lockdown', ['--allow-studio'])),
        cause(p.privateLinks.blob.chosen?.status !== 'Approved', `A client inside ${p.vnet.name} has no Approved blob private endpoint to go through.`, fix('private-endpoint')),
        cause(!!blobDns && (!blobDns.exists || !isLinked(blobDns, p.vnet.id)), `Clients in ${p.vnet.name} resolve ${p.privateLinks.blob.host} to its public address (zone missing or not linked), so they hit the firewall.`, blobDns ? fix('private-endpoint', dnsZoneFlags(p, blobDns.zoneId)) : undefined),
      );
      break;
    }
    case 'AccessDenied': {
      const props = p.account.properties ?? {};
      const dns = vnetResolution(p);
      const client = fromIp ? accountAdmitsIp(p, fromIp) : undefined;
      causes.push(
        cause(props.publicNetworkAccess === 'Disabled', 'Account publicNetworkAccess is Disabled: every caller outside a private endpoint is refused, the Studio included.', `Portal: account ${p.account.name} → Networking → "Selected networks and private endpoints", then ${fix('private-endpoint', ['--allow-ip <your IP>'])}`),
        cause(client === false, `The account firewall does not admit ${fromIp ?? 'your public IP'}.`, fix('private-endpoint', [`--allow-ip ${fromIp ?? '<your public IP>'}`]), client === undefined && props.networkAcls?.defaultAction === 'Deny' ? 'possible' : 'ruled-out'),
        cause(dns.kind !== 'private', `A client in ${p.vnet.name} does not resolve ${p.privateLinks.account.host ?? 'the account'} to the private endpoint (${dns.kind === 'public' || dns.kind === 'nxdomain' ? dns.why : dns.kind === 'wrong' ? `it resolves to ${dns.ips.join(', ')}` : ''}), so it cannot use the private endpoint.`, fix('private-endpoint', p.privateLinks.account.zone ? dnsZoneFlags(p, p.privateLinks.account.zone.zoneId) : [])),
        cause(!!p.privateLinks.account.chosen && p.privateLinks.account.chosen.status !== 'Approved', `The account's private endpoint is ${p.privateLinks.account.chosen?.status}, not Approved.`, fix('private-endpoint')),
        cause(s.allowStudio && !accountAdmitsIp(p, STUDIO_IP), `The account firewall does not admit the Studio's IP ${STUDIO_IP}.`, fix('private-endpoint', ['--allow-studio'])),
      );
      break;
    }
    case 'CorsNotConfigured':
      causes.push(
        cause(!corsAdmitsStudio(p.corsRules), 'No CORS rule on the blob service admits the Studio origins and methods.', fix('storage-lockdown', ['--allow-studio'])),
        cause(!storageAdmitsIp(p, STUDIO_IP), `The storage firewall refuses the Studio (${STUDIO_IP}) and the preflight fails, which the Studio reports as a CORS failure.`, fix('storage-lockdown', ['--allow-studio'])),
        { likelihood: 'possible', cause: 'The signed-in Studio user lacks a Storage Blob Data role on the container (the Studio lists blobs as the user).', fix: 'Grant the user Storage Blob Data Contributor on the storage account (portal: Access control (IAM)).' },
      );
      break;
    case 'PrincipalNotFound':
      causes.push(
        cause(!p.principalId, 'The account has no system-assigned identity yet, so there is no principal to assign.', fix('identity')),
        { likelihood: p.principalId ? 'possible' : 'ruled-out', cause: 'The identity was created moments ago and has not replicated through Entra ID yet (minutes).', fix: `Wait a few minutes, then ${fix('grant')} (it retries with principalType ServicePrincipal).` },
        { likelihood: 'possible', cause: 'The identity was turned off and on again: the old principal id in a template or script no longer exists.', fix: `Use the current principal ${p.principalId ?? '(none)'}: ${fix('grant')}` },
      );
      break;
    case 'AuthorizationFailed':
    case 'LinkedAuthorizationFailed': {
      const perms = await callerPermissions(ctx);
      const who = perms.objectId ? `The signed-in identity (${perms.objectId})` : 'The signed-in identity';
      const zoneOf = (svc: 'account' | 'blob') => p.privateLinks[svc].zone?.zoneId;
      const placement = endpointPlacement(p.account.id, p.vnet.id);
      const needs: { action: string; scope: string; what: string; role: string; linked: boolean }[] = [
        { action: 'Microsoft.CognitiveServices/accounts/write', scope: p.account.id, what: `change ${p.account.name}`, role: 'Cognitive Services Contributor', linked: false },
        { action: 'Microsoft.Storage/storageAccounts/write', scope: p.storage.id, what: `change ${p.storage.name}`, role: 'Storage Account Contributor', linked: false },
        { action: 'Microsoft.Authorization/roleAssignments/write', scope: p.storage.id, what: `assign roles on ${p.storage.name}`, role: 'Role Based Access Control Administrator (or User Access Administrator, Owner)', linked: false },
        { action: 'Microsoft.Network/privateEndpoints/write', scope: resourceGroupId(placement.subscriptionId, placement.resourceGroup), what: `create private endpoints in ${placement.resourceGroup}`, role: 'Network Contributor', linked: false },
        { action: 'Microsoft.Network/virtualNetworks/subnets/join/action', scope: p.subnet.id, what: `join subnet ${p.subnet.name}`, role: 'Network Contributor on the VNet', linked: true },
        { action: 'Microsoft.CognitiveServices/accounts/privateEndpointConnectionsApproval/action', scope: p.account.id, what: `approve the endpoint on ${p.account.name}`, role: 'Cognitive Services Contributor', linked: true },
        { action: 'Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action', scope: p.storage.id, what: `approve the endpoint on ${p.storage.name}`, role: 'Storage Account Contributor', linked: true },
        ...(['account', 'blob'] as const).flatMap((svc) => {
          const z = zoneOf(svc);
          return z
            ? [
                { action: 'Microsoft.Network/privateDnsZones/join/action', scope: z, what: `add zone ${nameOf(z)} to a zone group`, role: `Private DNS Zone Contributor on ${rgOf(z)}`, linked: true },
                { action: 'Microsoft.Network/privateDnsZones/write', scope: z, what: `create or link zone ${nameOf(z)}`, role: `Private DNS Zone Contributor on ${rgOf(z)}`, linked: false },
              ]
            : [];
        }),
      ];
      const linked = code === 'LinkedAuthorizationFailed';
      for (const n of needs.filter((x) => x.linked === linked)) {
        causes.push(cause(!(await perms.can(n.action, n.scope)), `${who} may not ${n.what} (${n.action} at ${n.scope}).`, `Ask for ${n.role} at that scope, then run the same command again.`));
      }
      if (linked) causes.push({ likelihood: 'possible', cause: 'The zones live in a hub subscription or resource group you may not use.', fix: `Pass --dns-zone-subscription/--dns-zone-resource-group for zones you may use, or --skip-dns when Azure Policy manages DNS.` });
      break;
    }
  }
  causes.sort((a, b) => ORDER.indexOf(a.likelihood) - ORDER.indexOf(b.likelihood));
  const meaning = REMEDIES[code]?.meaning ?? code;
  return { code, meaning, causes };
}

const LABEL: Record<Likelihood, string> = { confirmed: '✗ confirmed', possible: '? possible ', 'ruled-out': '✓ ruled out' };

export function renderExplanation(e: Explanation): string {
  const lines = [`${e.code}: ${e.meaning}. Causes in this configuration, most likely first:`];
  e.causes.forEach((c, i) => {
    lines.push(`  ${i + 1}. [${LABEL[c.likelihood]}] ${c.cause}`);
    if (c.fix && c.likelihood !== 'ruled-out') lines.push(`       fix: ${c.fix}`);
  });
  return lines.join('\n');
}
