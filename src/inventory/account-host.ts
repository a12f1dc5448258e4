/**
 * The I/O host one account of an inventory runs with: it never prompts (the inventory asks once,
 * for every account, before any is changed) and keeps its lines for the summary, so fifty accounts
 * running side by side do not interleave their progress; with --verbose they go on, prefixed.
 */
import type { ConfirmRequest, IoHost } from '../io/host.js';
import { RAW, type TextStyle } from '../io/terminal.js';

export class AccountHost implements IoHost {
  readonly interactive = false;
  readonly warnings: string[] = [];

  constructor(private readonly parent: IoHost, private readonly label: string, private readonly verbose: boolean) {}

  info(message: string): void {
    if (this.verbose) this.parent.debug(`[${this.label}] ${message}`);
  }
  warn(message: string): void {
    this.warnings.push(message);
    if (this.verbose) this.parent.debug(`[${this.label}] ! ${message}`);
  }
  debug(message: string): void {
    if (this.verbose) this.parent.debug(`[${this.label}] ${message}`);
  }
  result(message: string): void {
    this.info(message);
  }
  select<T>(): Promise<T> {
    return Promise.reject(new Error(`${this.label}: an inventory account cannot be asked a question`));
  }
  input(): Promise<string> {
    return Promise.reject(new Error(`${this.label}: an inventory account cannot be asked a question`));
  }
  confirm(req: ConfirmRequest): Promise<boolean> {
    return Promise.reject(new Error(`${this.label}: an inventory account cannot be asked '${req.message}'`));
  }
  task<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.debug(title);
    return fn();
  }
  textStyle(): TextStyle {
    return RAW;
  }
}
