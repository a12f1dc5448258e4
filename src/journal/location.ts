/**
 * Where journals live: one file per run in `$XDG_STATE_HOME/secure-docintel/runs/` (default
 * `~/.local/state/secure-docintel/runs/`), or the file `--journal` names; and finding them again.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { readPrivateFile } from './private-file.js';
import { JOURNAL_VERSION, type JournalDocument } from './journal.js';

/** XDG: a relative XDG_STATE_HOME is ignored. */
export function runsDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'secure-docintel', 'runs');
}

export function journalPath(env: NodeJS.ProcessEnv, runId: string, given?: string): string {
  return given ? resolve(given) : join(runsDir(env), `${runId}.json`);
}

export function readJournal(path: string): JournalDocument | undefined {
  let text: string | undefined;
  try {
    text = readPrivateFile(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`Cannot read the journal '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Pass --run the id `secure-docintel runs` lists, or the path of a readable journal file.');
  }
  if (text === undefined) return undefined;
  let doc: JournalDocument;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`The journal '${path}' is not JSON.`, 'Pass --run the id `secure-docintel runs` lists, or the path of a journal secure-docintel wrote.');
  }
  if (doc?.version !== JOURNAL_VERSION || !Array.isArray(doc.resources) || !Array.isArray(doc.writes)) {
    throw new UsageError(`'${path}' is not a secure-docintel journal (version ${JOURNAL_VERSION}).`, 'Pass --run the id `secure-docintel runs` lists.');
  }
  return doc;
}

/** Every journal in the runs directory, newest first (ids start with their UTC time). */
export function listRuns(env: NodeJS.ProcessEnv): { path: string; doc: JournalDocument }[] {
  const dir = runsDir(env);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: { path: string; doc: JournalDocument }[] = [];
  for (const n of names) {
    try {
      const doc = readJournal(join(dir, n));
      if (doc) out.push({ path: join(dir, n), doc });
    } catch {
      // not ours, or unreadable: `runs` lists journals, it does not judge other files
    }
  }
  return out.sort((a, b) => b.doc.startedAt.localeCompare(a.doc.startedAt) || b.doc.id.localeCompare(a.doc.id));
}

/**
 * The run `undo` restores: `--run ID` (an id `runs` lists, or a journal's path), or `--last`: the
 * newest run that wrote something and is not itself an undo — so `undo --last` twice restores the
 * same run twice (the second makes no writes). An undo is not undone: the original command re-applies.
 */
export function findRun(env: NodeJS.ProcessEnv, pick: { run?: string; last?: boolean }): { path: string; doc: JournalDocument } {
  if (pick.run && pick.last) throw new UsageError('--run and --last conflict: pass one of them.', 'Pass --run ID (see `secure-docintel runs`) or --last.');
  if (pick.run) {
    const looksLikePath = pick.run.includes('/') || pick.run.endsWith('.json');
    const path = looksLikePath ? resolve(pick.run) : join(runsDir(env), `${pick.run}.json`);
    if (!looksLikePath && !/^[\w.-]+$/.test(pick.run)) throw new UsageError(`--run '${pick.run}' is not a run id.`, 'Pass an id `secure-docintel runs` lists, or the path of a journal file.');
    const doc = readJournal(path);
    if (!doc) throw new UsageError(`No recorded run '${pick.run}' (looked for ${path}).`, 'List the recorded runs with `secure-docintel runs`, or pass the path of the journal (--journal) the run wrote.');
    // An undo deleted what the run had made; undoing it would not make it again. The run's own command does, idempotently.
    if (doc.command === 'undo') throw new UsageError(`Run ${doc.id} is itself an undo (of ${doc.undoOf ?? 'another run'}); undo does not re-create what it removed.`, 'To put the changes back, run the original command again (it converges and is recorded as a new run).');
    return { path, doc };
  }
  if (!pick.last) throw new UsageError('Which run should be undone?', 'Pass --run ID (see `secure-docintel runs`) or --last (the newest run that changed something, undo runs aside).');
  const found = listRuns(env).find((r) => r.doc.command !== 'undo' && r.doc.writes.length > 0);
  if (!found) throw new UsageError(`No recorded run that changed anything in ${runsDir(env)}.`, 'Nothing to undo; `secure-docintel runs` lists what is recorded (set XDG_STATE_HOME if the runs were recorded elsewhere).');
  return found;
}
