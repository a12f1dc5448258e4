/**
 * `--subscription` takes an id or a name, as `az account set --subscription` does: a name matches a
 * subscription's display name regardless of case, and must match exactly one (azure-cli
 * `Profile.get_subscription`: "Multiple subscriptions with the name … found. Specify the
 * subscription ID."). An id is used as given, with no lookup.
 */
import { UsageError } from '../core/errors.js';
import { GUID } from '../core/resource-id.js';
import type { ArmSession } from './session.js';

export interface SubscriptionEntry {
  subscriptionId: string;
  displayName: string;
}

const MAX_LISTED = 10;

function listed(subs: SubscriptionEntry[]): string {
  const lines = subs.slice(0, MAX_LISTED).map((s) => `  - ${s.displayName} (${s.subscriptionId})`);
  if (subs.length > MAX_LISTED) lines.push(`  … and ${subs.length - MAX_LISTED} more`);
  return lines.join('\n');
}

/** The one subscription named `name` among `subs`, or a usage error naming the candidates. */
export function pickSubscription(name: string, subs: SubscriptionEntry[]): string {
  const matches = subs.filter((s) => s.displayName.toLowerCase() === name.toLowerCase());
  if (matches.length === 1) return matches[0].subscriptionId;
  if (matches.length > 1) {
    throw new UsageError(`--subscription '${name}' names ${matches.length} subscriptions:\n${listed(matches)}`, 'Pass the subscription id instead of its name.');
  }
  if (!subs.length) throw new UsageError(`--subscription '${name}': the signed-in identity can see no subscription.`, 'Sign in to the right tenant, or pass the subscription id.');
  throw new UsageError(`--subscription '${name}' is neither a subscription id (a GUID) nor the name of a subscription the signed-in identity can see:\n${listed(subs)}`, 'Check the spelling, or pass the subscription id.');
}

/** `value` as a subscription id: an id as it is, a name looked up in the subscriptions list. */
export async function subscriptionIdOf(value: string | undefined, session: Pick<ArmSession, 'subscriptions'>): Promise<string | undefined> {
  if (value === undefined || GUID.test(value)) return value;
  const client = await session.subscriptions();
  const subs: SubscriptionEntry[] = [];
  for await (const s of client.subscriptions.list()) {
    if (s.subscriptionId) subs.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? '' });
  }
  return pickSubscription(value, subs);
}
