/**
 * The one seam for user I/O. Step code never imports inquirer or ora: it asks the host.
 * Results go to stdout; progress, prompts and logs to stderr.
 */
import type { TextStyle } from './terminal.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  /** heading the choice is listed under (e.g. its subscription); choices of one group are adjacent */
  group?: string;
}

export interface SelectRequest<T> {
  id: string;
  message: string;
  choices: Choice<T>[];
  default?: T;
}

export interface InputRequest {
  id: string;
  message: string;
  default?: string;
  /** returns an error message, or true when valid */
  validate?: (value: string) => true | string;
}

export interface ConfirmRequest {
  id: string;
  message: string;
  default?: boolean;
}

export interface IoHost {
  /** false: never prompt */
  readonly interactive: boolean;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** a result line on stdout */
  result(text: string): void;
  select<T>(req: SelectRequest<T>): Promise<T>;
  input(req: InputRequest): Promise<string>;
  confirm(req: ConfirmRequest): Promise<boolean>;
  /** runs fn with a progress indicator titled `title`, reporting the outcome and its duration */
  task<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** width and colour for text bound for stdout (`out`) or stderr (`err`); plain 80 columns when absent */
  textStyle?(to: 'out' | 'err'): TextStyle;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
