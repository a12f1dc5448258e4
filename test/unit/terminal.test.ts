import { describe, it, expect } from 'vitest';
import { paint, styleFor, visibleLength, wantsColor, widthOf, wrapLine, wrapText } from '../../src/io/terminal.js';

const tty = { isTTY: true, columns: 120, hasColors: () => true };
const pipe = { isTTY: false };

describe('colour', () => {
  it('is on for a terminal and off for a pipe', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
  });

  it('NO_COLOR turns it off on a terminal; an empty NO_COLOR does not (no-color.org)', () => {
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR turns it on even into a pipe, FORCE_COLOR=0 turns it off on a terminal', () => {
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('TERM=dumb and a terminal without colours get none', () => {
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({ isTTY: true, hasColors: () => false }, {})).toBe(false);
  });

  it('JSON output is never coloured', () => {
    expect(styleFor(tty, { FORCE_COLOR: '1' }, true).color).toBe(false);
  });

  it('paints a mark with an ANSI colour only when the style has colour', () => {
    expect(paint('✓', 'ok', { width: 80, color: true })).toBe('\u001b[32m✓\u001b[39m');
    expect(paint('✓', 'ok', { width: 80, color: false })).toBe('✓');
    expect(visibleLength(paint('✗', 'fail', { width: 80, color: true }))).toBe(1);
  });
});

describe('width', () => {
  it('COLUMNS first, then the terminal, then 80', () => {
    expect(widthOf(tty, { COLUMNS: '60' })).toBe(60);
    expect(widthOf(tty, {})).toBe(120);
    expect(widthOf(pipe, {})).toBe(80);
    expect(widthOf(pipe, { COLUMNS: 'wide' })).toBe(80);
  });
});

describe('wrapping', () => {
  const line = '  + storageAccounts/stdocinteldemo  networkAcls.defaultAction: Allow → Deny  [lock-out]';

  it('breaks at word boundaries only, continuation lines indented', () => {
    const wrapped = wrapLine(line, 40, '      ');
    const lines = wrapped.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(40);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {6}\S/);
    // every word of the line survives whole, in order
    expect(wrapped.split(/\s+/).filter(Boolean)).toEqual(line.split(/\s+/).filter(Boolean));
  });

  it('keeps a line that fits as it is, alignment padding included', () => {
    expect(wrapLine('  ✓ id      message', 80, '    ')).toBe('  ✓ id      message');
  });

  it('never cuts a word longer than the width: it gets a line of its own', () => {
    const id = '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
    const lines = wrapLine(`fix: ${id} now`, 30, '  ').split('\n');
    expect(lines).toEqual(['fix:', `  ${id}`, '  now']);
  });

  it('measures coloured text by what shows', () => {
    const coloured = `  ${paint('+', 'create', { width: 80, color: true })} ${'word '.repeat(15).trim()}`;
    const lines = wrapLine(coloured, 40, '    ').split('\n');
    for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(40);
  });

  it('wraps each line of a text with a hanging indent under its own indent', () => {
    const text = wrapText('Missing inputs:\n  - the storage account: pass --storage <name or resource id> or set SECURE_DOCINTEL_STORAGE', 50);
    expect(text.split('\n').slice(2).every((l) => l.startsWith('    '))).toBe(true);
  });
});
