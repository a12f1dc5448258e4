/** The writable properties of a storage account, validated as the storage resource provider does. */
import { invalidValues } from './errors.js';
import { mergePatch } from '../../arm/protocol.js';
import type { EmulatorContext } from '../../context.js';
import { validateNetworkAcls } from './network-acls.js';

/** Properties Azure computes; a client sending them back (e.g. a GET-modify-PUT) has them ignored. */
const READ_ONLY = new Set([
  'provisioningState', 'primaryEndpoints', 'primaryLocation', 'statusOfPrimary', 'lastGeoFailoverTime', 'secondaryLocation',
  'statusOfSecondary', 'creationTime', 'secondaryEndpoints', 'privateEndpointConnections', 'keyCreationTime', 'geoReplicationStats',
  'blobRestoreStatus', 'failoverInProgress', 'storageAccountSkuConversionStatus', 'accountMigrationInProgress', 'isSkuConversionBlocked',
]);

const ENUMS: Record<string, string[]> = {
  publicNetworkAccess: ['Enabled', 'Disabled', 'SecuredByPerimeter'],
  minimumTlsVersion: ['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3'],
  accessTier: ['Hot', 'Cool', 'Premium', 'Cold'],
  dnsEndpointType: ['Standard', 'AzureDnsZone'],
  allowedCopyScope: ['PrivateLink', 'AAD'],
  largeFileSharesState: ['Disabled', 'Enabled'],
};

const BOOLEANS = [
  'supportsHttpsTrafficOnly', 'allowBlobPublicAccess', 'allowSharedKeyAccess', 'allowCrossTenantReplication',
  'defaultToOAuthAuthentication', 'isHnsEnabled', 'isSftpEnabled', 'isLocalUserEnabled', 'isNfsV3Enabled', 'enableExtendedGroups',
];

/** The request's writable properties with enums in Azure's casing and the rule set normalised. */
export function writableProperties(ctx: EmulatorContext, props: unknown): Record<string, any> {
  if (props === undefined || props === null) return {};
  if (typeof props !== 'object' || Array.isArray(props)) throw invalidValues('properties');
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
    if (READ_ONLY.has(k) || v === undefined) continue;
    if (ENUMS[k] && v !== null) {
      const canonical = ENUMS[k].find((e) => e.toLowerCase() === String(v).toLowerCase());
      if (!canonical) throw invalidValues(k);
      out[k] = canonical;
    } else if (BOOLEANS.includes(k) && v !== null && typeof v !== 'boolean') {
      throw invalidValues(k);
    } else if (k === 'networkAcls' && v !== null) {
      out[k] = validateNetworkAcls(ctx, v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Applies writable properties: objects merge, except the firewall rule set, which a write replaces whole. */
export function applyProperties(existing: Record<string, any>, changes: Record<string, any>): Record<string, any> {
  const { networkAcls, ...rest } = changes;
  const merged = mergePatch(existing, rest);
  if (networkAcls) merged.networkAcls = networkAcls;
  return merged;
}
