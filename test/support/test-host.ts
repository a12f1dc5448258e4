/** An I/O host for tests: scripted answers by prompt id, and everything written captured. */
import type { ConfirmRequest, InputRequest, IoHost, SelectRequest } from '../../src/io/host.js';

export type Answer = unknown | ((choices: { name: string; value: unknown }[]) => unknown);

export class TestHost implements IoHost {
  out = '';
  err = '';
  /** prompts asked, in order, with what they offered */
  asked: { id: string; message: string; choices?: unknown[]; groups?: string[]; default?: unknown }[] = [];

  constructor(readonly interactive = false, private answers: Record<string, Answer> = {}) {}

  info(m: string) {
    this.err += m + '\n';
  }
  warn(m: string) {
    this.err += `! ${m}\n`;
  }
  debug(m: string) {
    this.err += `  ${m}\n`;
  }
  result(t: string) {
    this.out += t.endsWith('\n') ? t : t + '\n';
  }
  private answer(id: string, fallback: unknown, choices?: { name: string; value: unknown }[]): unknown {
    if (!(id in this.answers)) {
      if (fallback !== undefined) return fallback;
      throw new Error(`TestHost: no answer scripted for prompt '${id}'`);
    }
    const a = this.answers[id];
    return typeof a === 'function' ? (a as (c: unknown) => unknown)(choices ?? []) : a;
  }
  async select<T>(req: SelectRequest<T>): Promise<T> {
    const groups = [...new Set(req.choices.map((c) => c.group).filter((g): g is string => g !== undefined))];
    this.asked.push({ id: req.id, message: req.message, choices: req.choices.map((c) => c.value), ...(groups.length ? { groups } : {}), default: req.default });
    return this.answer(req.id, req.default, req.choices as never) as T;
  }
  async input(req: InputRequest): Promise<string> {
    this.asked.push({ id: req.id, message: req.message, default: req.default });
    return this.answer(req.id, req.default) as string;
  }
  async confirm(req: ConfirmRequest): Promise<boolean> {
    this.asked.push({ id: req.id, message: req.message, default: req.default });
    const byPrefix = Object.keys(this.answers).find((k) => req.id.startsWith(k));
    if (byPrefix) {
      const a = this.answers[byPrefix];
      return (typeof a === 'function' ? (a as () => boolean)() : a) as boolean;
    }
    throw new Error(`TestHost: no answer scripted for confirmation '${req.id}'`);
  }
  async task<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.err += `… ${title}\n`;
    return fn();
  }
}
