/** Per-cloud endpoints, private DNS zone names and token audiences. */

export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface Cloud {
  name: CloudName;
  resourceManager: string;
  authorityHost: string;
  /** `.default` scope for ARM tokens */
  armScope: string;
  cognitiveServicesSuffix: string;
  blobSuffix: string;
  cognitiveServicesAudience: string;
  storageAudience: string;
}

export const CLOUDS: Record<CloudName, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    resourceManager: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    armScope: 'https://management.azure.com/.default',
    cognitiveServicesSuffix: 'cognitiveservices.azure.com',
    blobSuffix: 'blob.core.windows.net',
    cognitiveServicesAudience: 'https://cognitiveservices.azure.com/.default',
    storageAudience: 'https://storage.azure.com/.default',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    resourceManager: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    armScope: 'https://management.usgovcloudapi.net/.default',
    cognitiveServicesSuffix: 'cognitiveservices.azure.us',
    blobSuffix: 'blob.core.usgovcloudapi.net',
    cognitiveServicesAudience: 'https://cognitiveservices.azure.us/.default',
    storageAudience: 'https://storage.azure.com/.default',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    resourceManager: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    cognitiveServicesSuffix: 'cognitiveservices.azure.cn',
    blobSuffix: 'blob.core.chinacloudapi.cn',
    cognitiveServicesAudience: 'https://cognitiveservices.azure.cn/.default',
    storageAudience: 'https://storage.azure.com/.default',
  },
};

export type PrivateLinkService = 'account' | 'blob';

/** The private DNS zone Azure documents for a private endpoint of this service in this cloud. */
export function privateDnsZoneName(cloud: Cloud, service: PrivateLinkService): string {
  return `privatelink.${service === 'account' ? cloud.cognitiveServicesSuffix : cloud.blobSuffix}`;
}

export function parseCloud(name: string | undefined): Cloud | undefined {
  if (!name) return CLOUDS.AzureCloud;
  const key = (Object.keys(CLOUDS) as CloudName[]).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? CLOUDS[key] : undefined;
}
