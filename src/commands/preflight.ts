/**
 * Before the first write of a change command: every resource group and subscription a flag named
 * exists (else bad input, exit 2), and the caller holds every permission the plan's writes need
 * (else exit 1 naming each missing permission with the role that grants it). Nothing is written
 * when either fails.
 */
import type { StepContext } from '../steps/context.js';
import type { NamedPlace, StepPlan } from '../plan/types.js';
import { hasWrites } from '../plan/types.js';
import { AzureOperationError, UsageError } from '../core/errors.js';
import { nameOf, rgOf, subscriptionOf } from '../core/resource-id.js';
import { isNotFound, orUndefined } from '../posture/not-found.js';
import { missingPermissions, type Requirement } from '../posture/permissions.js';
import type { Permission } from '@azure/arm-authorization';

export async function preflight(ctx: StepContext, plans: StepPlan[]): Promise<void> {
  const writing = plans.filter(hasWrites);
  await checkPlaces(ctx, writing.flatMap((p) => p.places ?? []));
  const requirements: Requirement[] = writing.flatMap((p) => p.requires ?? []);
  const scopes = [...new Map(requirements.map((r) => [r.scope.toLowerCase(), r.scope])).values()];
  // A resource this run creates (a VNet and its subnet) has no permissions of its own yet: what the
  // caller may do there is what it holds at the resource group the resource will be made in.
  const created = writing.flatMap((p) => p.changes).filter((c) => c.action === 'create').map((c) => c.resourceId.toLowerCase());
  const madeHere = (scope: string) => created.some((id) => scope.toLowerCase() === id || scope.toLowerCase().startsWith(`${id}/`));
  const read = new Map<string, Permission[]>();
  const absent: string[] = [];
  await Promise.all(
    scopes.map(async (scope) => {
      try {
        read.set(scope.toLowerCase(), await ctx.access.permissionsAt(scope));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        if (madeHere(scope)) read.set(scope.toLowerCase(), await ctx.access.permissionsWhereMade(scope));
        else absent.push(scope);
      }
    }),
  );
  if (absent.length) {
    throw new UsageError(
      `Nothing was written: ${absent.length === 1 ? 'this place does' : 'these places do'} not exist:\n${absent.map((s) => `  - ${s}`).join('\n')}`,
      'Check --subscription, --resource-group, --vnet and the --dns-zone-… flags.',
    );
  }
  const missing = missingPermissions(requirements, (scope) => read.get(scope.toLowerCase()) ?? []);
  if (!missing.length) return;
  throw new AzureOperationError(
    `AuthorizationFailed — the signed-in identity lacks ${missing.length} permission${missing.length > 1 ? 's' : ''} this run needs. Nothing was written.\n` +
      missing.map((m) => `  - ${m.action} on ${m.scope} (${m.why}): granted by ${m.role}`).join('\n'),
    'AuthorizationFailed',
    'Ask for the roles named above at those scopes (or at their resource group or subscription), then run the same command again.',
  );
}

async function checkPlaces(ctx: StepContext, places: NamedPlace[]): Promise<void> {
  const unique = [...new Map(places.map((p) => [p.id.toLowerCase(), p])).values()];
  const missing: NamedPlace[] = [];
  await Promise.all(
    unique.map(async (p) => {
      const sub = subscriptionOf(p.id);
      if (p.kind === 'subscription') {
        const client = await ctx.session.subscriptions();
        if (!(await orUndefined(`reading subscription ${sub}`, () => client.subscriptions.get(sub)))) missing.push(p);
        return;
      }
      const res = await ctx.session.resources(sub);
      const found = await orUndefined(`reading resource group ${p.id}`, () => res.resourceGroups.get(rgOf(p.id))).catch((e) => {
        if ((e as { code?: string }).code === 'SubscriptionNotFound') return undefined;
        throw e;
      });
      if (!found) missing.push(p);
    }),
  );
  if (!missing.length) return;
  throw new UsageError(
    `Nothing was written: ${missing.map((p) => (p.kind === 'subscription' ? `subscription ${subscriptionOf(p.id)} (${p.flag}) does not exist or you cannot see it` : `resource group '${nameOf(p.id)}' (${p.flag}) does not exist in subscription ${subscriptionOf(p.id)}`)).join('; ')}.`,
    `Pass ${[...new Set(missing.map((p) => p.flag))].join(' and ')} naming ${missing.length > 1 ? 'places that exist' : 'one that exists'} (create it first if the zones should live there), or leave ${missing.length > 1 ? 'them' : 'it'} out to use the VNet's resource group.`,
  );
}
