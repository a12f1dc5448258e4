/**
 * How text output looks where it goes: the width to wrap at and whether to colour the marks
 * (✓ ✗ ! and the plan's + ~ - =). Colour comes from Node's own `util.styleText`; whether to use it
 * follows NO_COLOR (no-color.org) and FORCE_COLOR as Node itself does, and is off for JSON.
 */
import { styleText } from 'node:util';

export interface TextStyle {
  /** columns to wrap at */
  width: number;
  color: boolean;
}

/** No colour, 80 columns: what a pipe or a file gets unless COLUMNS says otherwise. */
export const PLAIN: TextStyle = { width: 80, color: false };

/** No colour, no wrapping: for a host that does not write to a stream (tests capture the text as rendered). */
export const RAW: TextStyle = { width: Infinity, color: false };

interface Stream {
  isTTY?: boolean;
  columns?: number;
  hasColors?(env?: object): boolean;
}

/**
 * FORCE_COLOR wins over everything else, as in Node and chalk (`0`/`false` turns colour off, any
 * other value on, even into a pipe); then NO_COLOR (set and not empty), a stream that is not a
 * terminal and TERM=dumb turn it off; the rest is the terminal's own answer (`hasColors`, which
 * also says no for an unknown `CI`).
 */
export function wantsColor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (!stream.isTTY || env.TERM === 'dumb') return false;
  return stream.hasColors?.(env) ?? true;
}

/** COLUMNS first (the shell's word, and what tests set), then the terminal's width, then 80. */
export function widthOf(stream: Stream, env: NodeJS.ProcessEnv): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return PLAIN.width;
}

export function styleFor(stream: Stream, env: NodeJS.ProcessEnv, json = false): TextStyle {
  return { width: widthOf(stream, env), color: !json && wantsColor(stream, env) };
}

export type Mark = 'ok' | 'fail' | 'warn' | 'quiet' | 'create' | 'update' | 'delete' | 'same';

const COLOR: Record<Mark, Parameters<typeof styleText>[0]> = {
  ok: 'green',
  fail: 'red',
  warn: 'yellow',
  quiet: 'gray',
  create: 'green',
  update: 'yellow',
  delete: 'red',
  same: 'gray',
};

/** `symbol` in the colour of what it marks, when this style has colour. */
export function paint(symbol: string, mark: Mark, style: TextStyle): string {
  return style.color ? styleText(COLOR[mark], symbol, { validateStream: false }) : symbol;
}

const SGR = /\u001b\[[0-9;]*m/g;

/** Columns a string takes on screen (colour codes take none). */
export function visibleLength(text: string): number {
  return [...text.replace(SGR, '')].length;
}

/**
 * Wraps one line at word boundaries to `width` columns: continuation lines start with `indent`.
 * The first `together` words stay on the first line whatever their length (a mark and its resource).
 * A word longer than a whole line (a resource id, a URL) stays whole on a line of its own rather
 * than being cut. Leading spaces of the line are kept; a line that fits is returned as it is.
 */
export function wrapLine(line: string, width: number, indent: string, together = 1): string {
  if (visibleLength(line) <= width) return line;
  const lead = /^ */.exec(line)![0];
  const lines: string[] = [];
  let current = lead;
  let gap = '';
  let placed = 0;
  // each word with the spaces before it, so that alignment padding survives on the lines that fit
  for (const [, word, spaces] of line.slice(lead.length).matchAll(/(\S+)( *)/g)) {
    const candidate = current + gap + word;
    if (placed < together || visibleLength(candidate) <= width) {
      current = candidate;
    } else {
      lines.push(current);
      current = indent + word;
    }
    gap = spaces;
    placed++;
  }
  lines.push(current);
  return lines.join('\n');
}

/** Wraps each line of `text`, continuation lines indented by the line's own indent plus `hang` spaces. */
export function wrapText(text: string, width: number, hang = 2): string {
  return text
    .split('\n')
    .map((l) => wrapLine(l, width, ' '.repeat(/^ */.exec(l)![0].length + hang)))
    .join('\n');
}
