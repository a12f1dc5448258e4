/** The host names clients use for each private link target: what private DNS must answer for. */
import type { Cloud } from '../core/cloud.js';

export function accountHost(cloud: Cloud, customSubDomainName: string | undefined): string | undefined {
  return customSubDomainName ? `${customSubDomainName.toLowerCase()}.${cloud.cognitiveServicesSuffix}` : undefined;
}

export function blobHost(cloud: Cloud, storage: { name: string; primaryEndpoints?: { blob?: string } }): string {
  const blob = storage.primaryEndpoints?.blob;
  return blob ? new URL(blob).hostname : `${storage.name}.${cloud.blobSuffix}`;
}
