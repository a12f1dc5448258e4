/**
 * `setup --inventory FILE`: every listed account through setup's own steps (the same plans, the same
 * runner, the same preflight and validation), a bounded number at once per subscription and in all,
 * each with its own ARM session (its own counts and reads) sharing one sign-in and one pacer that
 * keeps every subscription inside ARM's throttling limits. In order: read and plan every account, run
 * every account's preflight, show what will change and what is refused, confirm once, then write.
 * One account failing never stops another; the summary at the end says what each got.
 */
import type { Runtime } from '../steps/context.js';
import type { StepContext } from '../steps/context.js';
import type { Settings } from '../core/settings.js';
import type { StepPlan, StepResult } from '../plan/types.js';
import { hasWrites } from '../plan/types.js';
import { DeclinedError, EXIT, InterruptedError, UsageError } from '../core/errors.js';
import { describeError, errorBody } from '../cli/report-error.js';
import { stepContext } from '../commands/bootstrap.js';
import { applyPhases, confirmationsOf, inGuideOrder, interrupt, plannedResults } from '../commands/apply.js';
import { phasesFor } from '../commands/phases.js';
import { preflight } from '../commands/preflight.js';
import { needsOf } from '../posture/commands.js';
import { RAW } from '../io/terminal.js';
import { AccountHost } from './account-host.js';
import { Slots } from '../core/slots.js';
import type { InventoryAccount } from './read-inventory.js';
import { renderInventoryPlan, renderInventorySummary } from './render-inventory.js';
import type { ValidateResult } from '../validate/types.js';
import { openJournal, plannedResources, targetIds } from '../journal/run-journal.js';

/** Accounts set up at once in one subscription, unless --concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 4;
/** Accounts set up at once in all subscriptions together. */
export const OVERALL_CONCURRENCY = 16;

export type AccountStatus = 'planned' | 'unchanged' | 'converged' | 'failed';

export interface AccountRun {
  account: InventoryAccount;
  host: AccountHost;
  rt: Runtime;
  ctx?: StepContext;
  phases?: StepPlan[][];
  all?: StepPlan[];
  results?: Map<string, StepResult>;
  status: AccountStatus;
  /** where it failed: reading and planning, the permissions preflight, a step, or the validation */
  failedAt?: 'plan' | 'preflight' | 'apply' | 'validate';
  error?: { code: string; message: string; fix?: string };
  validation?: { ok: boolean; failed: string[] };
  /** where its run is recorded (each account's run has a journal of its own, for `undo --run`) */
  journal?: { id: string; path: string };
}

export interface InventoryOptions {
  file: string;
  /** accounts at once per subscription */
  concurrency: number;
}

function accountSettings(base: Settings, a: InventoryAccount): Settings {
  const given = new Set(base.given);
  for (const k of ['subscription', 'resourceGroup', 'docintel', 'storage', 'vnet', 'subnet'] as const) given.add(k);
  return { ...base, subscription: a.subscriptionId, resourceGroup: a.resourceGroup, docintel: a.id, storage: a.storage, vnet: a.vnet, subnet: a.subnet, interactive: false, given };
}

function fail(run: AccountRun, at: AccountRun['failedAt'], e: unknown): void {
  run.status = 'failed';
  run.failedAt = at;
  const r = describeError(e);
  run.error = errorBody(r) as AccountRun['error'];
}

