/** The one top-level error handler: known failures become guidance, never a stack trace. */
import { AzureOperationError, DeclinedError, EXIT, InterruptedError, UsageError } from './errors.js';

export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
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
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationError' || name === 'AuthenticationRequiredError' || name === 'AggregateAuthenticationError') {
    write(`Error: could not sign in to Azure: ${(e as Error).message.split('\n')[0]}\nFix: run \`az login\` (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET), then run again.\n`);
    return EXIT.usage;
  }
  const msg = (e as Error)?.message ?? String(e);
  write(`Error: ${msg}\n${process.env.SECURE_DOCINTEL_DEBUG ? `${(e as Error)?.stack ?? ''}\n` : 'Set SECURE_DOCINTEL_DEBUG=1 for details.\n'}`);
  return EXIT.failed;
}
