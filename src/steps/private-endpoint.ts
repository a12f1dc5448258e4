/**
 * Guide steps 4 and 5 — "Configure private endpoints for access from VNETs": the account gets a
 * custom subdomain (permanent), one private endpoint for the account (group `account`) and one for
 * storage (group `blob`) in the chosen subnet, each with its private DNS zone, VNet link and zone
 * group; then "selected networks and private endpoints" on the account.
 *
 * Make before break: the subdomain (which endpoints need) is the only account write before the
 * endpoints. The account's network restriction is written last, and only once its private endpoint
 * has Succeeded with an Approved connection and every DNS write is done; any failure before that
 * leaves the account reachable as it was. The two endpoints and their DNS run concurrently.
 */
import { accountConnections, storageConnections } from '../posture/build.js';
import type { Account, NetworkRuleSet as AccountNetworkRuleSet } from '@azure/arm-cognitiveservices';
import type { StepContext } from './context.js';
import { planEndpoint, type EndpointTarget } from './private-endpoint-chain.js';
import type { Change, NamedPlace, StepPlan, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { UsageError } from '../core/errors.js';
import { resourceGroupId, subscriptionOf, subscriptionScope } from '../core/resource-id.js';
import { allowedIps, rulesAdmit } from '../posture/firewall.js';
import { accountHost, blobHost } from '../posture/hosts.js';
import type { Requirement } from '../posture/permissions.js';

export { privateEndpointName } from '../posture/endpoints.js';
export { zoneGroupConfigName } from '../posture/dns.js';
import { zoneNamesFor } from '../posture/dns.js';

export const PRIVATE_ENDPOINT_STEP = { id: 'private-endpoint', title: 'Configure private endpoints' } as const;

const ACCOUNT_WRITE = 'Microsoft.CognitiveServices/accounts/write';

export async function planPrivateEndpoints(ctx: StepContext): Promise<StepPlan> {
  const account = ctx.targets.account!;
  const storage = ctx.targets.storage!;
  const props = account.properties ?? {};
  const changes: Change[] = [];
  const requires: Requirement[] = [];
  const writes: Write[] = [];
  const PREPARE = 'account-prepare';

  // 1. Custom subdomain: endpoints and Entra auth need it; it can never change afterwards.
  const prepare: Partial<Account['properties']> & Record<string, unknown> = {};
  const current = props.customSubDomainName;
  const wanted = ctx.settings.customSubdomain ?? current ?? account.name.toLowerCase();
  if (current && ctx.settings.customSubdomain && current !== ctx.settings.customSubdomain) {
    throw new UsageError(
      `Account '${account.name}' already has the custom subdomain '${current}'; Azure never lets it change (UpdatingCustomDomainNotAllowed).`,
      `Run again without --custom-subdomain (or with --custom-subdomain ${current}).`,
    );
  }
  const prepareChanges: Change[] = [];
  if (current) changes.push(noOp(account.id, 'properties.customSubDomainName', current));
  else {
    prepare.customSubDomainName = wanted;
    prepareChanges.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.customSubDomainName',
      before: null,
      after: wanted,
      confirm: {
        kind: 'permanent',
        message: `Give '${account.name}' the custom subdomain '${wanted}' (endpoint https://${wanted}.${ctx.settings.cloud.cognitiveServicesSuffix}/)? This is permanent: Azure never lets a subdomain change or be removed.`,
      },
    });
  }
  const acls: AccountNetworkRuleSet | undefined = props.networkAcls;
  // A write that ended Failed leaves the account refusing new endpoints until a write succeeds:
  // send its network settings again exactly as they are (nothing widens, nothing narrows).
  if (String(props.provisioningState ?? '').toLowerCase() === 'failed' && !Object.keys(prepare).length) {
    if (acls) prepare.networkAcls = { ...acls };
    else prepare.publicNetworkAccess = props.publicNetworkAccess ?? 'Enabled';
    prepareChanges.push({ action: 'update', resourceId: account.id, property: 'properties.provisioningState', before: 'Failed', after: 'Succeeded' });
  }
  changes.push(...prepareChanges);
  const prepares = Object.keys(prepare).length > 0;
  if (prepares) {
    requires.push({ action: ACCOUNT_WRITE, scope: account.id, why: `updating ${account.name}` });
    writes.push({ key: PREPARE, after: [], operation: 'patch-account', resourceId: account.id, body: { properties: prepare }, changes: prepareChanges });
  }

  // 2. The private path: both endpoints with their DNS.
  const targets: EndpointTarget[] = [
    {
      service: 'account',
      targetId: account.id,
      targetName: account.name,
      host: accountHost(ctx.settings.cloud, wanted)!,
      zoneNames: ctx.targets.zoneNames?.account ?? zoneNamesFor(ctx.settings.cloud, 'account', account.kind, undefined),
      connections: accountConnections(account),
    },
    {
      service: 'blob',
      targetId: storage.id,
      targetName: storage.name,
      host: blobHost(ctx.settings.cloud, storage),
      zoneNames: ctx.targets.zoneNames?.blob ?? zoneNamesFor(ctx.settings.cloud, 'blob', storage.kind, undefined),
      connections: storageConnections(storage),
    },
  ];
  const chains = await Promise.all(targets.map((t) => planEndpoint(ctx, t, prepares ? PREPARE : undefined)));
  for (const c of chains) {
    changes.push(...c.changes);
    requires.push(...c.requires);
    writes.push(...c.writes);
  }

  // 3. The account's network restriction: "selected networks and private endpoints", or public access disabled. Never widen.
  const restrict: Partial<Account['properties']> & Record<string, unknown> = {};
  const disabled = props.publicNetworkAccess === 'Disabled';
  const restrictChanges: Change[] = [];
  if (ctx.settings.disablePublicAccess && !disabled) {
    restrict.publicNetworkAccess = 'Disabled';
    restrictChanges.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.publicNetworkAccess',
      before: props.publicNetworkAccess ?? 'Enabled',
      after: 'Disabled',
      confirm: {
        kind: 'lockout',
        message: `Disable all public access to '${account.name}'? Only clients inside the VNet (through the private endpoint) will reach it; Document Intelligence Studio and this machine will get AccessDenied. ARM management is unaffected.`,
      },
    });
  } else {
    restrictChanges.push(noOp(account.id, 'properties.publicNetworkAccess', props.publicNetworkAccess ?? 'Enabled'));
  }
  const ipRules = [...(acls?.ipRules ?? [])];
  const newIps = allowedIps(ctx.settings, ctx.clientIp).filter((ip) => !rulesAdmit(ipRules.map((r) => r.value), ip));
  const denyNeeded = acls?.defaultAction !== 'Deny';
  if (denyNeeded || newIps.length) {
    for (const ip of newIps) ipRules.push({ value: ip });
    // Azure replaces networkAcls as a whole: send back everything read (bypass included) with the changes.
    restrict.networkAcls = { ...acls, defaultAction: 'Deny', ipRules, virtualNetworkRules: acls?.virtualNetworkRules ?? [] };
  }
  if (denyNeeded) {
    restrictChanges.push({
      action: 'update',
      resourceId: account.id,
      property: 'properties.networkAcls.defaultAction',
      before: acls?.defaultAction ?? 'Allow',
      after: 'Deny',
      confirm: disabled || ctx.settings.disablePublicAccess
        ? undefined
        : {
            kind: 'lockout',
            message: `Restrict '${account.name}' to selected networks and private endpoints? Clients outside ${ctx.targets.vnet!.name}${ipRules.length ? ` and the allowed IPs (${ipRules.map((r) => r.value).join(', ')})` : ''} — including this machine, which is not in the VNet — will get AccessDenied from the Document Intelligence endpoint. ARM management is unaffected.`,
          },
    });
  } else restrictChanges.push(noOp(account.id, 'properties.networkAcls.defaultAction', 'Deny'));
  for (const ip of newIps) restrictChanges.push({ action: 'create', resourceId: account.id, property: 'properties.networkAcls.ipRules', before: null, after: ip });
  changes.push(...restrictChanges);
  const restricts = Object.keys(restrict).length > 0;
  if (restricts) {
    if (!requires.some((r) => r.action === ACCOUNT_WRITE)) requires.push({ action: ACCOUNT_WRITE, scope: account.id, why: `restricting the network access of ${account.name}` });
    // Last, once every other write succeeded, and only if the account's own connection is Approved by then.
    writes.push({
      key: 'account-restrict', after: writes.map((w) => w.key!), onlyIfApproved: chains[0].connection.privateEndpointId,
      operation: 'patch-account', resourceId: account.id, body: { properties: restrict }, changes: restrictChanges.filter((c) => c.action !== 'no-op'),
    });
  }

  const places: NamedPlace[] = [];
  if (!ctx.settings.skipDns && ctx.settings.dnsZoneSubscription) places.push({ kind: 'subscription', id: subscriptionScope(ctx.settings.dnsZoneSubscription), flag: '--dns-zone-subscription' });
  if (!ctx.settings.skipDns && ctx.settings.dnsZoneResourceGroup) {
    const sub = ctx.settings.dnsZoneSubscription ?? subscriptionOf(ctx.targets.vnet!.id);
    places.push({ kind: 'resourceGroup', id: resourceGroupId(sub, ctx.settings.dnsZoneResourceGroup), flag: '--dns-zone-resource-group' });
  }

  if (!writes.length) return { ...PRIVATE_ENDPOINT_STEP, changes };
  return { ...PRIVATE_ENDPOINT_STEP, changes, requires, places, writes, connections: chains.map((c) => c.connection) };
}
