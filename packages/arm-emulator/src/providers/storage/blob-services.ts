/** Microsoft.Storage/storageAccounts/blobServices/default and its containers (ARM side). */
import type { Router, ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { containerNameInvalid, containerNotFound, invalidValues } from './errors.js';
import { page, requireBody, mergePatch, json } from '../../arm/protocol.js';
import { storageApi, ACCOUNT_PATH } from './api.js';
import { containerNamed, containersOf, ensureContainer, findAccount } from './model.js';
import { validateCorsRules, type CorsRule } from './cors.js';

const SERVICE_API = storageApi('storageAccounts/blobServices');
const CONTAINER_API = storageApi('storageAccounts/blobServices/containers');
const SERVICE_TYPE = 'Microsoft.Storage/storageAccounts/blobServices';
const CONTAINER_TYPE = 'Microsoft.Storage/storageAccounts/blobServices/containers';

export function defaultBlobService(account: Resource): Resource {
  return {
    id: `${account.id}/blobServices/default`,
    name: 'default',
    type: SERVICE_TYPE,
    sku: account.sku,
    properties: { cors: { corsRules: [] }, deleteRetentionPolicy: { allowPermanentDelete: false, enabled: false } },
  };
}

/** The service as a GET returns it: every CORS rule carries all four lists and its max age. */
function serviceView(service: Resource): Resource {
  const view = structuredClone(service);
  view.properties ??= {};
  view.properties.cors = validateCorsRules(view.properties.cors ?? { corsRules: [] });
  return view;
}

function serviceOf(ctx: EmulatorContext, account: Resource): Resource {
  return ctx.state.get(`${account.id}/blobServices/default`) ?? ctx.state.put(defaultBlobService(account));
}

export function corsRulesOf(ctx: EmulatorContext, account: Resource): CorsRule[] {
  return serviceView(serviceOf(ctx, account)).properties.cors.corsRules;
}

function assertDefault(req: ArmRequest): void {
  if (req.params.BlobServicesName.toLowerCase() !== 'default') {
    throw invalidValues('BlobServicesName');
  }
}

function containerBody(account: Resource, name: string, etag: string, lastModified: string): Resource {
  return {
    id: `${account.id}/blobServices/default/containers/${name}`,
    name,
    type: CONTAINER_TYPE,
    etag,
    properties: {
      deleted: false,
      remainingRetentionDays: 0,
      defaultEncryptionScope: '$account-encryption-key',
      denyEncryptionScopeOverride: false,
      publicAccess: 'None',
      leaseStatus: 'Unlocked',
      leaseState: 'Available',
      lastModifiedTime: lastModified,
      hasImmutabilityPolicy: false,
      hasLegalHold: false,
    },
  };
}

export function registerBlobServices(router: Router): void {
  const SERVICES = `${ACCOUNT_PATH}/blobServices`;
  const SERVICE = `${SERVICES}/{BlobServicesName}`;
  const CONTAINERS = `${ACCOUNT_PATH}/blobServices/default/containers`;
  router.add({
    method: 'GET',
    template: SERVICES,
    api: SERVICE_API,
    handler: (req, ctx) => json(200, { value: [serviceView(serviceOf(ctx, findAccount(ctx, req)))] }),
  });
  router.add({
    method: 'GET',
    template: SERVICE,
    api: SERVICE_API,
    handler: (req, ctx) => {
      assertDefault(req);
      return json(200, serviceView(serviceOf(ctx, findAccount(ctx, req))));
    },
  });
  router.add({
    method: 'PUT',
    template: SERVICE,
    api: SERVICE_API,
    action: 'Microsoft.Storage/storageAccounts/blobServices/write',
    handler: (req, ctx) => {
      assertDefault(req);
      const account = findAccount(ctx, req);
      const service = serviceOf(ctx, account);
      const { cors, ...rest } = (requireBody(req).properties ?? {}) as Record<string, unknown>;
      // Like Set Blob Service Properties: settings the request leaves out keep their values.
      const properties = mergePatch(service.properties ?? {}, rest) as Record<string, any>;
      if (cors !== undefined) properties.cors = validateCorsRules(cors);
      const updated = ctx.state.put({ ...service, sku: account.sku, properties });
      return json(200, serviceView(updated));
    },
  });
  router.add({
    method: 'GET',
    template: CONTAINERS,
    api: CONTAINER_API,
    handler: (req, ctx) => {
      const account = findAccount(ctx, req);
      return page(req, ctx, containersOf(ctx, account.id).map((c) => containerBody(account, c.name, c.etag, c.lastModified)));
    },
  });
  router.add({
    method: 'GET',
    template: `${CONTAINERS}/{containerName}`,
    api: CONTAINER_API,
    handler: (req, ctx) => {
      const account = findAccount(ctx, req);
      const c = containerNamed(ctx, account.id, req.params.containerName);
      if (!c) throw containerNotFound();
      return json(200, containerBody(account, c.name, c.etag, c.lastModified));
    },
  });
  router.add({
    method: 'PUT',
    template: `${CONTAINERS}/{containerName}`,
    api: CONTAINER_API,
    action: 'Microsoft.Storage/storageAccounts/blobServices/containers/write',
    handler: (req, ctx) => {
      const account = findAccount(ctx, req);
      const name = req.params.containerName;
      if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
        throw containerNameInvalid();
      }
      const existed = !!containerNamed(ctx, account.id, name);
      const c = ensureContainer(ctx, account.id, name);
      return json(existed ? 200 : 201, containerBody(account, c.name, c.etag, c.lastModified));
    },
  });
}
