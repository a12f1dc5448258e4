/**
 * Blob contents, kept in the emulator's private extras as `blobs[accountIdLowercase][container][blob] = { contentType, base64 }`
 * (the shape scenarios use). Containers and blobs carry no timestamps there, so their ETag and Last-Modified are derived.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../../context.js';
import { keyOf } from '../../arm/ids.js';

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
