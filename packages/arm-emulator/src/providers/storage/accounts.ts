/** Microsoft.Storage/storageAccounts: create (202 + Location), read, list, update (PATCH), delete, keys, name availability. */
import type { Router, ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { locationRequired } from '../../arm/errors.js';
import { accountInAnotherResourceGroup, accountInOtherLocation, accountNameTaken, invalidValues } from './errors.js';
import { page, requireBody, validateTags, json } from '../../arm/protocol.js';
import { beginOperation, locationUrl, retryAfterSeconds } from '../../arm/lro.js';
import { parseResourceId, resourceGroupScope, subscriptionScope, keyOf } from '../../arm/ids.js';
import { resourceView } from '../private-link.js';
import { storageApi, NAMESPACE, ACCOUNT_TYPE, ACCOUNT_PATH } from './api.js';
import { accountId, findAccount, forgetKeys, keysOf, listKeysBody, regenerateKey } from './model.js';
import { assertValidAccountName, accountNamed, checkNameAvailability } from './account-name.js';
import { writableProperties, applyProperties } from './account-properties.js';
import { DEFAULT_NETWORK_ACLS } from './network-acls.js';
import { primaryEndpoints } from './cloud.js';
import { defaultBlobService } from './blob-services.js';

const API = storageApi('storageAccounts');
const SKUS = ['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Premium_LRS', 'Premium_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'StandardV2_LRS', 'StandardV2_GRS', 'StandardV2_ZRS', 'StandardV2_GZRS', 'PremiumV2_LRS', 'PremiumV2_ZRS'];
const KINDS = ['Storage', 'StorageV2', 'BlobStorage', 'FileStorage', 'BlockBlobStorage'];

function canonical(list: string[], value: unknown, path: string): string {
  const hit = list.find((v) => v.toLowerCase() === String(value ?? '').toLowerCase());
  if (!hit) throw invalidValues(path);
  return hit;
}

function skuBody(sku: any): Record<string, string> {
  const name = canonical(SKUS, sku?.name, 'sku.name');
  return { name, tier: name.startsWith('Premium') ? 'Premium' : 'Standard' };
}

function identityBody(ctx: EmulatorContext, id: string, name: string, requested: any, existing?: any): Record<string, any> | undefined {
  if (!requested) return existing;
  const type = String(requested.type ?? 'None');
  if (!/^(None|SystemAssigned|UserAssigned|SystemAssigned,\s*UserAssigned)$/i.test(type)) {
    throw invalidValues('identity.type');
  }
  if (/^none$/i.test(type)) return { type: 'None' };
  const out: Record<string, any> = { type: requested.type };
  if (/system/i.test(type)) {
    const principalId = existing?.principalId ?? ctx.createManagedIdentityPrincipal(id, name).objectId;
    Object.assign(out, { principalId, tenantId: ctx.state.tenantId });
  }
  if (requested.userAssignedIdentities) out.userAssignedIdentities = requested.userAssignedIdentities;
  return out;
}

function createAccount(ctx: EmulatorContext, req: ArmRequest, body: Record<string, any>) {
  const id = accountId(req);
  const name = req.params.accountName;
  const location = String(body.location).toLowerCase().replace(/\s+/g, '');
  const kind = canonical(KINDS, body.kind, 'kind');
  const sku = skuBody(body.sku);
  const now = new Date(ctx.now()).toISOString();
  const props = writableProperties(ctx, body.properties);
  const geo = /GRS|GZRS/.test(sku.name);
  const account: Resource = {
    id,
    name,
    type: ACCOUNT_TYPE,
    location,
    kind,
    sku,
    tags: body.tags ?? {},
    properties: applyProperties(
      {
        keyCreationTime: { key1: now, key2: now },
        allowCrossTenantReplication: false,
        privateEndpointConnections: [],
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        networkAcls: DEFAULT_NETWORK_ACLS,
        supportsHttpsTrafficOnly: true,
        encryption: {
          requireInfrastructureEncryption: false,
          services: {
            file: { keyType: 'Account', enabled: true, lastEnabledTime: now },
            blob: { keyType: 'Account', enabled: true, lastEnabledTime: now },
          },
          keySource: 'Microsoft.Storage',
        },
        ...(kind === 'StorageV2' || kind === 'BlobStorage' ? { accessTier: 'Hot' } : {}),
        provisioningState: 'Creating',
        creationTime: now,
        primaryEndpoints: primaryEndpoints(name, location),
        primaryLocation: location,
        statusOfPrimary: 'available',
        ...(geo ? { secondaryLocation: location, statusOfSecondary: 'available' } : {}),
      },
      props,
    ),
  };
  const identity = identityBody(ctx, id, name, body.identity);
  if (identity) account.identity = identity;
  if (body.extendedLocation) account.extendedLocation = body.extendedLocation;
  ctx.state.put(account);
  ctx.state.put(defaultBlobService(account));
  keysOf(ctx, id);
  const op = beginOperation(ctx, id, 'put', { inProgressState: 'Creating' });
  const url = `${locationUrl(ctx, op, NAMESPACE, location, req.apiVersion, 'asyncoperations')}&monitor=true`;
  return json(202, undefined, { location: url, 'retry-after': retryAfterSeconds(ctx, op) });
}

function updateAccount(ctx: EmulatorContext, req: ArmRequest, existing: Resource, body: Record<string, any>): Resource {
  validateTags(body.tags);
  const changes = writableProperties(ctx, body.properties);
  const next: Resource = { ...existing, properties: applyProperties(existing.properties ?? {}, changes) };
  if (body.tags) next.tags = body.tags;
  if (body.sku) next.sku = skuBody(body.sku);
  if (body.kind) next.kind = canonical(KINDS, body.kind, 'kind');
  const identity = identityBody(ctx, existing.id, existing.name, body.identity, existing.identity);
  if (identity) next.identity = identity;
  return ctx.state.put(next);
}

export function registerAccounts(router: Router): void {
  router.add({
    method: 'POST',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Storage/checkNameAvailability',
    api: API,
    handler: (req, ctx) => json(200, checkNameAvailability(ctx, requireBody(req))),
  });
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts',
    api: API,
    handler: (req, ctx) => page(req, ctx, ctx.state.ofType(ACCOUNT_TYPE, subscriptionScope(req.params.subscriptionId)).map((a) => resourceView(ctx, a))),
  });
  router.add({
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts',
    api: API,
    handler: (req, ctx) =>
      page(req, ctx, ctx.state.ofType(ACCOUNT_TYPE, resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName)).map((a) => resourceView(ctx, a))),
  });
  router.add({
    method: 'GET',
    template: ACCOUNT_PATH,
    api: API,
    // $expand (geoReplicationStats, blobRestoreStatus) names data the emulator does not model; it is ignored.
    handler: (req, ctx) => json(200, resourceView(ctx, findAccount(ctx, req))),
  });
  router.add({
    method: 'PUT',
    template: ACCOUNT_PATH,
    api: API,
    action: 'Microsoft.Storage/storageAccounts/write',
    handler: (req, ctx) => {
      const body = requireBody(req);
      const name = req.params.accountName;
      assertValidAccountName(name);
      if (!body.location) throw locationRequired();
      if (!body.sku) throw invalidValues('sku');
      if (!body.kind) throw invalidValues('kind');
      validateTags(body.tags);
      const holder = accountNamed(ctx, name);
      if (holder && keyOf(holder.id) !== keyOf(accountId(req))) {
        const sameSubscription = parseResourceId(holder.id).subscriptionId?.toLowerCase() === req.params.subscriptionId.toLowerCase();
        if (sameSubscription) {
          throw accountInAnotherResourceGroup(name);
        }
        throw accountNameTaken(name);
      }
      if (holder) {
        if (String(holder.location).toLowerCase() !== String(body.location).toLowerCase().replace(/\s+/g, '')) {
          throw accountInOtherLocation(name, String(holder.location), req.params.resourceGroupName, String(body.location));
        }
        return json(200, resourceView(ctx, updateAccount(ctx, req, holder, body)));
      }
      return createAccount(ctx, req, body);
    },
  });
  router.add({
    method: 'PATCH',
    template: ACCOUNT_PATH,
    api: API,
    action: 'Microsoft.Storage/storageAccounts/write',
    handler: (req, ctx) => json(200, resourceView(ctx, updateAccount(ctx, req, findAccount(ctx, req), requireBody(req)))),
  });
  router.add({
    method: 'DELETE',
    template: ACCOUNT_PATH,
    api: API,
    action: 'Microsoft.Storage/storageAccounts/delete',
    handler: (req, ctx) => {
      const id = accountId(req);
      if (!ctx.state.delete(id)) return json(204);
      forgetKeys(ctx, id);
      const blobs = ctx.state.extras.blobs as Record<string, unknown> | undefined;
      if (blobs) delete blobs[keyOf(id)];
      return json(200);
    },
  });
  router.add({
    method: 'POST',
    template: `${ACCOUNT_PATH}/listKeys`,
    api: API,
    action: 'Microsoft.Storage/storageAccounts/listkeys/action',
    handler: (req, ctx) => json(200, listKeysBody(ctx, findAccount(ctx, req))),
  });
  router.add({
    method: 'POST',
    template: `${ACCOUNT_PATH}/regenerateKey`,
    api: API,
    action: 'Microsoft.Storage/storageAccounts/regeneratekey/action',
    handler: (req, ctx) => {
      const account = findAccount(ctx, req);
      const keyName = String(requireBody(req).keyName ?? '').toLowerCase();
      if (keyName !== 'key1' && keyName !== 'key2') {
        throw invalidValues('keyName');
      }
      regenerateKey(ctx, account.id, keyName);
      account.properties.keyCreationTime = { ...account.properties.keyCreationTime, [keyName]: new Date(ctx.now()).toISOString() };
      return json(200, listKeysBody(ctx, account));
    },
  });
}
