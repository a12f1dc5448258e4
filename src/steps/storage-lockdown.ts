/**
 * Guide step 2 — "Secure the Storage account to limit traffic": the firewall admits only selected
 * networks (defaultAction Deny) with the trusted-services exception (bypass gains AzureServices),
 * or a resource-instance rule for the account. Everything else already there is kept. Optional:
 * extra IPs, the Studio's IP and a CORS rule for the Studio origins.
 */
import type { NetworkRuleSet, IPRule, ResourceAccessRule } from '@azure/arm-storage';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { Change, StepPlan, Write } from '../plan/types.js';
import { noOp } from '../plan/types.js';
import { rgOf, subscriptionOf } from '../core/resource-id.js';
import { allowedIps, bypassWithAzureServices, rulesAdmit, sameFlags } from '../posture/firewall.js';
import { STUDIO_CORS_RULE, STUDIO_ORIGINS, corsAdmitsStudio } from '../posture/studio.js';
import type { Requirement } from '../posture/permissions.js';

export const STORAGE_STEP = { id: 'storage-lockdown', title: 'Secure the storage account' } as const;

export async function planStorageLockdown(ctx: StepContext): Promise<StepPlan> {
  const storage = ctx.targets.storage!;
  const id = storage.id;
  const acls: NetworkRuleSet = storage.networkRuleSet ?? { defaultAction: 'Allow' };
  const changes: Change[] = [];

  // Deny is the only value this step ever writes: it never opens a firewall.
  const defaultAction = 'Deny';
  changes.push(acls.defaultAction === defaultAction ? noOp(id, 'networkAcls.defaultAction', defaultAction) : { action: 'update', resourceId: id, property: 'networkAcls.defaultAction', before: acls.defaultAction ?? 'Allow', after: defaultAction });

  let bypass = acls.bypass;
  const ruleMode = ctx.settings.accessRule;
  if (ruleMode === 'trusted-services') {
    const wanted = bypassWithAzureServices(acls.bypass);
    if (sameFlags(acls.bypass, wanted)) changes.push(noOp(id, 'networkAcls.bypass', acls.bypass));
    else {
      changes.push({ action: 'update', resourceId: id, property: 'networkAcls.bypass', before: acls.bypass ?? 'None', after: wanted });
      bypass = wanted;
    }
  }

  const ipRules: IPRule[] = [...(acls.ipRules ?? [])];
  for (const ip of allowedIps(ctx.settings, ctx.clientIp)) {
    if (rulesAdmit(ipRules.map((r) => r.iPAddressOrRange), ip)) changes.push(noOp(id, `networkAcls.ipRules[${ip}]`, ip));
    else {
      ipRules.push({ iPAddressOrRange: ip, action: 'Allow' });
      changes.push({ action: 'create', resourceId: id, property: 'networkAcls.ipRules', before: null, after: ip });
    }
  }

  const resourceAccessRules: ResourceAccessRule[] = [...(acls.resourceAccessRules ?? [])];
  if (ruleMode === 'resource-instance') {
    const account = ctx.targets.account!;
    const tenantId = account.identity?.tenantId ?? (await tenantOf(ctx));
    const present = resourceAccessRules.some((r) => r.resourceId?.toLowerCase() === account.id.toLowerCase());
    if (present) changes.push(noOp(id, 'networkAcls.resourceAccessRules', account.id));
    else {
      resourceAccessRules.push({ tenantId, resourceId: account.id });
      changes.push({ action: 'create', resourceId: id, property: 'networkAcls.resourceAccessRules', before: null, after: { tenantId, resourceId: account.id } });
    }
  }

  const aclChanges = changes.filter((c) => c.action !== 'no-op');
  const writes: Write[] = [];
  if (aclChanges.length) {
    // Azure replaces networkRuleSet as a whole: send back everything read with the changes.
    const networkRuleSet: NetworkRuleSet = {
      ...acls,
      defaultAction,
      bypass: bypass as NetworkRuleSet['bypass'],
      ipRules,
      virtualNetworkRules: acls.virtualNetworkRules ?? [],
      resourceAccessRules,
    };
    writes.push({ operation: 'patch-storage-network', resourceId: id, body: { networkRuleSet: { ...networkRuleSet } }, changes: aclChanges });
  }
  if (ctx.settings.allowStudio) {
    const st = await ctx.session.storage(subscriptionOf(id));
    const blob = await arm(`reading blob service of ${id}`, () => st.blobServices.getServiceProperties(rgOf(id), storage.name));
    const existing = blob.cors?.corsRules ?? [];
    if (corsAdmitsStudio(existing)) changes.push(noOp(`${id}/blobServices/default`, 'cors.corsRules[Studio]', STUDIO_ORIGINS));
    else {
      const change: Change = { action: 'create', resourceId: `${id}/blobServices/default`, property: 'cors.corsRules', before: null, after: STUDIO_CORS_RULE };
      changes.push(change);
      writes.push({ operation: 'put-blob-service', resourceId: `${id}/blobServices/default`, body: { cors: { corsRules: [...existing, STUDIO_CORS_RULE] } }, changes: [change] });
    }
  }

  if (!writes.length) return { ...STORAGE_STEP, changes };
  const requires: Requirement[] = writes.map((w) =>
    w.operation === 'put-blob-service'
      ? { action: 'Microsoft.Storage/storageAccounts/blobServices/write', scope: id, why: `adding the Studio's CORS rule to ${storage.name}` }
      : { action: 'Microsoft.Storage/storageAccounts/write', scope: id, why: `updating the firewall of ${storage.name}` },
  );
  // The storage account may be in another subscription (a data landing zone): each write goes through its own.
  return { ...STORAGE_STEP, changes, requires, writes };
}

async function tenantOf(ctx: StepContext): Promise<string> {
  const subscriptionId = subscriptionOf(ctx.targets.account!.id);
  const subs = await ctx.session.subscriptions();
  const sub = await arm(`reading subscription ${subscriptionId}`, () => subs.subscriptions.get(subscriptionId));
  return sub.tenantId!;
}
