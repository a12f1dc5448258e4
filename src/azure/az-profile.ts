/**
 * The Azure CLI's current subscription, read the way `az account show` picks it: the entry of
 * `azureProfile.json` (in AZURE_CONFIG_DIR, default ~/.azure) marked `isDefault` among those of
 * the active cloud (`[cloud] name` in the `config` file, or AZURE_CLOUD_NAME; AzureCloud when unset).
 * Evidence: azure-cli 2.45 `azure/cli/core/_profile.py` (get_subscription, load_cached_subscriptions)
 * and `cloud.py` (get_active_cloud_name); az writes both files as UTF-8 with a BOM (`utf-8-sig`).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AzureCliSubscription {
  id: string;
  name: string;
  tenantId?: string;
  cloud: string;
}

interface ProfileEntry {
  id?: unknown;
  name?: unknown;
  tenantId?: unknown;
  isDefault?: unknown;
  environmentName?: unknown;
}

export function azureCliConfigDir(env: NodeJS.ProcessEnv): string {
  return env.AZURE_CONFIG_DIR || join(homedir(), '.azure');
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** The active cloud's name as az reads it (knack lets AZURE_CLOUD_NAME override the config file). */
export function azureCliActiveCloud(env: NodeJS.ProcessEnv): string {
  if (env.AZURE_CLOUD_NAME) return env.AZURE_CLOUD_NAME;
  const config = readText(join(azureCliConfigDir(env), 'config')) ?? '';
  let section = '';
  for (const line of config.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      continue;
    }
    const option = /^\s*name\s*[=:]\s*(.*?)\s*$/i.exec(line);
    if (section === 'cloud' && option && option[1]) return option[1];
  }
  return 'AzureCloud';
}

/** The subscription `az account show` would use, or undefined when az has no login on this machine. */
export function azureCliDefaultSubscription(env: NodeJS.ProcessEnv): AzureCliSubscription | undefined {
  const text = readText(join(azureCliConfigDir(env), 'azureProfile.json'));
  if (!text) return undefined;
  let profile: { subscriptions?: ProfileEntry[] };
  try {
    profile = JSON.parse(text);
  } catch {
    return undefined;
  }
  const cloud = azureCliActiveCloud(env);
  const entry = (Array.isArray(profile.subscriptions) ? profile.subscriptions : []).find(
    (s) => s.isDefault === true && typeof s.id === 'string' && String(s.environmentName ?? '').toLowerCase() === cloud.toLowerCase(),
  );
  if (!entry) return undefined;
  return {
    id: entry.id as string,
    name: typeof entry.name === 'string' ? entry.name : (entry.id as string),
    tenantId: typeof entry.tenantId === 'string' ? entry.tenantId : undefined,
    cloud,
  };
}

/**
 * The az default subscription when the run signed in with az: always with the Azure CLI credential,
 * and with Azure's default chain when no service principal is configured in the environment
 * (the chain then falls through to the Azure CLI's login).
 */
export function subscriptionFromAzureCli(signIn: string, env: NodeJS.ProcessEnv): AzureCliSubscription | undefined {
  const signedInWithAz = signIn === 'azure-cli' || (signIn === 'default-chain' && !env.AZURE_CLIENT_ID);
  return signedInWithAz ? azureCliDefaultSubscription(env) : undefined;
}
