/**
 * The undo of one recorded run as plans: each resource the run changed is read now and set back to
 * the journal's "before", in reverse dependency order — role assignment → storage firewall and CORS →
 * account network (reopened as recorded before the private path goes: make before break, reversed) →
 * zone groups → private endpoints → VNet links → DNS zones → subnet → system identity. What the run created is deleted; what it changed gets the recorded values back;
 * nothing is written beyond the recorded "before". A resource that changed since the run (its content
 * differs from the journal's "after", apart from what an earlier undo already restored) is left
 * alone unless --force. The custom subdomain is permanent.
 */
import type { ArmSession } from '../azure/session.js';
import { listResources, readResource, type ResourceSnapshot } from '../azure/arm-resource.js';
import type { JournalDocument, JournalResource } from '../journal/journal.js';
import type { Change, StepPlan, Write } from '../plan/types.js';
import { noOp, withoutManagementGroupChecks } from '../plan/types.js';
import type { Requirement } from '../posture/permissions.js';
import { arm } from '../steps/context.js';
import { nameOf } from '../core/resource-id.js';
import { changedSince, differences, same, sameSnapshot, type Difference } from './compare.js';
import { redact } from '../journal/redact.js';
import { planPolicyUndo } from './policy-plan.js';

export interface Refusal {
  resourceId: string;
  reason: string;
  differences: Difference[];
}

export interface Permanent {
  resourceId: string;
  property: string;
  value: unknown;
  why: string;
}

export interface UndoPlan {
  phases: StepPlan[][];
  refused: Refusal[];
  permanent: Permanent[];
  notes: string[];
}

export interface UndoOptions {
  force: boolean;
}

export interface Item {
  r: JournalResource;
  now: ResourceSnapshot;
  /** the run's journal has no "after" (it was killed before reading back): nothing to compare with */
  afterUnknown: boolean;
}

const T = {
  role: 'microsoft.authorization/roleassignments',
  zoneGroup: 'microsoft.network/privateendpoints/privatednszonegroups',
  endpoint: 'microsoft.network/privateendpoints',
  link: 'microsoft.network/privatednszones/virtualnetworklinks',
  zone: 'microsoft.network/privatednszones',
  aRecord: 'microsoft.network/privatednszones/a',
  storage: 'microsoft.storage/storageaccounts',
  blob: 'microsoft.storage/storageaccounts/blobservices',
  account: 'microsoft.cognitiveservices/accounts',
  subnet: 'microsoft.network/virtualnetworks/subnets',
  vnet: 'microsoft.network/virtualnetworks',
} as const;

const props = (s: ResourceSnapshot | undefined): Record<string, any> => s?.body?.properties ?? {};

/** How the resource changed since the run (nothing to compare with when the run never saw its last write answered). */
function drift(item: Item): Difference[] {
  return item.afterUnknown ? [] : changedSince(item.r.before, item.r.after!, item.now);
}

const ROLE = 'Microsoft.Authorization/roleAssignments';

/** The parts of a recorded zone group that a PUT may send. */
function zoneConfigs(body: Record<string, any> | undefined) {
  return (body?.properties?.privateDnsZoneConfigs ?? []).map((c: any) => ({ name: c.name, properties: { privateDnsZoneId: c.properties?.privateDnsZoneId } }));
}

function identityBody(before: ResourceSnapshot): Record<string, unknown> {
  const id = before.body?.identity;
  const type = String(id?.type ?? 'None');
  if (!id || type.toLowerCase() === 'none') return { type: 'None' };
  return { type, ...(id.userAssignedIdentities ? { userAssignedIdentities: Object.fromEntries(Object.keys(id.userAssignedIdentities).map((k) => [k, {}])) } : {}) };
}

const hasSystem = (s: ResourceSnapshot) => String(s.body?.identity?.type ?? '').toLowerCase().includes('systemassigned');

