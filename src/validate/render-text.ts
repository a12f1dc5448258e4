/** The text report: one line per check (✓ ✗ ! -), a fix line under each failure, then the connections. */
import type { Check, Reachability } from './types.js';
import { ROUTES } from './reachability.js';

const MARK: Record<Check['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines: string[] = ['Posture'];
  for (const c of checks) {
    lines.push(`  ${MARK[c.status]} ${c.id.padEnd(width)}  ${c.message}`);
    if (c.fix && c.status !== 'pass') lines.push(`    ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  return lines.join('\n');
}

/**
 * A blocked public client — or a blocked Studio when Studio access was not asked for — is what the
 * lockdown is for: shown as `·` "blocked, as intended" rather than as a failure.
 */
export function renderReachability(rows: Reachability[], studioWanted = false): string {
  const intended = (r: Reachability) =>
    !r.ok && (r.id === ROUTES.publicClient || (!studioWanted && (r.id === ROUTES.studioAccount || r.id === ROUTES.studioStorage)));
  const lines = ['Connections (from the configuration)'];
  for (const r of rows) {
    const mark = r.ok ? '✓' : intended(r) ? '·' : '✗';
    lines.push(`  ${mark} ${r.from} → ${r.to}: ${r.reason}${intended(r) ? ' — blocked, as intended' : ''}`);
  }
  return lines.join('\n');
}

export function renderSummary(checks: Check[]): string {
  const n = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  const failed = n('fail');
  return failed
    ? `${failed} check(s) failed, ${n('warn')} warning(s): run the fix lines above, then \`secure-docintel validate\` again.`
    : `All checks passed${n('warn') ? ` (${n('warn')} warning(s))` : ''}.`;
}
