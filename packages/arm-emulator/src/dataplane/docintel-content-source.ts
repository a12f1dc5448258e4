/**
 * Fetching `urlSource`: Azure downloads it as the account's system-assigned managed identity.
 * A blob of a storage account in the emulator is read through the storage rules
 * (`checkBlobRead` in providers/storage/access.ts); anything else is unreachable offline.
 */
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import { checkBlobRead } from '../providers/storage/access.js';

export type ContentFetch = { ok: true; content: Buffer } | { ok: false; message: string };

const BLOB_HOST = /\.blob\.core\.(windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/i;

export async function fetchUrlSource(ctx: EmulatorContext, account: Resource, urlSource: string): Promise<ContentFetch> {
  let url: URL;
  try {
    url = new URL(urlSource);
  } catch {
    return { ok: false, message: 'Content is not accessible: Invalid data URL' };
  }
  if (!BLOB_HOST.test(url.hostname)) return { ok: false, message: 'Content is not accessible: Could not download the file from the given URL.' };
  const principalId = account.identity?.type?.includes('SystemAssigned') ? account.identity.principalId : undefined;
  const decision = checkBlobRead(ctx, urlSource, { kind: 'service', resourceId: account.id, principalId });
  if (!decision.ok || !decision.content) return { ok: false, message: 'Content is not accessible: Invalid data URL' };
  return { ok: true, content: decision.content };
}
