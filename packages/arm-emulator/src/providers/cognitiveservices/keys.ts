/** Account keys live in the emulator's hidden state, never in the account's GET body. */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../../context.js';
import { keyOf } from '../../arm/ids.js';

export interface AccountKeys {
  key1: string;
  key2: string;
}

const newKey = () => randomBytes(16).toString('hex');

function store(ctx: EmulatorContext): Record<string, AccountKeys> {
  const extras = ctx.state.extras as { cognitiveServicesKeys?: Record<string, AccountKeys> };
  extras.cognitiveServicesKeys ??= {};
  return extras.cognitiveServicesKeys;
}

/** The account's keys; accounts that arrived through a scenario get theirs on first use. */
export function keysOf(ctx: EmulatorContext, accountId: string): AccountKeys {
  const all = store(ctx);
  all[keyOf(accountId)] ??= { key1: newKey(), key2: newKey() };
  return all[keyOf(accountId)];
}

export function regenerate(ctx: EmulatorContext, accountId: string, keyName: 'Key1' | 'Key2'): AccountKeys {
  const keys = keysOf(ctx, accountId);
  if (keyName === 'Key1') keys.key1 = newKey();
  else keys.key2 = newKey();
  return keys;
}

export function forgetKeys(ctx: EmulatorContext, accountId: string): void {
  delete store(ctx)[keyOf(accountId)];
}

/** The account (id) whose key1 or key2 this is. */
export function accountWithKey(ctx: EmulatorContext, key: string): string | undefined {
  for (const [id, k] of Object.entries(store(ctx))) if (k.key1 === key || k.key2 === key) return id;
  return undefined;
}
