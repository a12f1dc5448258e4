/** Account access keys: kept in the emulator's private extras, never in a GET body. */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../../context.js';
import { keyOf } from '../../arm/ids.js';

interface AccountKeys {
  key1: string;
  key2: string;
}

function store(ctx: EmulatorContext): Record<string, AccountKeys> {
  return ((ctx.state.extras.storageKeys as Record<string, AccountKeys> | undefined) ??= {});
}

const newKey = () => randomBytes(64).toString('base64');

export function keysOf(ctx: EmulatorContext, accountId: string): AccountKeys {
  return (store(ctx)[keyOf(accountId)] ??= { key1: newKey(), key2: newKey() });
}

export function regenerateKey(ctx: EmulatorContext, accountId: string, keyName: 'key1' | 'key2'): void {
  keysOf(ctx, accountId)[keyName] = newKey();
}

export function forgetKeys(ctx: EmulatorContext, accountId: string): void {
  delete store(ctx)[keyOf(accountId)];
}

export function listKeysBody(ctx: EmulatorContext, account: Record<string, any>): Record<string, unknown> {
  const k = keysOf(ctx, account.id);
  const created = account.properties?.keyCreationTime ?? {};
  return {
    keys: (['key1', 'key2'] as const).map((keyName) => ({ creationTime: created[keyName], keyName, value: k[keyName], permissions: 'FULL' })),
  };
}
