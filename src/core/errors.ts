/** Failures the CLI knows how to explain, each with the exit code DESIGN.md gives it. */

export const EXIT = { ok: 0, failed: 1, usage: 2, declined: 3, changesPending: 4, interrupted: 130 } as const;

/** Bad input or usage: nothing was written (exit 2). */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string, readonly fix?: string) {
    super(message);
  }
}

export interface MissingInput {
  what: string;
  flag: string;
  env?: string;
}

/** A non-interactive run lacks inputs: name each one with the flag and env var that supply it. */
export class PromptRequiredError extends UsageError {
  constructor(readonly missing: MissingInput[]) {
    super(
      `Missing input${missing.length > 1 ? 's' : ''} in a non-interactive run:\n` +
        missing.map((m) => `  - ${m.what}: pass ${m.flag}${m.env ? ` or set ${m.env}` : ''}`).join('\n'),
      'Supply them as flags or environment variables, or run in a terminal without --non-interactive to be asked.',
    );
  }
}

/** The user said no to a confirmation (exit 3). */
export class DeclinedError extends Error {
  readonly exitCode = EXIT.declined;
}

/** Ctrl-C (exit 130). */
export class InterruptedError extends Error {
  readonly exitCode = EXIT.interrupted;
  constructor() {
    super('Interrupted. Nothing more was written; run the same command again to finish — every step is safe to repeat.');
  }
}

/** An Azure operation failed (exit 1), explained in the guide's terms. */
export class AzureOperationError extends Error {
  readonly exitCode = EXIT.failed;
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly fix: string | undefined,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}