export async function runInventory(rt: Runtime, accounts: InventoryAccount[], opts: InventoryOptions): Promise<number> {
  const { host, settings } = rt;
  const overall = new Slots(OVERALL_CONCURRENCY);
  const perSubscription = new Map<string, Slots>();
  const bounded = <T>(a: InventoryAccount, task: () => Promise<T>) => {
    const key = a.subscriptionId.toLowerCase();
    let slots = perSubscription.get(key);
    if (!slots) perSubscription.set(key, (slots = new Slots(opts.concurrency)));
    return slots.run(() => overall.run(task));
  };
  const runs: AccountRun[] = accounts.map((account) => {
    const accountHost = new AccountHost(host, account.name, settings.verbose);
    const s = accountSettings(settings, account);
    return { account, host: accountHost, status: 'planned', rt: { ...rt, settings: s, host: accountHost, session: rt.session.sibling(), close: async () => {} } };
  });
  const subscriptions = new Set(accounts.map((a) => a.subscriptionId.toLowerCase())).size;
  host.info(`Reading ${accounts.length} account(s) in ${subscriptions} subscription(s), ${opts.concurrency} at once per subscription (at most ${OVERALL_CONCURRENCY} in all)…`);

  // 1. Read and plan every account (reads only).
  await Promise.all(
    runs.map((run) =>
      bounded(run.account, async () => {
        try {
          run.ctx = await stepContext(run.rt, needsOf('setup', run.rt.settings.accessRule));
          run.phases = await phasesFor('setup', run.ctx);
          run.all = inGuideOrder(run.phases);
          run.results = plannedResults(run.all);
          run.status = run.all.some(hasWrites) ? 'planned' : 'unchanged';
        } catch (e) {
          fail(run, 'plan', e);
        }
      }),
    ),
  );

  // 2. Before anything is confirmed or written: every account's preflight (the places its flags name,
  // every permission its writes need, all missing ones at once); an account refused here is not asked
  // about and never written. A dry run writes nothing and, like setup's, skips it.
  if (!settings.dryRun) {
    await Promise.all(
      runs.filter((r) => r.status === 'planned').map((run) =>
        bounded(run.account, async () => {
          try {
            await preflight(run.ctx!, run.all!);
          } catch (e) {
            fail(run, 'preflight', e);
          }
        }),
      ),
    );
  }

  // 3. What will change and what is refused, then one confirmation
  const pending = runs.filter((r) => r.status === 'planned');
  if (settings.output === 'text' || settings.dryRun || (settings.interactive && !settings.yes)) host.info(renderInventoryPlan(runs, settings.verbose, host.textStyle?.('err') ?? RAW));
  if (settings.dryRun) return finish(rt, runs, opts, settings.detailedExitcode && pending.length ? EXIT.changesPending : EXIT.ok);

  // One confirmation for the whole inventory (or --yes), before any account is changed.
  const confirmations = pending.flatMap((r) => confirmationsOf(r.all!).map((c) => ({ run: r, change: c })));
  if (!settings.interactive && !settings.yes && confirmations.length) {
    const shown = confirmations.slice(0, 10).map(({ run, change }) => `  - ${run.account.name}: [${change.confirm!.kind}] ${change.confirm!.message}`);
    throw new UsageError(
      `This inventory needs confirmation for ${confirmations.length} change(s) on ${new Set(confirmations.map((c) => c.run)).size} account(s) and --non-interactive cannot ask:\n${shown.join('\n')}${confirmations.length > 10 ? `\n  … and ${confirmations.length - 10} more` : ''}`,
      'Review the plan (add --dry-run to see it without changing anything) and pass --yes to accept. Nothing was written.',
    );
  }
  if (settings.interactive && !settings.yes && pending.length) {
    const n = pending.flatMap((r) => r.all!.flatMap((p) => p.changes)).filter((c) => c.action !== 'no-op').length;
    const kinds = [...new Set(confirmations.map((c) => c.change.confirm!.kind))];
    const ok = await host.confirm({
      id: 'apply',
      message: `Apply these ${n} change(s) to ${pending.length} account(s)${confirmations.length ? `, ${confirmations.length} of them ${kinds.join('/')} (listed above)` : ''}?`,
      default: !confirmations.length,
    });
    if (!ok) throw new DeclinedError('Declined. Nothing was written.');
  }

  // 4. Apply and validate each account; a failure stays that account's.
  let done = 0;
  await Promise.all(
    runs.map((run) =>
      bounded(run.account, async () => {
        if (run.status === 'failed') return;
        if (interrupt.requested) return fail(run, 'apply', new InterruptedError());
        const ctx = run.ctx!;
        if (run.status === 'planned') {
          // Recorded like a single setup: before its first write, in a journal of its own.
          let journal: ReturnType<typeof openJournal>;
          try {
            journal = openJournal(run.rt, 'setup', targetIds(ctx.targets));
            journal?.expect(plannedResources(run.phases!));
          } catch (e) {
            return fail(run, 'apply', e);
          }
          let failure: unknown;
          try {
            failure = await applyPhases(run.host, ctx, run.phases!, run.all!, run.results!);
          } catch (e) {
            failure = e;
          }
          // Nothing more is written: the journal's read-back and the validation share their reads.
          run.rt.session.readOnceFromNow();
          await journal?.finish(failure ? 'failed' : 'succeeded');
          run.journal = journal?.doc.writes.length ? journal.recorded : undefined;
          if (failure) return fail(run, 'apply', failure);
          run.status = 'converged';
        }
        try {
          const { runValidate } = await import('../validate/index.js');
          let doc: ValidateResult | undefined;
          await runValidate(run.rt, ctx, { output: 'text', quietResult: true, onDocument: (d: ValidateResult) => (doc = d) });
          const failed = (doc?.checks ?? []).filter((c) => c.status === 'fail').map((c) => c.id);
          run.validation = { ok: !!doc?.ok, failed };
          if (!doc?.ok) {
            run.status = 'failed';
            run.failedAt = 'validate';
            run.error = { code: 'ValidationFailed', message: `validate found ${failed.length} problem(s): ${failed.join(', ')}`, fix: `Run \`secure-docintel validate --docintel ${run.account.id} --storage ${run.account.storage}\` to see each check and its fix.` };
          }
        } catch (e) {
          fail(run, 'validate', e);
        } finally {
          done++;
          const writes = run.rt.session.counts.writes;
          host.info(`[${done}/${runs.length}] ${run.status === 'failed' ? '✗' : '✓'} ${run.account.name}: ${run.status}${run.error ? ` (${run.error.code})` : ''}, ${writes} write(s)`);
        }
      }),
    ),
  );
  const interrupted = runs.some((r) => r.error?.code === 'Interrupted');
  return finish(rt, runs, opts, interrupted ? EXIT.interrupted : runs.some((r) => r.status === 'failed') ? EXIT.failed : EXIT.ok);
}

