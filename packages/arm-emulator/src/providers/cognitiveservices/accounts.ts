/**
 * Microsoft.CognitiveServices/accounts: create/replace (PUT), update (PATCH, JSON merge), delete,
 * get, list, keys. Writes are long-running by `provisioningState` in the body, which the SDK polls.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { locationRequired } from '../../arm/errors.js';
import { mergePatch, page, requireBody, systemData, validateTags } from '../../arm/protocol.js';
import { resourceGroupScope, subscriptionScope } from '../../arm/ids.js';
import { ACCOUNT_TYPE } from './api.js';
import { acceptedDelete, acceptedWrite } from './lro.js';
import { accountEndpoint, normalizeLocation } from './cloud.js';
import { validateKind, validateSku, validateSubdomain, validateNetworkAcls, validatePublicNetworkAccess } from './account-rules.js';
import { applyIdentity } from './identity.js';
import { accountInOtherLocation, customDomainInUse, keyNameInvalid, localAuthDisabled, updatingCustomDomainNotAllowed } from './errors.js';
import { accountIdOf, requireAccount, allAccounts, accountBySubdomain } from './model.js';
import { resourceView } from '../private-link.js';
import { keysOf, regenerate, forgetKeys } from './keys.js';

/** Properties the service computes; a client's values for them are ignored. */
const READ_ONLY = [
  'provisioningState', 'endpoint', 'internalId', 'capabilities', 'isMigrated', 'dateCreated', 'endpoints',
  'privateEndpointConnections', 'skuChangeInfo', 'callRateLimit', 'quotaLimit', 'deletionDate', 'scheduledPurgeDate',
  'abusePenalty', 'commitmentPlanAssociations', 'locations',
];

function etag(ctx: EmulatorContext): string {
  return `W/"datetime'${encodeURIComponent(new Date(ctx.now()).toISOString().replace('Z', '0000Z'))}'"`;
}

function writableProperties(props: unknown): Record<string, any> {
  const out: Record<string, any> = { ...((props as Record<string, any>) ?? {}) };
  for (const k of READ_ONLY) delete out[k];
  return out;
}

/** The subdomain after a write: set once, then never changed or removed. */
function nextSubdomain(ctx: EmulatorContext, accountId: string, current: string | undefined, requested: unknown): string | undefined {
  if (current) {
    if (typeof requested !== 'string' || requested.toLowerCase() !== current.toLowerCase()) throw updatingCustomDomainNotAllowed();
    return current;
  }
  if (requested === undefined || requested === null || requested === '') return undefined;
  const sub = validateSubdomain(requested);
  const holder = accountBySubdomain(ctx, sub);
  if (holder && holder.id.toLowerCase() !== accountId.toLowerCase()) throw customDomainInUse(sub);
  return sub;
}

/** Validates and builds the stored account from what the client asked for. */
function buildAccount(
  ctx: EmulatorContext, req: ArmRequest, existing: Resource | undefined,
  wanted: { location: string; kind: string; sku: unknown; tags?: unknown; identity?: unknown; properties: Record<string, any> },
  subdomainRequested: unknown,
): Resource {
  const id = existing?.id ?? accountIdOf(req);
  const kind = existing?.kind ?? validateKind(wanted.kind);
  const sku = validateSku(kind, wanted.sku);
  validateTags(wanted.tags);
  const subdomain = nextSubdomain(ctx, id, existing?.properties?.customSubDomainName, subdomainRequested);
  const props = writableProperties(wanted.properties);
  validatePublicNetworkAccess(props.publicNetworkAccess);
  const networkAcls = validateNetworkAcls(props.networkAcls, Boolean(subdomain));
  const identity = applyIdentity(ctx, id, req.params.accountName, existing?.identity, wanted.identity);
  const endpoint = accountEndpoint(wanted.location, subdomain);
  const now = new Date(ctx.now()).toISOString();
  const account: Resource = {
    id,
    name: existing?.name ?? req.params.accountName,
    type: ACCOUNT_TYPE,
    etag: etag(ctx),
    location: wanted.location,
    sku,
    kind,
    ...(wanted.tags ? { tags: wanted.tags } : {}),
    ...(identity && identity.type !== 'None' ? { identity } : {}),
    properties: {
      ...props,
      ...(subdomain ? { customSubDomainName: subdomain } : {}),
      ...(networkAcls ? { networkAcls: { ipRules: [], virtualNetworkRules: [], ...networkAcls } } : {}),
      publicNetworkAccess: props.publicNetworkAccess ?? 'Enabled',
      endpoint,
      endpoints: { [kind]: endpoint },
      internalId: existing?.properties?.internalId ?? ctx.newGuid().replace(/-/g, ''),
      dateCreated: existing?.properties?.dateCreated ?? now,
      isMigrated: false,
      capabilities: existing?.properties?.capabilities ?? [{ name: 'VirtualNetworks' }, { name: 'CustomerManagedKey' }],
      provisioningState: existing ? 'Accepted' : 'Creating',
    },
    systemData: systemData(ctx, req, existing?.systemData),
  };
  if (!subdomain) delete account.properties.customSubDomainName;
  return account;
}

