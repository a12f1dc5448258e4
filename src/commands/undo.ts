/**
 * `undo [--run ID | --last]`: restores what one recorded run changed, through the same change runner
 * as every change command (plan, preflight, confirmations, --dry-run, exit codes), and is itself journaled.
 */
import type { Runtime, StepContext } from '../steps/context.js';
import { runChangeCommand, type ChangeOutput } from './apply.js';
import { CallerAccess } from '../azure/caller-access.js';
import { findRun } from '../journal/location.js';
import { openJournal, plannedResources } from '../journal/run-journal.js';
import { planUndo, type UndoPlan } from '../undo/plan.js';
import { EXIT, InterruptedError, UsageError, type AzureOperationError } from '../core/errors.js';
import { rgOf, subscriptionOf } from '../core/resource-id.js';
import type { JournalDocument } from '../journal/journal.js';

export interface UndoOutput extends ChangeOutput {
  journal?: { id: string; path: string };
  undo: { run: string; refused: UndoPlan['refused']; permanent: UndoPlan['permanent']; notes: string[] };
}

const origin = (url: string) => url.replace(/\/+$/, '').toLowerCase();

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function runUndo(rt: Runtime, opts: { run?: string; last?: boolean }): Promise<{ output: UndoOutput; exitCode: number; failure?: AzureOperationError }> {
  const { doc } = findRun(rt.env, opts);
  if (origin(doc.armEndpoint) !== origin(rt.session.endpoint)) {
    throw new UsageError(
      `Run ${doc.id} changed resources through ${doc.armEndpoint}, not ${rt.session.endpoint}. Nothing was written.`,
      `Pass --arm-endpoint ${doc.armEndpoint} (or the --cloud that serves it).`,
    );
  }
  if (doc.status === 'running') rt.host.warn(`Run ${doc.id} did not finish (it was stopped or is still running); its journal records what it had done.`);
  const plan = await planUndo(rt.session, doc, { force: rt.settings.force });
  report(rt, doc, plan);

  const anyId = doc.targets[0] ?? doc.resources[0]?.id ?? '';
  const ctx: StepContext = {
    settings: rt.settings,
    session: rt.session,
    host: rt.host,
    targets: { subscriptionId: subscriptionOf(anyId), resourceGroup: rgOf(anyId), location: '' },
    env: rt.env,
    access: new CallerAccess(rt.session),
  };
  const journal = openJournal(rt, 'undo', doc.targets, doc.id);
  journal?.expect(plannedResources(plan.phases));
  let result: Awaited<ReturnType<typeof runChangeCommand>>;
  try {
    result = await runChangeCommand(rt, ctx, 'undo', plan.phases);
  } catch (e) {
    await journal?.finish(e instanceof InterruptedError ? 'interrupted' : 'failed');
    throw e;
  }
  await journal?.finish(result.exitCode === EXIT.ok ? 'succeeded' : 'failed');
  const recorded = journal?.recorded;
  if (recorded && journal!.doc.writes.length) rt.host.info(`Recorded as run ${recorded.id} (${recorded.path}).`);
  const output: UndoOutput = { ...result.output, ...(recorded ? { journal: recorded } : {}), undo: { run: doc.id, refused: plan.refused, permanent: plan.permanent, notes: plan.notes } };
  // Something was left as it is: the run is not undone, and a pipeline must see it.
  const exitCode = result.exitCode === EXIT.ok && plan.refused.length && !rt.settings.dryRun ? EXIT.failed : result.exitCode;
  return { output, exitCode, failure: result.failure };
}

function report(rt: Runtime, doc: JournalDocument, plan: UndoPlan): void {
  const { host } = rt;
  host.info(`Undo of run ${doc.id} (${doc.command}, ${doc.startedAt}, ${doc.writes.length} write(s)):`);
  if (!doc.writes.length) host.info(`Run ${doc.id} changed nothing: there is nothing to undo.`);
  for (const p of plan.permanent) host.warn(`${p.property} of ${p.resourceId} stays '${show(p.value)}': ${p.why} (permanent).`);
  for (const r of plan.refused) {
    host.warn(
      `Not touched: ${r.resourceId} ${r.reason}. What differs from the journal's "after":\n` +
        r.differences.map((d) => `    ${d.path}: ${show(d.recorded)} (after the run) → ${show(d.now)} (now)`).join('\n'),
    );
  }
  for (const n of plan.notes) host.info(`Note: ${n}`);
}