/** Does restoring `after` over `now` admit more than `now` does? (a firewall back to Allow, public access back on, a bypass back) */
function widens(now: Record<string, any>, target: Record<string, any>): boolean {
  const na = now.networkAcls ?? {};
  const ta = target.networkAcls ?? {};
  const deny = (a: any) => String(a?.defaultAction ?? 'Allow').toLowerCase() === 'deny';
  if (deny(na) && !deny(ta)) return true;
  if (String(now.publicNetworkAccess ?? 'Enabled').toLowerCase() === 'disabled' && String(target.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled') return true;
  return false;
}

export async function planUndo(session: ArmSession, doc: JournalDocument, opts: UndoOptions): Promise<UndoPlan> {
  const refused: Refusal[] = [];
  const permanent: Permanent[] = [];
  const notes: string[] = [];

  // Each resource the run changed (or may have, when it was killed before reading back), as it is now.
  const items: Item[] = [];
  await Promise.all(
    doc.resources.map(async (r) => {
      if (r.after && sameSnapshot(r.before, r.after)) return;
      // compared with the journal as the journal holds it, and shown in the plan: secrets removed alike
      const now = redact(await arm(`reading ${r.id}`, () => readResource(session, r.id)));
      // no read-back, or a write the run sent and never saw answered: what is there now may be the run's
      const afterUnknown = !r.after || doc.writes.some((w) => w.status === undefined && w.resourceId.toLowerCase() === r.id.toLowerCase());
      if (afterUnknown && sameSnapshot(r.before, now)) return;
      items.push({ r, now, afterUnknown });
    }),
  );
  items.sort((a, b) => a.r.id.localeCompare(b.r.id));
  for (const i of items.filter((x) => x.r.before.exists && !x.now.exists)) {
    refused.push({ resourceId: i.r.id, reason: `was deleted since run ${doc.id} (undo does not re-create it)`, differences: [{ path: '/', recorded: 'exists', now: 'deleted' }] });
  }
  const ofType = (t: string) => items.filter((i) => i.r.type.toLowerCase() === t);

  /** Whether to act on the item: not drifted, or --force. */
  const mayTouch = (i: Item, what: string): boolean => {
    const d = drift(i);
    if (!d.length) return true;
    if (opts.force) {
      notes.push(`${i.r.id} changed since run ${doc.id}; --force: ${what} anyway.`);
      return true;
    }
    refused.push({ resourceId: i.r.id, reason: `changed since run ${doc.id} (not touched; --force to ${what} anyway)`, differences: d });
    return false;
  };

  // A step's writes go side by side (`after: []`); each ends (succeeds or fails) before the step reports.
  const step = (id: string, title: string, changes: Change[], requires: Requirement[], writes: Write[]): StepPlan => ({
    id: `undo-${id}`,
    title,
    changes,
    ...(writes.length ? { requires, writes: writes.map((w) => ({ ...w, after: [] })) } : {}),
  });

  /** Deletes what the run created, for resources of one type. */
  const deletions = (type: string, action: string, scopeOf: (id: string) => string = (id) => id, keep?: (i: Item) => string | undefined) => {
    const changes: Change[] = [];
    const requires: Requirement[] = [];
    const writes: Write[] = [];
    for (const i of ofType(type)) {
      if (i.r.before.exists) continue;
      if (!i.now.exists) {
        changes.push(noOp(i.r.id, 'exists', false));
        continue;
      }
      const kept = keep?.(i);
      if (kept) {
        changes.push(noOp(i.r.id, 'exists', true));
        notes.push(`${i.r.id} is kept: ${kept}.`);
        continue;
      }
      if (!mayTouch(i, 'delete it')) continue;
      const change: Change = { action: 'delete', resourceId: i.r.id, property: nameOf(i.r.type), before: 'created by the run', after: null };
      changes.push(change);
      requires.push({ action, scope: scopeOf(i.r.id), why: `deleting ${i.r.id.split('/').slice(-2).join('/')} (created by run ${doc.id})` });
      writes.push({ operation: 'delete', resourceId: i.r.id, changes: [change] });
    }
    return { changes, requires, writes };
  };

  const phases: StepPlan[] = [];
  const policy = await planPolicyUndo({ session, doc, ofType, mayTouch, deletions, step, notes, permanent });

  // 0. A policy run's remediation tasks, before the roles their identity acted with.
  phases.push(...policy.beforeRoles);

  // 1. The role assignment (its name is deterministic: the journal recorded the one the run made).
  {
    const d = deletions(T.role, `${ROLE}/delete`, (id) => id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, ''));
    phases.push(step('role-assignment', 'Remove the role assignment the run made', d.changes, d.requires, d.writes));
  }

  // 1b. A policy run's assignment (its identity goes with it), then its set definition.
  phases.push(...policy.afterRoles);

  // 2. Zone groups: delete the ones the run made; give a changed one its recorded zones back.
  const deletedGroups = new Set<string>();
  {
    const d = deletions(T.zoneGroup, 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete', (id) => id.replace(/\/privateDnsZoneGroups\/[^/]+$/i, ''));
    for (const c of d.changes) if (c.action === 'delete') deletedGroups.add(c.resourceId.toLowerCase());
    for (const i of ofType(T.zoneGroup).filter((x) => x.r.before.exists)) {
      const target = zoneConfigs(i.r.before.body);
      if (i.now.exists && same(target, zoneConfigs(i.now.body))) {
        d.changes.push(noOp(i.r.id, 'privateDnsZoneConfigs', target.map((c: any) => c.properties.privateDnsZoneId)));
        continue;
      }
      if (!mayTouch(i, 'restore it')) continue;
      const change: Change = { action: 'update', resourceId: i.r.id, property: 'privateDnsZoneConfigs', before: zoneConfigs(i.now.body).map((c: any) => c.properties.privateDnsZoneId), after: target.map((c: any) => c.properties.privateDnsZoneId) };
      d.changes.push(change);
      d.requires.push({ action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write', scope: i.r.id.replace(/\/privateDnsZoneGroups\/[^/]+$/i, ''), why: `restoring the zone group ${nameOf(i.r.id)}` });
      d.writes.push({ operation: 'restore-recorded', method: 'PUT', resourceId: i.r.id, body: { properties: { privateDnsZoneConfigs: target } }, doing: `restoring ${i.r.id}`, changes: [change] });
    }
    phases.push(step('zone-groups', 'Remove the DNS zone groups the run made', d.changes, d.requires, d.writes));
  }

  // 3. Private endpoints (their NICs and the targets' connections go with them).
  const deletedEndpoints = new Set<string>();
  {
    const d = deletions(T.endpoint, 'Microsoft.Network/privateEndpoints/delete');
    for (const c of d.changes) if (c.action === 'delete') deletedEndpoints.add(c.resourceId.toLowerCase());
    phases.push(step('private-endpoints', 'Remove the private endpoints the run made', d.changes, d.requires, d.writes));
  }

  // 4. VNet links.
  const deletedLinks = new Set<string>();
  {
    const d = deletions(T.link, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete');
    for (const c of d.changes) if (c.action === 'delete') deletedLinks.add(c.resourceId.toLowerCase());
    phases.push(step('vnet-links', 'Remove the VNet links the run made', d.changes, d.requires, d.writes));
  }

  // 5. DNS zones the run made that hold nothing else once the above are gone; A records back as recorded.
  {
    const ourRecords = new Set<string>();
    for (const g of ofType(T.zoneGroup).filter((x) => deletedGroups.has(x.r.id.toLowerCase()))) {
      for (const c of g.now.body?.properties?.privateDnsZoneConfigs ?? []) {
        for (const rs of c.properties?.recordSets ?? []) ourRecords.add(`${String(c.properties?.privateDnsZoneId).toLowerCase()}/${String(rs.recordType ?? 'A').toLowerCase()}/${String(rs.recordSetName).toLowerCase()}`);
      }
    }
    const others = new Map<string, string>();
    for (const z of ofType(T.zone).filter((x) => !x.r.before.exists && x.now.exists)) {
      const records = await arm(`listing record sets of ${z.r.id}`, () => listResources(session, `${z.r.id}/ALL`));
      const links = await arm(`listing VNet links of ${z.r.id}`, () => listResources(session, `${z.r.id}/virtualNetworkLinks`));
      const otherRecords = records.filter((rs: any) => {
        const type = String(rs.type ?? '').split('/').pop()!.toLowerCase();
        return type !== 'soa' && !ourRecords.has(String(rs.id).toLowerCase());
      });
      const otherLinks = links.filter((l: any) => !deletedLinks.has(String(l.id).toLowerCase()));
      if (otherRecords.length || otherLinks.length) {
        others.set(z.r.id.toLowerCase(), `it holds ${[otherRecords.length ? `${otherRecords.length} record set(s)` : '', otherLinks.length ? `${otherLinks.length} VNet link(s)` : ''].filter(Boolean).join(' and ')} the run did not make`);
      }
    }
    const d = deletions(T.zone, 'Microsoft.Network/privateDnsZones/delete', undefined, (i) => others.get(i.r.id.toLowerCase()));
    for (const i of ofType(T.aRecord).filter((x) => x.r.before.exists)) {
      const target = { ttl: props(i.r.before).ttl, aRecords: props(i.r.before).aRecords ?? [], ...(props(i.r.before).metadata ? { metadata: props(i.r.before).metadata } : {}) };
      if (i.now.exists && same(target.aRecords, props(i.now).aRecords ?? [])) continue;
      if (!mayTouch(i, 'restore it')) continue;
      const change: Change = { action: 'update', resourceId: i.r.id, property: 'aRecords', before: (props(i.now).aRecords ?? []).map((a: any) => a.ipv4Address), after: target.aRecords.map((a: any) => a.ipv4Address) };
      d.changes.push(change);
      d.requires.push({ action: 'Microsoft.Network/privateDnsZones/A/write', scope: i.r.id.replace(/\/A\/[^/]+$/i, ''), why: `restoring the A record ${nameOf(i.r.id)}` });
      d.writes.push({ operation: 'restore-recorded', method: 'PUT', resourceId: i.r.id, body: { properties: target }, doing: `restoring ${i.r.id}`, changes: [change] });
    }
    phases.push(step('dns-zones', 'Remove the private DNS zones the run made', d.changes, d.requires, d.writes));
  }

  // 6. The storage firewall and CORS rules, exactly as before.
  {
    const changes: Change[] = [];
    const requires: Requirement[] = [];
    const writes: Write[] = [];
    for (const i of ofType(T.storage).filter((x) => x.r.before.exists && x.now.exists)) {
      const b = props(i.r.before);
      const target: Record<string, unknown> = { networkAcls: b.networkAcls ?? { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] } };
      if (b.publicNetworkAccess !== undefined && b.publicNetworkAccess !== props(i.now).publicNetworkAccess) target.publicNetworkAccess = b.publicNetworkAccess;
      const diffs = differences({ networkAcls: props(i.now).networkAcls, ...(target.publicNetworkAccess ? { publicNetworkAccess: props(i.now).publicNetworkAccess } : {}) }, target);
      if (!diffs.length) {
        changes.push(noOp(i.r.id, 'networkAcls', 'as before the run'));
        continue;
      }
      if (!mayTouch(i, 'restore its firewall')) continue;
      const wide = widens(props(i.now), target as Record<string, any>);
      const restored: Change[] = diffs.map((df, n) => ({
        action: 'update', resourceId: i.r.id, property: df.path.slice(1).replace(/\//g, '.'), before: df.recorded, after: df.now,
        ...(wide && n === 0 ? { confirm: { kind: 'widen' as const, message: `Restore the firewall of storage account '${nameOf(i.r.id)}' to what it was before run ${doc.id} (${String((target.networkAcls as any).defaultAction ?? 'Allow')} by default)? Networks the lockdown shut out will reach it again; nothing beyond the recorded settings is opened.` } } : {}),
      }));
      changes.push(...restored);
      requires.push({ action: 'Microsoft.Storage/storageAccounts/write', scope: i.r.id, why: `restoring the firewall of ${nameOf(i.r.id)}` });
      writes.push({ operation: 'restore-recorded', method: 'PATCH', resourceId: i.r.id, body: { properties: target }, doing: `restoring the firewall of ${i.r.id}`, changes: restored });
    }
    for (const i of ofType(T.blob).filter((x) => x.r.before.exists && x.now.exists)) {
      const target = props(i.r.before).cors ?? { corsRules: [] };
      if (same(target, props(i.now).cors ?? { corsRules: [] })) {
        changes.push(noOp(i.r.id, 'cors.corsRules', 'as before the run'));
        continue;
      }
      if (!mayTouch(i, 'restore its CORS rules')) continue;
      const change: Change = { action: 'update', resourceId: i.r.id, property: 'cors.corsRules', before: (props(i.now).cors?.corsRules ?? []).map((c: any) => c.allowedOrigins), after: (target.corsRules ?? []).map((c: any) => c.allowedOrigins) };
      changes.push(change);
      requires.push({ action: 'Microsoft.Storage/storageAccounts/blobServices/write', scope: i.r.id.replace(/\/blobServices\/[^/]+$/i, ''), why: `restoring the CORS rules of ${i.r.id.split('/').slice(-3)[0]}` });
      writes.push({ operation: 'restore-recorded', method: 'PUT', resourceId: i.r.id, body: { properties: { cors: target } }, doing: `restoring the CORS rules of ${i.r.id}`, changes: [change] });
    }
    phases.push(step('storage', 'Restore the storage firewall and CORS rules', changes, requires, writes));
  }

  // 7. The account's network settings; the custom subdomain stays (Azure never removes one).
  const accounts = ofType(T.account).filter((x) => x.r.before.exists && x.now.exists);
  {
    const changes: Change[] = [];
    const requires: Requirement[] = [];
    const writes: Write[] = [];
    for (const i of accounts) {
      const b = props(i.r.before);
      const n = props(i.now);
      if (!b.customSubDomainName && n.customSubDomainName) {
        permanent.push({ resourceId: i.r.id, property: 'properties.customSubDomainName', value: n.customSubDomainName, why: 'Azure never lets a custom subdomain be changed or removed' });
        changes.push(noOp(i.r.id, 'properties.customSubDomainName', `${n.customSubDomainName} (permanent: Azure never removes a custom subdomain)`));
      }
      const target = { networkAcls: b.networkAcls ?? null, publicNetworkAccess: b.publicNetworkAccess ?? 'Enabled' };
      const diffs = differences({ networkAcls: n.networkAcls ?? null, publicNetworkAccess: n.publicNetworkAccess ?? 'Enabled' }, target);
      if (!diffs.length) continue;
      if (!mayTouch(i, 'restore its network settings')) continue;
      const wide = widens(n, target);
      const restored: Change[] = diffs.map((df, k) => ({
        action: 'update', resourceId: i.r.id, property: `properties${df.path.replace(/\//g, '.')}`, before: df.recorded, after: df.now,
        ...(wide && k === 0 ? { confirm: { kind: 'widen' as const, message: `Restore the network access of '${nameOf(i.r.id)}' to what it was before run ${doc.id} (${b.networkAcls ? `${b.networkAcls.defaultAction ?? 'Allow'} by default` : 'all networks'})? Clients outside the VNet will reach the Document Intelligence endpoint again; nothing beyond the recorded settings is opened.` } } : {}),
      }));
      changes.push(...restored);
      requires.push({ action: 'Microsoft.CognitiveServices/accounts/write', scope: i.r.id, why: `restoring the network settings of ${nameOf(i.r.id)}` });
      writes.push({ operation: 'restore-recorded', method: 'PATCH', resourceId: i.r.id, body: { properties: target }, doing: `restoring the network settings of ${i.r.id}`, changes: restored });
    }
    phases.push(step('account-network', "Restore the account's network settings", changes, requires, writes));
  }

  // 8. The subnet's endpoint policies as before; a subnet or VNet the run created goes when nothing else is in it.
  {
    const changes: Change[] = [];
    const requires: Requirement[] = [];
    const writes: Write[] = [];
    // an endpoint the undo deletes, or its NIC (Azure names it `<endpoint>.nic.<guid>`)
    const isOurs = (ref: any) => {
      const id = String(ref?.id ?? '').toLowerCase();
      return [...deletedEndpoints].some((pe) => id.startsWith(pe) || id.includes(`/networkinterfaces/${nameOf(pe)}.nic.`));
    };
    const nicsOf = (s: Record<string, any> | undefined) => [...(s?.properties?.privateEndpoints ?? []), ...(s?.properties?.ipConfigurations ?? [])];
    const createdVnets = ofType(T.vnet).filter((x) => !x.r.before.exists && x.now.exists);
    const removedWithVnet = (subnetId: string) => createdVnets.some((v) => subnetId.toLowerCase().startsWith(`${v.r.id.toLowerCase()}/subnets/`));
    for (const i of ofType(T.subnet).filter((x) => x.now.exists)) {
      if (!i.r.before.exists) {
        if (removedWithVnet(i.r.id)) continue;
        const busy = nicsOf(i.now.body).filter((x) => !isOurs(x));
        if (busy.length) {
          notes.push(`${i.r.id} is kept: ${busy.length} other resource(s) use it.`);
          continue;
        }
        if (!mayTouch(i, 'delete it')) continue;
        const change: Change = { action: 'delete', resourceId: i.r.id, property: 'subnet', before: 'created by the run', after: null };
        changes.push(change);
        requires.push({ action: 'Microsoft.Network/virtualNetworks/subnets/delete', scope: i.r.id, why: `deleting subnet ${nameOf(i.r.id)} (created by run ${doc.id})` });
        writes.push({ operation: 'delete', resourceId: i.r.id, changes: [change] });
        continue;
      }
      const target = props(i.r.before).privateEndpointNetworkPolicies ?? 'Disabled';
      const current = props(i.now).privateEndpointNetworkPolicies ?? 'Disabled';
      if (target === current) {
        changes.push(noOp(i.r.id, 'privateEndpointNetworkPolicies', current));
        continue;
      }
      if (!mayTouch(i, 'restore it')) continue;
      const change: Change = {
        action: 'update', resourceId: i.r.id, property: 'privateEndpointNetworkPolicies', before: current, after: target,
        confirm: { kind: 'shared', message: `Set the private endpoint network policies of subnet '${nameOf(i.r.id)}' back to ${target}, as before run ${doc.id}? Network security groups and routes will stop applying to every private endpoint in it, not only these.` },
      };
      changes.push(change);
      requires.push({ action: 'Microsoft.Network/virtualNetworks/subnets/write', scope: i.r.id, why: `restoring the endpoint policies of subnet ${nameOf(i.r.id)}` });
      writes.push({ operation: 'restore-subnet-policy', resourceId: i.r.id, body: { privateEndpointNetworkPolicies: target }, changes: [change] });
    }
    for (const v of createdVnets) {
      const subnets = v.now.body?.properties?.subnets ?? [];
      const created = new Set(ofType(T.subnet).filter((s) => !s.r.before.exists).map((s) => s.r.id.toLowerCase()));
      const foreign = subnets.filter((s: any) => !created.has(String(s.id).toLowerCase()) || nicsOf(s).some((x) => !isOurs(x)));
      if (foreign.length) {
        notes.push(`${v.r.id} is kept: it holds subnets or resources the run did not make.`);
        continue;
      }
      if (!mayTouch(v, 'delete it')) continue;
      const change: Change = { action: 'delete', resourceId: v.r.id, property: 'virtualNetwork', before: 'created by the run', after: null };
      changes.push(change);
      requires.push({ action: 'Microsoft.Network/virtualNetworks/delete', scope: v.r.id, why: `deleting virtual network ${nameOf(v.r.id)} (created by run ${doc.id})` });
      writes.push({ operation: 'delete', resourceId: v.r.id, changes: [change] });
    }
    phases.push(step('subnet', "Restore the subnet's endpoint policies", changes, requires, writes));
  }

  // 9. The system-assigned identity, only if this run turned it on.
  {
    const changes: Change[] = [];
    const requires: Requirement[] = [];
    const writes: Write[] = [];
    for (const i of accounts) {
      if (hasSystem(i.r.before) || !hasSystem(i.now)) {
        if (!hasSystem(i.r.before) && i.r.after && hasSystem(i.r.after)) changes.push(noOp(i.r.id, 'identity.type', i.now.body?.identity?.type ?? 'None'));
        continue;
      }
      if (!mayTouch(i, 'turn it off')) continue;
      const target = identityBody(i.r.before);
      const change: Change = {
        action: 'update', resourceId: i.r.id, property: 'identity.type', before: i.now.body?.identity?.type, after: target.type,
        confirm: { kind: 'shared', message: `Turn off the system-assigned managed identity of '${nameOf(i.r.id)}' (run ${doc.id} turned it on)? Azure deletes its service principal, and every role assignment it holds goes with it — including any granted since the run.` },
      };
      changes.push(change);
      requires.push({ action: 'Microsoft.CognitiveServices/accounts/write', scope: i.r.id, why: `turning off the managed identity of ${nameOf(i.r.id)}` });
      // the account-network restore before it may still be applying
      writes.push({ operation: 'restore-recorded', method: 'PATCH', resourceId: i.r.id, body: { identity: target }, doing: `turning off the managed identity of ${i.r.id}`, waitForAccount: i.r.id, changes: [change] });
    }
    phases.push(step('identity', 'Turn off the managed identity the run turned on', changes, requires, writes));
  }

  for (const i of items) {
    const type = i.r.type.toLowerCase();
    if (type.endsWith('/privateendpointconnections') && i.r.before.exists) {
      notes.push(`${i.r.id}: the run approved this connection; undo does not reject it (reject or delete it on its target if it should not be approved).`);
    }
    if (i.afterUnknown) notes.push(`${i.r.id}: run ${doc.id} ended before it saw this resource's last write answered, so changes made since cannot be told apart from the run's.`);
  }
  // A policy run writes nothing of the guide's other steps: its undo shows only its own.
  // Make before break, in reverse: the firewalls are open again as recorded before the private path
  // (zone groups, endpoints, links, zones) goes, so a write failing in between never leaves an account
  // reachable neither publicly nor privately.
  const reopen = phases.filter((p) => p.id === 'undo-storage' || p.id === 'undo-account-network');
  const firstPrivate = phases.findIndex((p) => p.id === 'undo-zone-groups');
  if (firstPrivate >= 0) {
    const rest = phases.filter((p) => !reopen.includes(p));
    rest.splice(rest.findIndex((p) => p.id === 'undo-zone-groups'), 0, ...reopen);
    phases.splice(0, phases.length, ...rest);
  }
  const shown = doc.command === 'policy' ? phases.filter((p) => policy.stepIds.has(p.id) || p.id === 'undo-role-assignment' || p.changes.length).map(withoutManagementGroupChecks) : phases;
  return { phases: shown.map((p) => [p]), refused, permanent, notes: [...new Set(notes)] };
}

