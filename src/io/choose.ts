/**
 * Asking only what has more than one answer: a question with a single possible answer is not
 * asked; the answer is printed instead, so the user still sees what was chosen and why.
 */
import type { IoHost, SelectRequest } from './host.js';

export async function choose<T>(host: IoHost, req: SelectRequest<T> & { only?: string }): Promise<T> {
  if (req.choices.length === 1) {
    const [c] = req.choices;
    host.info(`${req.message}: ${c.group ? `${c.group} / ` : ''}${c.name}${req.only ? ` — ${req.only}` : ' (the only one)'}`);
    return c.value;
  }
  return host.select(req);
}

/** Prints a question's explanation before it is asked: what each answer means, what breaks without it. */
export function explain(host: IoHost, lines: string[]): void {
  host.info(['', ...lines.map((l) => `  ${l}`)].join('\n'));
}