export function putAccount(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const body = requireBody(req);
  const existing = ctx.state.get(accountIdOf(req));
  if (!body.location) throw locationRequired();
  const location = normalizeLocation(body.location);
  if (existing && normalizeLocation(existing.location) !== location) {
    throw accountInOtherLocation(existing.name, existing.location, location);
  }
  const account = buildAccount(ctx, req, existing, {
    location, kind: body.kind, sku: body.sku, tags: body.tags, identity: body.identity, properties: body.properties ?? {},
  }, body.properties?.customSubDomainName);
  return acceptedWrite(ctx, req, account, 'put', !existing, resourceView(ctx, account));
}

export function patchAccount(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const body = requireBody(req);
  const existing = requireAccount(req, ctx);
  const base = writableProperties(existing.properties);
  // networkAcls is replaced whole, not merged key by key: the Azure CLI's network-rule commands read the whole
  // rule set and send it back (azure-cli cognitiveservices/custom.py add_network_rule / remove_network_rule).
  if (body.properties?.networkAcls !== undefined) delete base.networkAcls;
  const merged = mergePatch(
    { tags: existing.tags, sku: existing.sku, properties: base },
    Object.fromEntries(Object.entries({ tags: body.tags, sku: body.sku, properties: body.properties }).filter(([, v]) => v !== undefined)),
  ) as { tags?: unknown; sku: unknown; properties: Record<string, any> };
  const subdomainRequested = body.properties && 'customSubDomainName' in body.properties
    ? body.properties.customSubDomainName
    : existing.properties?.customSubDomainName;
  const account = buildAccount(ctx, req, existing, {
    location: existing.location, kind: existing.kind, sku: merged.sku, tags: merged.tags, identity: body.identity, properties: merged.properties ?? {},
  }, subdomainRequested);
  return acceptedWrite(ctx, req, account, 'patch', false, resourceView(ctx, account));
}

export function deleteAccount(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const account = ctx.state.get(accountIdOf(req));
  if (!account) return { status: 204 };
  const principalId = account.identity?.principalId;
  if (principalId) ctx.state.principals.delete(String(principalId).toLowerCase());
  forgetKeys(ctx, account.id);
  account.properties = { ...account.properties, provisioningState: 'Deleting' };
  return acceptedDelete(ctx, req, account.id, account.location);
}

export function getAccount(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  return { status: 200, body: resourceView(ctx, requireAccount(req, ctx)) };
}

export function listAccountsInGroup(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const scope = resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName);
  return page(req, ctx, allAccounts(ctx, scope).map((a) => resourceView(ctx, a)));
}

export function listAccountsInSubscription(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  return page(req, ctx, allAccounts(ctx, subscriptionScope(req.params.subscriptionId)).map((a) => resourceView(ctx, a)));
}

export function listKeys(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const account = requireAccount(req, ctx);
  if (account.properties?.disableLocalAuth === true) {
    throw localAuthDisabled();
  }
  return { status: 200, body: { ...keysOf(ctx, account.id) } };
}

export function regenerateKey(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const account = requireAccount(req, ctx);
  const keyName = requireBody(req).keyName;
  if (keyName !== 'Key1' && keyName !== 'Key2') {
    throw keyNameInvalid(keyName);
  }
  return { status: 200, body: { ...regenerate(ctx, account.id, keyName) } };
}
