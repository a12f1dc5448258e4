/** The one top-level error handler: known failures become guidance, never a stack trace. */
import { AzureOperationError, DeclinedError, EXIT, InterruptedError, UsageError } from '../core/errors.js';
import { signInProblem } from '../azure/remedies.js';
import { withoutControlCharacters } from '../core/terminal-text.js';

/** Everything it prints passes through withoutControlCharacters: messages may quote a server. */
export function reportError(e: unknown, print: (s: string) => void = (s) => process.stderr.write(s)): number {
  const write = (s: string) => print(withoutControlCharacters(s));
  if (e instanceof UsageError) {
    write(`Error: ${e.message}\n${e.fix ? `Fix: ${e.fix}\n` : ''}`);
    return EXIT.usage;
  }
  if (e instanceof DeclinedError) {
    write(`${e.message}\n`);
    return EXIT.declined;
  }
  if (e instanceof InterruptedError) {
    write(`${e.message}\n`);
    return EXIT.interrupted;
  }
  if (e instanceof AzureOperationError) {
    write(`Error: ${e.message}\n${e.fix ? `Fix: ${e.fix}\n` : ''}`);
    return EXIT.failed;
  }
  const name = (e as { name?: string })?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    write('Interrupted. Nothing more was written.\n');
    return EXIT.interrupted;
  }
  const signIn = signInProblem(e);
  if (signIn) {
    write(`Error: ${signIn.message}\nFix: ${signIn.fix}\n`);
    return EXIT.usage;
  }
  const msg = (e as Error)?.message ?? String(e);
  write(`Error: ${msg}\n${process.env.SECURE_DOCINTEL_DEBUG ? `${(e as Error)?.stack ?? ''}\n` : 'Set SECURE_DOCINTEL_DEBUG=1 for details.\n'}`);
  return EXIT.failed;
}
