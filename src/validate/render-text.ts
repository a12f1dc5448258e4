/** The text report: one line per check (✓ ✗ ! -), a fix line under each failure, then the connections. */
import type { Check, Reachability } from './types.js';
import { ROUTES } from './reachability.js';
import { RAW, paint, visibleLength, wrapLine, type Mark, type TextStyle } from '../io/terminal.js';

const MARK: Record<Check['status'], [string, Mark]> = { pass: ['✓', 'ok'], fail: ['✗', 'fail'], warn: ['!', 'warn'], skip: ['-', 'quiet'] };

/** Check lines wrapped to the style's width; continuation lines align with the message and the fix. */
export function renderChecks(checks: Check[], style: TextStyle = RAW): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  const column = ' '.repeat(4 + width + 2);
  // on a narrow terminal, continuations hang under the mark rather than leave a sliver under the message
  const hang = column.length > style.width / 3 ? '      ' : column;
  const lines: string[] = ['Posture'];
  for (const c of checks) {
    const [symbol, mark] = MARK[c.status];
    lines.push(wrapLine(`  ${paint(symbol, mark, style)} ${c.id.padEnd(width)}  ${c.message}`, style.width, hang, 2));
    if (c.fix && c.status !== 'pass') {
      const fix = `${column}fix: ${c.fix}`;
      lines.push(visibleLength(fix) <= style.width ? fix : wrapLine(`${hang}fix: ${c.fix}`, style.width, `${hang}     `));
    }
  }
  return lines.join('\n');
}

/**
 * A blocked public client — or a blocked Studio when Studio access was not asked for — is what the
 * lockdown is for: shown as `·` "blocked, as intended" rather than as a failure.
 */
export function renderReachability(rows: Omit<Reachability, 'path'>[], studioWanted = false, style: TextStyle = RAW): string {
  const intended = (r: Omit<Reachability, 'path'>) =>
    !r.ok && (r.id === ROUTES.publicClient || (!studioWanted && (r.id === ROUTES.studioAccount || r.id === ROUTES.studioStorage)));
  const lines = ['Connections (from the configuration)'];
  for (const r of rows) {
    const mark = r.ok ? paint('✓', 'ok', style) : intended(r) ? paint('·', 'quiet', style) : paint('✗', 'fail', style);
    lines.push(wrapLine(`  ${mark} ${r.from} → ${r.to}: ${r.reason}${intended(r) ? ' — blocked, as intended' : ''}`, style.width, '    '));
  }
  return lines.join('\n');
}

export function renderSummary(checks: Check[], style: TextStyle = RAW): string {
  const n = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  const failed = n('fail');
  return wrapLine(failed
    ? `${failed} check(s) failed, ${n('warn')} warning(s): run the fix lines above, then \`secure-docintel validate\` again.`
    : `All checks passed${n('warn') ? ` (${n('warn')} warning(s))` : ''}.`, style.width, '');
}
