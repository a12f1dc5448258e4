/**
 * Who may read a blob, decided as Azure Storage does: first the network path (firewall, private endpoints,
 * exceptions), then authorization (Entra principal holding the blob read data action, or anonymous access).
 * The Document Intelligence data plane calls `checkBlobRead` to read a blob as an account's managed identity.
 */
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import type { AccessDecision, DataPlaneCaller } from '../../dataplane/position.js';
import { principalCan } from '../authorization/authorizer.js';
import { accountNamed } from './account-name.js';
import { networkOutcome } from './firewall.js';
import { unreachableDecision } from '../../dataplane/resolve.js';
import { containerNamed, readBlob } from './model.js';
import { STORAGE_SUFFIXES } from './cloud.js';

export const BLOB_READ_DATA_ACTION = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';

type Denial = Extract<AccessDecision, { ok: false }>;

const deny = (status: number, code: string, message: string): Denial => ({ ok: false, status, code, message });

export const DENIALS = {
  network: () => deny(403, 'AuthorizationFailure', 'This request is not authorized to perform this operation.'),
  permission: () => deny(403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.'),
  publicAccessNotPermitted: () => deny(409, 'PublicAccessNotPermitted', 'Public access is not permitted on this storage account.'),
  resourceNotFound: () => deny(404, 'ResourceNotFound', 'The specified resource does not exist.'),
  containerNotFound: () => deny(404, 'ContainerNotFound', 'The specified container does not exist.'),
  blobNotFound: () => deny(404, 'BlobNotFound', 'The specified blob does not exist.'),
};

const BLOB_HOST = new RegExp(`^([a-z0-9]{3,24})\\.blob\\.(${Object.values(STORAGE_SUFFIXES).map((s) => s.replace(/\./g, '\\.')).join('|')})$`);

/** The account name in a blob host name such as `stdocinteldemo.blob.core.windows.net`. */
export function accountNameOfBlobHost(host: string): string | undefined {
  return BLOB_HOST.exec(host.toLowerCase().replace(/:\d+$/, ''))?.[1];
}

export function blobAccount(ctx: EmulatorContext, host: string): Resource | undefined {
  const name = accountNameOfBlobHost(host);
  return name ? accountNamed(ctx, name) : undefined;
}

/**
 * The network path alone: the firewall's `AuthorizationFailure`, or — when the client's DNS sends it where
 * nothing answers — the emulator's 503 `EmulatorHostUnreachable` (dataplane/resolve.ts).
 */
export function checkNetwork(ctx: EmulatorContext, account: Resource, caller: DataPlaneCaller): AccessDecision {
  const outcome = networkOutcome(ctx, account, caller);
  if (outcome.allowed) return { ok: true };
  return outcome.nowhere ? unreachableDecision(outcome.nowhere) : DENIALS.network();
}

/** Network path, then the caller's right to read blobs in the container (`principalId` from a token; none = anonymous). */
export function checkContainerRead(ctx: EmulatorContext, account: Resource, container: string, caller: DataPlaneCaller): AccessDecision {
  const network = checkNetwork(ctx, account, caller);
  if (!network.ok) return network;
  const principalId = caller.principalId;
  if (!principalId) {
    // Containers in the emulator are private; anonymous reads of a private container look like a missing resource.
    return account.properties?.allowBlobPublicAccess === true ? DENIALS.resourceNotFound() : DENIALS.publicAccessNotPermitted();
  }
  if (caller.kind === 'service' && !ctx.state.visiblePrincipal(principalId, ctx.now())) return DENIALS.permission();
  const scope = `${account.id}/blobServices/default/containers/${container}`;
  if (!principalCan(ctx, principalId, BLOB_READ_DATA_ACTION, scope, true)) return DENIALS.permission();
  return { ok: true };
}

export function checkBlobRead(
  ctx: EmulatorContext,
  blobUrl: string,
  caller: DataPlaneCaller,
): AccessDecision & { content?: Buffer; contentType?: string } {
  let url: URL;
  try {
    url = new URL(blobUrl);
  } catch {
    return DENIALS.resourceNotFound();
  }
  const account = blobAccount(ctx, url.hostname);
  if (!account) return DENIALS.resourceNotFound();
  const [container, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const blob = rest.join('/');
  if (!container || !blob) return DENIALS.resourceNotFound();
  const decision = checkContainerRead(ctx, account, container, caller);
  if (!decision.ok) return decision;
  if (!containerNamed(ctx, account.id, container)) return DENIALS.containerNotFound();
  const found = readBlob(ctx, account.id, container.toLowerCase(), blob);
  if (!found) return DENIALS.blobNotFound();
  return { ok: true, content: found.content, contentType: found.contentType };
}