function finish(rt: Runtime, runs: AccountRun[], opts: InventoryOptions, code: number): number {
  const { host, settings } = rt;
  const failedPlanning = runs.some((r) => r.status === 'failed');
  const exitCode = failedPlanning && code !== EXIT.interrupted ? EXIT.failed : code;
  const doc = inventoryDocument(rt, runs, opts);
  if (settings.output === 'json') host.result(JSON.stringify(doc, null, 2));
  else host.result(renderInventorySummary(doc, host.textStyle?.('out') ?? RAW));
  return exitCode;
}

export interface InventoryDocument {
  command: 'setup';
  dryRun: boolean;
  inventory: string;
  accounts: {
    id: string;
    name: string;
    subscriptionId: string;
    resourceGroup: string;
    status: AccountStatus;
    steps: StepResult[];
    armRequests: { reads: number; writes: number };
    failedAt?: string;
    error?: { code: string; message: string; fix?: string };
    validation?: { ok: boolean; failed: string[] };
    journal?: { id: string; path: string };
  }[];
  summary: { accounts: number; subscriptions: number; converged: number; unchanged: number; planned: number; failed: number; writes: number; throttled: number };
  armRequests: { reads: number; writes: number };
}

function inventoryDocument(rt: Runtime, runs: AccountRun[], opts: InventoryOptions): InventoryDocument {
  const accounts = runs.map((r) => ({
    id: r.account.id,
    name: r.account.name,
    subscriptionId: r.account.subscriptionId,
    resourceGroup: r.account.resourceGroup,
    status: r.status,
    steps: r.all ? r.all.map((p) => r.results!.get(p.id)!) : [],
    armRequests: { ...r.rt.session.counts },
    ...(r.failedAt ? { failedAt: r.failedAt } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.validation ? { validation: r.validation } : {}),
    ...(r.journal ? { journal: r.journal } : {}),
  }));
  const count = (s: AccountStatus) => runs.filter((r) => r.status === s).length;
  const reads = rt.session.counts.reads + accounts.reduce((n, a) => n + a.armRequests.reads, 0);
  const writes = rt.session.counts.writes + accounts.reduce((n, a) => n + a.armRequests.writes, 0);
  return {
    command: 'setup',
    dryRun: rt.settings.dryRun,
    inventory: opts.file,
    accounts,
    summary: {
      accounts: runs.length,
      subscriptions: new Set(runs.map((r) => r.account.subscriptionId.toLowerCase())).size,
      converged: count('converged'),
      unchanged: count('unchanged'),
      planned: count('planned'),
      failed: count('failed'),
      writes,
      throttled: rt.session.pacer.stats.throttled,
    },
    armRequests: { reads, writes },
  };
}
