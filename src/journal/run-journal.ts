/** Opening the journal of a change run: where it goes, what it names, and wiring it to the session. */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Runtime } from '../steps/context.js';
import type { Targets } from '../steps/targets.js';
import type { StepPlan } from '../plan/types.js';
import { UsageError } from '../core/errors.js';
import { Journal, newRunId } from './journal.js';
import { journalPath, runsDir } from './location.js';

export function targetIds(targets: Targets): string[] {
  return [targets.account?.id, targets.storage?.id, targets.vnet?.id, targets.subnet?.id].filter((x): x is string => !!x);
}

/** Every resource a plan's changes write (no-ops aside). */
export function plannedResources(phases: StepPlan[][]): string[] {
  return phases.flat().flatMap((p) => p.changes).filter((c) => c.action !== 'no-op').map((c) => c.resourceId);
}

/** The journal of this run (none for --dry-run), observing every ARM write of the session. */
export function openJournal(rt: Runtime, command: string, targets: string[], undoOf?: string): Journal | undefined {
  if (rt.settings.dryRun) return undefined;
  const id = newRunId(command);
  const path = journalPath(rt.env, id, rt.settings.journal);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!rt.settings.journal && dir === runsDir(rt.env)) chmodSync(dir, 0o700);
  } catch (e) {
    throw new UsageError(
      `Cannot create the journal directory '${dir}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); every change run is recorded before it writes, so nothing was written.`,
      'Pass --journal FILE in a writable directory, or set XDG_STATE_HOME to one.',
    );
  }
  const journal = new Journal(path, rt.session, { id, command, targets, undoOf });
  rt.session.observer = journal.observer;
  return journal;
}
