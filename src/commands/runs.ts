/** `runs`: the recorded runs, newest first (id, time, command, targets, writes), as text or `-o json`. */
import { listRuns, runsDir } from '../journal/location.js';
import { nameOf } from '../core/resource-id.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { IoHost } from '../io/host.js';

export interface RunSummary {
  id: string;
  time: string;
  command: string;
  status: string;
  targets: string[];
  writes: number;
  undoOf?: string;
  path: string;
}

export function runSummaries(env: NodeJS.ProcessEnv): RunSummary[] {
  return listRuns(env).map(({ path, doc }) => ({
    id: doc.id,
    time: doc.startedAt,
    command: doc.command,
    status: doc.status,
    targets: doc.targets,
    writes: doc.writes.length,
    ...(doc.undoOf ? { undoOf: doc.undoOf } : {}),
    path,
  }));
}

export function runRuns(opts: { output?: string }, env: NodeJS.ProcessEnv, out: (text: string) => void, host?: IoHost): number {
  const output = String(opts.output ?? 'text').toLowerCase();
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output '${opts.output}' is unknown: use text or json.`);
  const runs = runSummaries(env);
  if (output === 'json') {
    out(JSON.stringify({ directory: runsDir(env), runs }, null, 2));
    return EXIT.ok;
  }
  if (!runs.length) {
    (host?.info.bind(host) ?? out)(`No recorded runs in ${runsDir(env)}.`);
    return EXIT.ok;
  }
  const rows = runs.map((r) => [r.id, r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), r.undoOf ? `undo of ${r.undoOf}` : r.command, r.status, String(r.writes), r.targets.map(nameOf).join(', ')]);
  const head = ['ID', 'TIME (UTC)', 'COMMAND', 'STATUS', 'WRITES', 'TARGETS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  out([line(head), ...rows.map(line)].join('\n'));
  return EXIT.ok;
}
