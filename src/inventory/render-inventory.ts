/** Text for `setup --inventory`: the plan of every account at once, and the summary table at the end. */
import type { AccountRun, InventoryDocument } from './run-inventory.js';
import { renderPlan } from '../plan/render.js';
import { RAW, paint, wrapLine, type TextStyle } from '../io/terminal.js';

const changesOf = (run: AccountRun) => (run.all ?? []).flatMap((p) => p.changes).filter((c) => c.action !== 'no-op');

/** One line per account (changes per step, confirmations), then every confirmation; --verbose adds each account's full plan. */
export function renderInventoryPlan(runs: AccountRun[], verbose: boolean, style: TextStyle = RAW): string {
  const lines: string[] = [];
  const pending = runs.filter((r) => r.status === 'planned');
  const total = pending.reduce((n, r) => n + changesOf(r).length, 0);
  const refused = runs.filter((r) => r.failedAt === 'preflight').length;
  lines.push(`Plan: ${total} change(s) on ${pending.length} of ${runs.length} account(s)${refused ? `; ${refused} refused by the preflight` : ''}`);
  for (const run of runs) {
    if (run.failedAt === 'preflight') {
      // every missing permission (or missing place) at once, as the preflight listed them
      const [first, ...rest] = (run.error?.message ?? '').split('\n');
      lines.push(wrapLine(`  ${paint('✗', 'fail', style)} ${run.account.name}: refused, nothing will be written: ${first.startsWith(run.error?.code ?? '') ? first : `${run.error?.code} — ${first}`}`, style.width, '      '));
      for (const line of rest) lines.push(wrapLine(`      ${line.trim()}`, style.width, '        '));
      continue;
    }
    if (run.status === 'failed') {
      lines.push(wrapLine(`  ${paint('✗', 'fail', style)} ${run.account.name}: cannot plan: ${run.error?.code} — ${run.error?.message.split('\n')[0]}`, style.width, '      '));
      continue;
    }
    const steps = (run.all ?? []).map((p) => ({ id: p.id, n: p.changes.filter((c) => c.action !== 'no-op').length })).filter((s) => s.n);
    const confirms = changesOf(run).filter((c) => c.confirm).map((c) => c.confirm!.kind);
    const what = steps.length ? steps.map((s) => `${s.id} ${s.n}`).join(', ') : 'already done';
    lines.push(wrapLine(`  ${paint(steps.length ? '~' : '=', steps.length ? 'update' : 'same', style)} ${run.account.name} (${run.account.subscriptionId}): ${what}${confirms.length ? `  [${[...new Set(confirms)].join(', ')}]` : ''}`, style.width, '      '));
    if (verbose && run.all) lines.push(renderPlan(run.all, false, run.all.length, style).replace(/^/gm, '      '));
  }
  const confirmations = pending.flatMap((r) => changesOf(r).filter((c) => c.confirm).map((c) => ({ r, c })));
  if (confirmations.length) {
    lines.push('Changes that need confirmation:');
    for (const { r, c } of confirmations) lines.push(wrapLine(`  - ${r.account.name}: [${c.confirm!.kind}] ${c.confirm!.message}`, style.width, '    '));
  }
  return lines.join('\n');
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function renderInventorySummary(doc: InventoryDocument, style: TextStyle = RAW): string {
  const head = ['ACCOUNT', 'SUBSCRIPTION', 'STATUS', 'WRITES', 'STEPS'];
  const rows = doc.accounts.map((a) => {
    const applied = a.steps.filter((s) => s.status === 'applied').length;
    const same = a.steps.filter((s) => s.status === 'unchanged').length;
    const planned = a.steps.filter((s) => s.status === 'planned').length;
    const failed = a.steps.find((s) => s.status === 'failed');
    const steps = a.failedAt === 'plan' || a.failedAt === 'preflight' ? `failed at ${a.failedAt}` : failed ? `failed at ${failed.id}` : [applied && `${applied} applied`, planned && `${planned} planned`, same && `${same} unchanged`].filter(Boolean).join(', ') + (a.failedAt === 'validate' ? '; validation failed' : '');
    return [a.name, a.subscriptionId, a.status, String(a.armRequests.writes), steps];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ');
  const mark = (status: string) => (status === 'failed' ? paint('✗', 'fail', style) : status === 'planned' ? paint('·', 'quiet', style) : paint('✓', 'ok', style));
  const out = [`  ${line(head)}`, ...doc.accounts.map((a, i) => `${mark(a.status)} ${line(rows[i])}`)];
  const failures = doc.accounts.filter((a) => a.error);
  if (failures.length) {
    out.push('', 'Failures (each is that account\'s alone; the same command is safe to run again once fixed):');
    for (const a of failures) {
      out.push(wrapLine(`${paint('✗', 'fail', style)} ${a.name}: ${a.error!.code} — ${a.error!.message}`, style.width, '    '));
      if (a.error!.fix) out.push(wrapLine(`    Fix: ${a.error!.fix}`, style.width, '         '));
    }
  }
  const s = doc.summary;
  out.push(
    '',
    `${s.accounts} account(s) in ${s.subscriptions} subscription(s): ${s.converged} converged, ${s.unchanged} unchanged, ${s.planned} planned, ${s.failed} failed`,
    `ARM requests: ${doc.armRequests.reads} reads, ${doc.armRequests.writes} writes${s.throttled ? `; throttled ${s.throttled} time(s), waited as ARM asked` : ''}`,
  );
  return out.join('\n');
}
