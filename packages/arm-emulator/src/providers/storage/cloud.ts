/** Which Azure cloud a storage account lives in, and the host-name suffixes that follow from it. */

export type StorageCloud = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export const STORAGE_SUFFIXES: Record<StorageCloud, string> = {
  AzureCloud: 'core.windows.net',
  AzureUSGovernment: 'core.usgovcloudapi.net',
  AzureChinaCloud: 'core.chinacloudapi.cn',
};

export function cloudOfLocation(location: string | undefined): StorageCloud {
  const l = String(location ?? '').toLowerCase();
  if (l.startsWith('usgov') || l.startsWith('usdod')) return 'AzureUSGovernment';
  if (l.startsWith('china')) return 'AzureChinaCloud';
  return 'AzureCloud';
}

export function storageSuffix(location: string | undefined): string {
  return STORAGE_SUFFIXES[cloudOfLocation(location)];
}

/** `https://{account}.{service}.{suffix}/` for each service of a general-purpose v2 account. */
export function primaryEndpoints(account: string, location: string): Record<string, string> {
  const s = storageSuffix(location);
  return {
    dfs: `https://${account}.dfs.${s}/`,
    web: `https://${account}.z13.web.${s}/`,
    blob: `https://${account}.blob.${s}/`,
    queue: `https://${account}.queue.${s}/`,
    table: `https://${account}.table.${s}/`,
    file: `https://${account}.file.${s}/`,
  };
}
