/**
 * Sends a plan's writes — the guide's steps', policy's and undo's alike: each `Write` is one ARM request,
 * made as its operation says and through the subscription of the resource it names, then read back or
 * followed where Azure answers before it is done (an account's Accepted state, a remediation task).
 * Nothing here decides what to write: that is the plan's data.
 */
import type { Account } from '@azure/arm-cognitiveservices';
import type { StorageAccountUpdateParameters } from '@azure/arm-storage';
import type { PrivateEndpoint, Subnet, VirtualNetwork } from '@azure/arm-network';
import type { VirtualNetworkLink } from '@azure/arm-privatedns';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import { waitForAccountReady } from './account-ready.js';
import { createAssignment, createNamedAssignment, currentPrincipal } from './grant.js';
import type { StepOutcome, StepPlan, Write } from '../plan/types.js';
import { AzureOperationError, UsageError } from '../core/errors.js';
import { nameOf, parentOf, rgOf, sameId, scopeOf, subscriptionOf } from '../core/resource-id.js';
import { ownConnectionStatus } from '../posture/endpoints.js';
import { retryTransientOperation } from '../azure/transient-retry.js';
import { pendingNote } from './private-endpoint-approval.js';
import { deleteResource, readResource } from '../azure/arm-resource.js';
import { patchRecorded, putRecorded, writableSubnet } from '../undo/send-recorded.js';
import { deleteRemediation, startRemediation } from './policy-remediation-run.js';

/**
 * Sends the step's writes as they are ordered: each once the writes it waits for (`after`; by default the
 * one before it) have succeeded; a write whose dependency failed is never sent. A write guarded by
 * `onlyIfApproved` goes only if that connection is Approved by then. The first failure is thrown once
 * every write in flight has settled.
 */
export async function applyWrites(ctx: StepContext, plan: StepPlan): Promise<StepOutcome> {
  const writes = plan.writes ?? [];
  // What was shown is what is sent: every change of the plan belongs to one write, and no write makes a change not shown.
  const written = writes.flatMap((w) => w.changes);
  const orphan = plan.changes.find((c) => c.action !== 'no-op' && !written.includes(c)) ?? written.find((c) => !plan.changes.includes(c));
  if (orphan) throw new Error(`${plan.id}: the change of ${orphan.property} on ${orphan.resourceId} is not both shown and written`);
  const watched = plan.connections ?? [];
  const status = new Map(watched.map((c) => [c.privateEndpointId.toLowerCase(), c.status]));
  const byKey = new Map<string, Promise<void>>();
  const runs: Promise<void>[] = [];
  const held: string[] = [];
  /** how each remediation task ended, in the order they were sent */
  const ran: string[] = [];
  writes.forEach((w, i) => {
    const deps = w.after
      ? w.after.map((k) => {
          const dep = byKey.get(k);
          if (!dep) throw new Error(`write ${w.operation} ${w.resourceId} waits for '${k}', which no earlier write of ${plan.id} is`);
          return dep;
        })
      : runs.slice(i - 1, i);
    const run = (async () => {
      await Promise.all(deps);
      if (w.onlyIfApproved) {
        const s = status.get(w.onlyIfApproved.toLowerCase());
        if (s !== 'Approved') {
          const c = watched.find((x) => sameId(x.privateEndpointId, w.onlyIfApproved));
          held.push(
            `${describeHeld(w)} was NOT written: the connection of ${nameOf(w.onlyIfApproved)} to ${c?.targetName ?? 'its target'} is ${s ?? 'not made'}, not Approved. ` +
              `${nameOf(w.resourceId)} stays reachable as before; run the same command again once the connection is approved.`,
          );
          return;
        }
      }
      const result = await sendWrite(ctx, w);
      if (w.operation === 'start-remediation') ran.push(result as string);
      if (w.operation === 'put-private-endpoint') status.set(w.resourceId.toLowerCase(), ownConnectionStatus(result as PrivateEndpoint, w.targetId));
      if (w.operation === 'approve-connection') status.set(w.privateEndpointId.toLowerCase(), 'Approved');
    })();
    runs.push(run);
    if (w.key) byKey.set(w.key, run);
  });
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const notes: string[] = [];
  for (const c of watched) if (status.get(c.privateEndpointId.toLowerCase()) === 'Pending') notes.push(await pendingNote(ctx, c, c.privateEndpointId));
  return { notes: [...ran, ...notes, ...held] };
}

