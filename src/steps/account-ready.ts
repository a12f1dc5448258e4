/**
 * A Cognitive Services account answers a PATCH with 200 and `provisioningState: Accepted` and no
 * operation header, so the SDK's poller reports it done while Azure is still applying the change;
 * private endpoints on an account that is not `Succeeded` fail with AccountProvisioningStateInvalid.
 * After each account write (and before joining the account to an endpoint) wait, bounded, for
 * `Succeeded` by reading the account.
 */
import type { Account } from '@azure/arm-cognitiveservices';
import type { StepContext } from './context.js';
import { arm } from './context.js';
import { AzureOperationError } from '../core/errors.js';
import { nameOf, rgOf, subscriptionOf } from '../core/resource-id.js';

const TERMINAL_OK = 'succeeded';
const TERMINAL_BAD = ['failed', 'canceled', 'cancelled', 'deleting'];

export function provisioningWaitMs(env: NodeJS.ProcessEnv): number {
  const s = Number(env.SECURE_DOCINTEL_PROVISIONING_WAIT_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 600_000;
}

/** Reads the account until its provisioningState is Succeeded; returns the account as last read (steps and undo alike). */
export async function waitForAccountReady(ctx: Pick<StepContext, 'session' | 'env' | 'host'>, accountId: string, known?: Account): Promise<Account> {
  const account = { id: accountId, name: nameOf(accountId) };
  const cog = await ctx.session.cognitive(subscriptionOf(account.id));
  const deadline = Date.now() + provisioningWaitMs(ctx.env);
  let delay = Number(ctx.env.SECURE_DOCINTEL_RETRY_DELAY_MS) || 1000;
  let current = known;
  let reread = false;
  /** when the last pause started counting: the write just answered, then each read after a pause */
  let since = Date.now();
  for (;;) {
    const state = String(current?.properties?.provisioningState ?? '').toLowerCase();
    if (current && state === TERMINAL_OK) return current;
    if (current && TERMINAL_BAD.includes(state)) {
      throw new AzureOperationError(
        `Account ${account.id} is in provisioning state '${current.properties?.provisioningState}' after the last change.`,
        'AccountProvisioningStateInvalid',
        'Check the account in the Azure portal (Activity log) and run the same command again; every step is safe to repeat.',
      );
    }
    if (current && Date.now() + delay > deadline) {
      throw new AzureOperationError(
        `Account ${account.id} is still in provisioning state '${current.properties?.provisioningState}' after ${Math.round(provisioningWaitMs(ctx.env) / 1000)} s.`,
        'AccountProvisioningStateInvalid',
        'Azure is still applying an earlier change to the account: wait for it to finish and run the same command again.',
      );
    }
    // The write's own response says Accepted even when Azure finishes at once: read again right away
    // before backing off (as the SDK pollers do), so a quick change costs one read and no sleep.
    // The pause counts from the write (then from the previous read), so the quick read's own time
    // does not delay the one after it.
    if (current && reread) {
      ctx.host.debug(`account ${account.name} is ${current.properties?.provisioningState}; reading again in ${delay} ms`);
      await new Promise((r) => setTimeout(r, Math.max(0, since + delay - Date.now())));
      since = Date.now();
      delay = Math.min(delay * 2, 10_000);
    }
    current = await arm(`reading ${account.id}`, () => cog.accounts.get(rgOf(account.id), account.name));
    reread = true;
  }
}
