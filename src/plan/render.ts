/** Text rendering of a plan and of step results (JSON output uses the same data). */
import type { Change, StepResult } from './types.js';
import { RAW, paint, wrapLine, type Mark, type TextStyle } from '../io/terminal.js';

function short(id: string): string {
  const parts = id.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p.toLowerCase() === 'providers');
  return i >= 0 ? parts.slice(i + 2).join('/') : id;
}

const ID = /\/subscriptions\/[^\s"',]+/g;

/** A value for a plan line: resource ids shortened to their type/name, objects as key=value. */
function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v.startsWith('/subscriptions/') ? short(v) : v;
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${show(x)}`)
      .join(' ');
  }
  return JSON.stringify(v).replace(ID, (id) => short(id));
}

const SYMBOL: Record<Change['action'], [string, Mark]> = { create: ['+', 'create'], update: ['~', 'update'], delete: ['-', 'delete'], 'no-op': ['=', 'same'] };

/** One line per change, wrapped to the style's width with continuation lines under the resource. */
export function renderPlan(steps: { id: string; title: string; changes: Change[] }[], showNoOps = false, total = steps.length, style: TextStyle = RAW): string {
  const lines: string[] = [];
  steps.forEach((s, i) => {
    const writes = s.changes.filter((c) => c.action !== 'no-op');
    lines.push(wrapLine(`Step ${i + 1}/${total} ${s.title}: ${writes.length ? `${writes.length} change${writes.length > 1 ? 's' : ''}` : 'already done'}`, style.width, '  '));
    for (const c of s.changes) {
      if (c.action === 'no-op' && !showNoOps) continue;
      const arrow = c.action === 'no-op' ? show(c.after) : c.action === 'create' ? show(c.after) : `${show(c.before)} → ${show(c.after)}`;
      const [symbol, mark] = SYMBOL[c.action];
      lines.push(wrapLine(`  ${paint(symbol, mark, style)} ${short(c.resourceId)}  ${c.property}: ${arrow}${c.confirm ? `  [${c.confirm.kind}]` : ''}`, style.width, '      ', 2));
    }
  });
  return lines.join('\n');
}

export function renderSummary(results: StepResult[], counts: { reads: number; writes: number }, style: TextStyle = RAW): string {
  const lines = results.map((r) => {
    const mark = r.status === 'failed' ? paint('✗', 'fail', style) : r.status === 'planned' ? paint('·', 'quiet', style) : paint('✓', 'ok', style);
    const n = r.changes.filter((c) => c.action !== 'no-op').length;
    const what = r.status === 'unchanged' ? 'already done' : r.status === 'planned' ? `${n} change(s) planned` : r.status === 'failed' ? 'failed' : `${n} change(s) applied`;
    return wrapLine(`${mark} ${r.title}: ${what}`, style.width, '  ');
  });
  lines.push(`ARM requests: ${counts.reads} reads, ${counts.writes} writes`);
  return lines.join('\n');
}