function describeHeld(w: Write): string {
  return w.operation === 'patch-account' ? "The account's network restriction" : `The write to ${w.resourceId}`;
}

const isAccount = (id: string) => /\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i.test(id);

const managementGroupOf = (id: string) => /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\//i.exec(id)?.[1];

function retryDelay(ctx: StepContext): number {
  return Number(ctx.env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 800;
}

export async function sendWrite(ctx: StepContext, w: Write): Promise<unknown> {
  const id = w.resourceId;
  switch (w.operation) {
    case 'patch-account': {
      const cog = await ctx.session.cognitive(subscriptionOf(id));
      const updated = await arm(`updating ${id}`, () => cog.accounts.beginUpdateAndWait(rgOf(id), nameOf(id), w.body as Account));
      return waitForAccountReady(ctx, id, updated);
    }
    case 'patch-storage-network': {
      const st = await ctx.session.storage(subscriptionOf(id));
      // @azure/arm-storage 20.0.0 decides whether to send `properties` by looking for a key spelled
      // `NetworkRuleSet`; without it a networkRuleSet-only update goes out empty and changes nothing.
      // The marker key is read by that check only and never serialised.
      const parameters = { ...w.body, NetworkRuleSet: true } as unknown as StorageAccountUpdateParameters;
      return arm(`updating ${id}`, () => st.storageAccounts.update(rgOf(id), nameOf(id), parameters));
    }
    case 'put-blob-service': {
      const storageId = parentOf(id);
      const st = await ctx.session.storage(subscriptionOf(storageId));
      return arm(`updating ${id}`, () => st.blobServices.setServiceProperties(rgOf(storageId), nameOf(storageId), w.body as never));
    }
    case 'put-role-assignment': {
      const principalId = w.body.principalId ?? (w.principalOf ? await currentPrincipal(ctx, w.principalOf) : undefined);
      if (!principalId) throw new AzureOperationError('The account has no system-assigned identity to grant access to.', 'PrincipalNotFound', 'Run `secure-docintel identity` first.');
      return createAssignment(ctx, id, principalId, w.body.roleDefinitionId, w.account);
    }
    case 'put-subnet': {
      const net = await ctx.session.network(subscriptionOf(id));
      const vnetId = parentOf(id);
      return arm(`${w.changes.some((c) => c.action === 'create') ? 'creating' : 'updating'} ${id}`, () =>
        net.subnets.beginCreateOrUpdateAndWait(rgOf(id), nameOf(vnetId), nameOf(id), w.body as Subnet),
      );
    }
    case 'put-virtual-network': {
      const net = await ctx.session.network(subscriptionOf(id));
      const made = await arm(`creating virtual network ${id}`, () => net.virtualNetworks.beginCreateOrUpdateAndWait(rgOf(id), nameOf(id), w.body as VirtualNetwork));
      for (const s of (w.body as VirtualNetwork).subnets ?? []) {
        if (!made.subnets?.some((m) => m.name?.toLowerCase() === s.name?.toLowerCase())) throw new UsageError(`Subnet ${id}/subnets/${s.name} is missing after it was created.`, 'Run the same command again.');
      }
      return made;
    }
    case 'put-private-endpoint': {
      // An account that is still applying a change refuses new endpoints (AccountProvisioningStateInvalid).
      if (w.waitForAccount) await waitForAccountReady(ctx, w.waitForAccount);
      const net = await ctx.session.network(subscriptionOf(id));
      const repair = w.changes.some((c) => c.action === 'update');
      return arm(`${repair ? 'repairing' : 'creating'} private endpoint ${id}`, () =>
        retryTransientOperation(() => net.privateEndpoints.beginCreateOrUpdateAndWait(rgOf(id), nameOf(id), w.body as PrivateEndpoint), retryDelay(ctx)),
      );
    }
    case 'approve-connection': {
      const targetId = parentOf(id);
      if (w.service === 'account') {
        const cog = await ctx.session.cognitive(subscriptionOf(targetId));
        return arm(`approving ${id}`, () => cog.privateEndpointConnections.beginCreateOrUpdateAndWait(rgOf(targetId), nameOf(targetId), nameOf(id), { properties: w.body }));
      }
      const st = await ctx.session.storage(subscriptionOf(targetId));
      return arm(`approving ${id}`, () => st.privateEndpointConnections.put(rgOf(targetId), nameOf(targetId), nameOf(id), w.body));
    }
    case 'put-dns-zone': {
      const dns = await ctx.session.privateDns(subscriptionOf(id));
      return arm(`creating private DNS zone ${id}`, () => dns.privateZones.beginCreateOrUpdateAndWait(rgOf(id), nameOf(id), w.body));
    }
    case 'put-dns-link': {
      const zoneId = parentOf(id);
      const dns = await ctx.session.privateDns(subscriptionOf(id));
      return arm(`linking ${zoneId} to ${String((w.body.virtualNetwork as { id?: string } | undefined)?.id)}`, () =>
        dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(rgOf(id), nameOf(zoneId), nameOf(id), w.body as VirtualNetworkLink),
      );
    }
    case 'put-zone-group': {
      const peId = parentOf(id);
      const net = await ctx.session.network(subscriptionOf(id));
      return arm(`${w.changes.some((c) => c.action === 'create') ? 'creating' : 'rewriting'} DNS zone group ${id}`, () =>
        retryTransientOperation(() => net.privateDnsZoneGroups.beginCreateOrUpdateAndWait(rgOf(id), nameOf(peId), nameOf(id), w.body), retryDelay(ctx)),
      );
    }
    case 'delete':
      return arm(`deleting ${id}`, () => deleteResource(ctx.session, id));
    case 'restore-recorded': {
      if (w.waitForAccount) await waitForAccountReady(ctx, w.waitForAccount);
      await arm(w.doing, () => (w.method === 'PUT' ? putRecorded(ctx.session, id, w.body) : patchRecorded(ctx.session, id, w.body)));
      // An account answers a write before it has applied it: the next write waits until it has.
      if (isAccount(id)) await waitForAccountReady(ctx, id);
      return undefined;
    }
    case 'restore-subnet-policy': {
      // A subnet PUT replaces it: send it back as it is now, with only the policy set back.
      const fresh = await arm(`reading ${id}`, () => readResource(ctx.session, id));
      // gone since it was planned: undo never re-creates what was deleted
      if (!fresh.exists || !fresh.body) return undefined;
      const body = writableSubnet(fresh.body);
      body.properties.privateEndpointNetworkPolicies = w.body.privateEndpointNetworkPolicies;
      return arm(`restoring ${id}`, () => putRecorded(ctx.session, id, body));
    }
    case 'put-policy-set-definition': {
      const mg = managementGroupOf(id);
      const client = await ctx.session.policy(mg ? undefined : subscriptionOf(id));
      return arm(`writing the initiative ${id}`, () => (mg ? client.policySetDefinitions.createOrUpdateAtManagementGroup(mg, nameOf(id), w.body as never) : client.policySetDefinitions.createOrUpdate(nameOf(id), w.body as never)));
    }
    case 'put-policy-assignment': {
      const scope = scopeOf(id);
      const client = await ctx.session.policy(subscriptionOf(id) || undefined);
      return arm(`assigning the initiative at ${scope}`, () => client.policyAssignments.create(scope, nameOf(id), w.body as never));
    }
    case 'put-policy-role-assignment': {
      const scope = scopeOf(id);
      let principalId = w.body.principalId;
      if (!principalId) {
        const client = await ctx.session.policy(subscriptionOf(w.principalOf) || undefined);
        principalId = (await arm(`reading ${w.principalOf}`, () => client.policyAssignments.getById(w.principalOf))).identity?.principalId;
      }
      if (!principalId) throw new AzureOperationError(`The assignment ${w.principalOf} has no managed identity to give roles to.`, 'PrincipalNotFound', 'Run the same command again; it assigns the initiative with a system-assigned identity first.');
      const role = nameOf(w.body.roleDefinitionId);
      return createNamedAssignment(ctx, scope, principalId, w.body.roleDefinitionId, nameOf(id), { subscriptionId: w.subscriptionId, doing: `assigning role ${role} to the policy identity ${principalId} on ${scope}` });
    }
    case 'start-remediation':
      return startRemediation(ctx, w);
    case 'delete-remediation':
      return deleteRemediation(ctx, id);
  }
}
