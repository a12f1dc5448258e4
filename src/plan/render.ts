/** Text rendering of a plan and of step results (JSON output uses the same data). */
import type { Change, StepResult } from './types.js';

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

const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', 'no-op': '=' };

export function renderPlan(steps: { id: string; title: string; changes: Change[] }[], showNoOps = false, total = steps.length): string {
  const lines: string[] = [];
  steps.forEach((s, i) => {
    const writes = s.changes.filter((c) => c.action !== 'no-op');
    lines.push(`Step ${i + 1}/${total} ${s.title}: ${writes.length ? `${writes.length} change${writes.length > 1 ? 's' : ''}` : 'already done'}`);
    for (const c of s.changes) {
      if (c.action === 'no-op' && !showNoOps) continue;
      const arrow = c.action === 'no-op' ? show(c.after) : c.action === 'create' ? show(c.after) : `${show(c.before)} → ${show(c.after)}`;
      lines.push(`  ${SYMBOL[c.action]} ${short(c.resourceId)}  ${c.property}: ${arrow}${c.confirm ? `  [${c.confirm.kind}]` : ''}`);
    }
  });
  return lines.join('\n');
}

export function renderSummary(results: StepResult[], counts: { reads: number; writes: number }): string {
  const lines = results.map((r) => {
    const mark = r.status === 'failed' ? '✗' : r.status === 'planned' ? '·' : '✓';
    const n = r.changes.filter((c) => c.action !== 'no-op').length;
    const what = r.status === 'unchanged' ? 'already done' : r.status === 'planned' ? `${n} change(s) planned` : r.status === 'failed' ? 'failed' : `${n} change(s) applied`;
    return `${mark} ${r.title}: ${what}`;
  });
  lines.push(`ARM requests: ${counts.reads} reads, ${counts.writes} writes`);
  return lines.join('\n');
}
