/**
 * What Microsoft.Storage keeps and how it is found: storage accounts in the store (found by the request's
 * path), their access keys and blob contents in the emulator's private extras — keys as
 * `storageKeys[accountIdLowercase]`, never in a GET body; blobs as
 * `blobs[accountIdLowercase][container][blob] = { contentType, base64 }` (the shape scenarios use).
 * Containers and blobs carry no timestamps there, so their ETag and Last-Modified are derived.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { resourceNotFound } from '../../arm/errors.js';
import { keyOf, resourceGroupScope } from '../../arm/ids.js';
import { ACCOUNT_TYPE } from './api.js';

// Accounts

export function accountId(req: ArmRequest): string {
  return `${resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName)}/providers/Microsoft.Storage/storageAccounts/${req.params.accountName}`;
}

export function findAccount(ctx: EmulatorContext, req: ArmRequest): Resource {
  const account = ctx.state.get(accountId(req));
  if (!account) throw resourceNotFound(ACCOUNT_TYPE, req.params.accountName, req.params.resourceGroupName);
  return account;
}

// Access keys

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

// Blob contents

export interface StoredBlob {
  contentType?: string;
  base64: string;
}

type Containers = Record<string, Record<string, StoredBlob>>;

const EPOCH = 'Mon, 05 Jan 2026 09:00:00 GMT';

function accountBlobs(ctx: EmulatorContext, accountId: string): Containers | undefined {
  const all = ctx.state.extras.blobs as Record<string, Containers> | undefined;
  return all?.[keyOf(accountId)];
}

function etagOf(text: string): string {
  return `"0x${createHash('sha1').update(text).digest('hex').slice(0, 15).toUpperCase()}"`;
}

export interface ContainerInfo {
  name: string;
  etag: string;
  lastModified: string;
  blobs: Record<string, StoredBlob>;
}

function info(name: string, blobs: Record<string, StoredBlob>): ContainerInfo {
  return { name, etag: etagOf(`container:${name}`), lastModified: new Date(EPOCH).toISOString(), blobs };
}

export function containersOf(ctx: EmulatorContext, accountId: string): ContainerInfo[] {
  return Object.entries(accountBlobs(ctx, accountId) ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, blobs]) => info(name, blobs));
}

/** Container names are lowercase, so lookups are exact after lowering. */
export function containerNamed(ctx: EmulatorContext, accountId: string, name: string): ContainerInfo | undefined {
  const blobs = accountBlobs(ctx, accountId)?.[name.toLowerCase()];
  return blobs ? info(name.toLowerCase(), blobs) : undefined;
}

export function ensureContainer(ctx: EmulatorContext, accountId: string, name: string): ContainerInfo {
  const all = (ctx.state.extras.blobs ??= {}) as Record<string, Containers>;
  const containers = (all[keyOf(accountId)] ??= {});
  return info(name, (containers[name] ??= {}));
}

export interface BlobContent {
  content: Buffer;
  contentType: string;
  etag: string;
  lastModified: string;
}

export function readBlob(ctx: EmulatorContext, accountId: string, container: string, blob: string): BlobContent | undefined {
  const b = containerNamed(ctx, accountId, container)?.blobs[blob];
  if (!b) return undefined;
  return { content: Buffer.from(b.base64, 'base64'), contentType: b.contentType ?? 'application/octet-stream', etag: etagOf(`${container}/${blob}:${b.base64}`), lastModified: EPOCH };
}
