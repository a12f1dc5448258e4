/**
 * Runs change commands: plan every step (reads only), show the plan, ask the confirmations it
 * needs, then apply phase by phase — steps within a phase run concurrently — and report.
 */
import type { StepContext } from '../steps/context.js';
import type { Change, StepPlan, StepResult } from '../plan/types.js';
import { hasWrites } from '../plan/types.js';
import { renderPlan, renderSummary } from '../plan/render.js';
import { RAW } from '../io/terminal.js';
import { AzureOperationError, DeclinedError, InterruptedError, UsageError, EXIT } from '../core/errors.js';
import type { Runtime } from './bootstrap.js';
import { preflight } from './preflight.js';
import type { IoHost } from '../io/host.js';
import { applyWrites } from '../steps/send-write.js';

export interface ChangeOutput {
  command: string;
  dryRun: boolean;
  steps: StepResult[];
  armRequests: { reads: number; writes: number };
}

/** Interrupt flag set by Ctrl-C; checked between writes. */
export const interrupt = { requested: false };

function checkInterrupt(): void {
  if (interrupt.requested) throw new InterruptedError();
}

const GUIDE_ORDER = ['identity', 'storage-lockdown', 'grant', 'virtual-network', 'subnet-policies', 'private-endpoint'];

function guidePosition(stepId: string): number {
  const i = GUIDE_ORDER.indexOf(stepId);
  return i < 0 ? GUIDE_ORDER.length : i;
}

/** Every step of the phases, in the guide's order (how they are shown, numbered and reported). */
export function inGuideOrder(phases: StepPlan[][]): StepPlan[] {
  return phases.flat().sort((a, b) => guidePosition(a.id) - guidePosition(b.id));
}

export function plannedResults(all: StepPlan[]): Map<string, StepResult> {
  return new Map<string, StepResult>(all.map((p) => [p.id, { id: p.id, title: p.title, changes: p.changes, status: hasWrites(p) ? 'planned' : 'unchanged' }]));
}

/** The changes that need their own confirmation (permanent, lock-out, shared, approval). */
export function confirmationsOf(all: StepPlan[]): Change[] {
  return all.flatMap((p) => p.changes).filter((c) => c.confirm);
}

/**
 * Applies the phases in order, the steps of a phase side by side, recording each step's outcome in
 * `results`; the first Azure failure stops the phases after it. Interrupts and usage errors propagate.
 */
export async function applyPhases(
  host: IoHost,
  ctx: StepContext,
  phases: StepPlan[][],
  all: StepPlan[],
  results: Map<string, StepResult>,
  totalSteps = all.length,
): Promise<AzureOperationError | undefined> {
  let failure: AzureOperationError | undefined;
  for (const phase of phases) {
    checkInterrupt();
    await Promise.all(
      phase.map(async (plan) => {
        const n = all.indexOf(plan) + 1;
        const r = results.get(plan.id)!;
        // Every step's writes are data: what was shown is what is sent (applyWrites refuses a change without its write).
        if (!hasWrites(plan) && !plan.writes?.length) return;
        try {
          const outcome = await host.task(`Step ${n}/${totalSteps} ${plan.title}…`, () => applyWrites(ctx, plan));
          r.status = 'applied';
          for (const note of outcome.notes) host.warn(note);
        } catch (e) {
          r.status = 'failed';
          const err = e instanceof AzureOperationError ? e : e instanceof InterruptedError || e instanceof UsageError ? e : new AzureOperationError((e as Error).message, undefined, undefined, e);
          if (!(err instanceof AzureOperationError)) throw err;
          r.error = { code: err.code, message: err.message, fix: err.fix };
          failure ??= err;
        }
      }),
    );
    if (failure) break;
  }
  return failure;
}

export async function runChangeCommand(
  rt: Runtime,
  ctx: StepContext,
  command: string,
  phases: StepPlan[][],
  /** steps the whole command has, when more follow these (setup's validation) */
  totalSteps?: number,
  /** a declined confirmation may offer another way on: the phases to plan again with, or undefined to stop */
  onDecline?: (change: Change) => Promise<StepPlan[][] | undefined>,
  /** called once the writes are about to start (what runs after them can load meanwhile) */
  beforeWrites?: () => void,
): Promise<{ output: ChangeOutput; exitCode: number; failure?: AzureOperationError }> {
  const { host, settings } = rt;
  // Shown, numbered and reported in the guide's order, whichever steps run side by side.
  const all = inGuideOrder(phases);
  const results = plannedResults(all);
  const output = (): ChangeOutput => ({
    command,
    dryRun: settings.dryRun,
    steps: all.map((p) => results.get(p.id)!),
    armRequests: { ...rt.session.counts },
  });

  // An interactive run shows the plan it asks about, whatever the output format.
  if (settings.output === 'text' || settings.dryRun || (settings.interactive && !settings.yes)) host.info(renderPlan(all, settings.verbose, totalSteps, host.textStyle?.('err') ?? RAW));
  const writes = all.some(hasWrites);
  if (settings.dryRun || !writes) {
    if (settings.output === 'text') host.result(renderSummary(output().steps, rt.session.counts, host.textStyle?.('out') ?? RAW));
    return { output: output(), exitCode: settings.dryRun && settings.detailedExitcode && writes ? EXIT.changesPending : EXIT.ok };
  }

  // Every missing permission and every named place that does not exist, before anything is written.
  await preflight(ctx, all);

  // Permanent, lock-out and approval changes each get their own confirmation.
  const confirmations = confirmationsOf(all);
  if (!settings.interactive && !settings.yes && confirmations.length) {
    throw new UsageError(
      `This run needs confirmation for ${confirmations.length} change(s) and --non-interactive cannot ask:\n` +
        confirmations.map((c) => `  - [${c.confirm!.kind}] ${c.confirm!.message}`).join('\n'),
      'Review the plan (add --dry-run to see it without changing anything) and pass --yes to accept.',
    );
  }
  if (settings.interactive && !settings.yes) {
    for (const c of confirmations) {
      const ok = await host.confirm({ id: `confirm-${c.confirm!.kind}-${c.property}`, message: c.confirm!.message, default: false });
      if (!ok) {
        const next = await onDecline?.(c);
        if (next) return runChangeCommand(rt, ctx, command, next, totalSteps === undefined ? undefined : next.flat().length + 1, onDecline, beforeWrites);
        throw new DeclinedError(`Declined: ${c.property} on ${c.resourceId}. Nothing was written.`);
      }
    }
    const n = all.flatMap((p) => p.changes).filter((c) => c.action !== 'no-op').length;
    const ok = await host.confirm({ id: 'apply', message: `Apply these ${n} change(s)?`, default: true });
    if (!ok) throw new DeclinedError('Declined. Nothing was written.');
  }

  beforeWrites?.();
  const failure = await applyPhases(host, ctx, phases, all, results, totalSteps ?? all.length);
  if (settings.output === 'text') host.result(renderSummary(output().steps, rt.session.counts, host.textStyle?.('out') ?? RAW));
  if (failure) {
    host.warn(failure.message);
    if (failure.fix) host.warn(`Fix: ${failure.fix}`);
    host.warn('Steps after the failure were not run; the same command is safe to run again once fixed.');
  }
  return { output: output(), exitCode: failure ? EXIT.failed : EXIT.ok, failure };
}
