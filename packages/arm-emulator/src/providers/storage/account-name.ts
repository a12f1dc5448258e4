/** Storage account names: 3-24 lowercase letters and digits, unique across Azure. */
import type { EmulatorContext } from '../../context.js';
import { accountNameInvalid, invalidNameMessage, invalidValues, takenMessage } from './errors.js';
import { ACCOUNT_TYPE } from './api.js';

export function isValidAccountName(name: string): boolean {
  return /^[a-z0-9]{3,24}$/.test(name);
}

export function assertValidAccountName(name: string): void {
  if (!isValidAccountName(name)) throw accountNameInvalid(name);
}

/** The account of that name anywhere in the emulator (names are global). */
export function accountNamed(ctx: EmulatorContext, name: string) {
  return ctx.state.ofType(ACCOUNT_TYPE).find((a) => String(a.name).toLowerCase() === name.toLowerCase());
}

export function checkNameAvailability(ctx: EmulatorContext, body: any): Record<string, unknown> {
  const name = String(body?.name ?? '');
  if (String(body?.type ?? '').toLowerCase() !== ACCOUNT_TYPE.toLowerCase()) {
    throw invalidValues('type');
  }
  if (!isValidAccountName(name)) return { nameAvailable: false, reason: 'AccountNameInvalid', message: invalidNameMessage(name) };
  if (accountNamed(ctx, name)) return { nameAvailable: false, reason: 'AlreadyExists', message: takenMessage(name) };
  return { nameAvailable: true };
}
