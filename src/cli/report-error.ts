/**
 * The one top-level error handler: known failures become guidance, never a stack trace. Text goes
 * to stderr; in JSON mode stdout also gets `{ "error": { "code", "message", "fix"? } }` (DESIGN.md).
 */
import { AzureOperationError, DeclinedError, EXIT, InterruptedError, PromptRequiredError, UsageError } from '../core/errors.js';
import { signInProblem } from '../azure/remedies.js';
import { withoutControlCharacters } from '../core/terminal-text.js';
import { RAW, wrapLine, wrapText, type TextStyle } from '../io/terminal.js';

export interface ErrorReport {
  exitCode: number;
  /** stable, for scripts: an ARM error code, or one of ours (BadInput, MissingInput, SignInFailed, Declined, Interrupted, …) */
  code: string;
  message: string;
  fix?: string;
}

export function describeError(e: unknown): ErrorReport {
  if (e instanceof PromptRequiredError) return { exitCode: EXIT.usage, code: 'MissingInput', message: e.message, fix: e.fix };
  if (e instanceof UsageError) return { exitCode: EXIT.usage, code: 'BadInput', message: e.message, fix: e.fix };
  if (e instanceof DeclinedError) return { exitCode: EXIT.declined, code: 'Declined', message: e.message };
  if (e instanceof InterruptedError) return { exitCode: EXIT.interrupted, code: 'Interrupted', message: e.message };
  if (e instanceof AzureOperationError) return { exitCode: EXIT.failed, code: e.code ?? 'AzureOperationFailed', message: e.message, fix: e.fix };
  const name = (e as { name?: string })?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') return { exitCode: EXIT.interrupted, code: 'Interrupted', message: 'Interrupted. Nothing more was written.' };
  const signIn = signInProblem(e);
  if (signIn) return { exitCode: EXIT.usage, code: 'SignInFailed', message: signIn.message, fix: signIn.fix };
  return { exitCode: EXIT.failed, code: 'UnexpectedError', message: (e as Error)?.message ?? String(e), fix: 'Set SECURE_DOCINTEL_DEBUG=1 for details.' };
}

/** The `error` member of JSON output: `{ code, message, fix? }`. */
export function errorBody(r: ErrorReport): { code: string; message: string; fix?: string } {
  return { code: r.code, message: r.message, ...(r.fix ? { fix: r.fix } : {}) };
}

/** `{ "error": … }`, the whole of stdout for a failed run in JSON mode. */
export function errorDocument(r: ErrorReport): string {
  return JSON.stringify({ error: errorBody(r) }, null, 2);
}

/** The text form: `Error: …` and `Fix: …`, wrapped to the style's width. */
export function errorText(r: ErrorReport, style: TextStyle = RAW): string {
  const plain = r.code === 'Declined' || r.code === 'Interrupted';
  const lines = [wrapText(plain ? r.message : `Error: ${r.message}`, style.width)];
  if (r.fix) lines.push(wrapLine(`Fix: ${r.fix}`, style.width, '     '));
  return lines.join('\n') + '\n';
}

export interface ReportTo {
  /** text (stderr by default) */
  write?: (text: string) => void;
  /** JSON mode: where the error document goes (stdout) */
  json?: (doc: string) => void;
  style?: TextStyle;
}

export function reportError(e: unknown, to: ReportTo = {}): number {
  // Messages may quote a server: nothing printed carries its control characters.
  const r = describeError(e);
  const out = to.write ?? ((s: string) => process.stderr.write(s));
  const write = (s: string) => out(withoutControlCharacters(s));
  let text = errorText(r, to.style);
  if (r.code === 'UnexpectedError' && process.env.SECURE_DOCINTEL_DEBUG) text = `Error: ${r.message}\n${(e as Error)?.stack ?? ''}\n`;
  write(text);
  to.json?.(errorDocument({ ...r, message: withoutControlCharacters(r.message), ...(r.fix ? { fix: withoutControlCharacters(r.fix) } : {}) }));
  return r.exitCode;
}
