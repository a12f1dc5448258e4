/**
 * Which credential a run signs in with. A client secret is only ever sent to the authority named
 * by AZURE_AUTHORITY_HOST: against another ARM endpoint nothing else is trusted to be the authority.
 */
import type { Agent } from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../core/cloud.js';
import { UsageError } from '../core/errors.js';

/** How the run signed in: the Azure CLI's login, a service principal's secret, or Azure's default chain. */
export type SignIn = 'azure-cli' | 'client-secret' | 'default-chain' | 'given';

export interface CredentialChoice {
  credential: TokenCredential;
  signIn: SignIn;
}

export async function chooseCredential(
  options: { cloud: Cloud; armEndpoint?: string },
  env: NodeJS.ProcessEnv,
  tlsOptions?: { ca: string },
  /** the session's connection pool, so the credential does not parse the CA list again */
  agent?: Agent,
): Promise<CredentialChoice> {
  const identity = await import('@azure/identity');
  if (!options.armEndpoint) {
    return {
      credential: new identity.DefaultAzureCredential({ authorityHost: env.AZURE_AUTHORITY_HOST ?? options.cloud.authorityHost, tlsOptions, agent } as never),
      signIn: 'default-chain',
    };
  }
  if (!env.AZURE_CLIENT_SECRET) {
    // `az account get-access-token` runs az with its own configuration (custom cloud, REQUESTS_CA_BUNDLE).
    const azureCli = new identity.AzureCliCredential(env.AZURE_TENANT_ID ? { tenantId: env.AZURE_TENANT_ID } : {});
    return { credential: reusingTokens(azureCli), signIn: 'azure-cli' };
  }
  const authorityHost = secretAuthority(options.armEndpoint, env);
  return {
    credential: new identity.ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET, {
      authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions,
      agent,
    } as never),
    signIn: 'client-secret',
  };
}

/** The authority a client secret may go to, checked before any request is sent. */
function secretAuthority(armEndpoint: string, env: NodeJS.ProcessEnv): string {
  const missing = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_AUTHORITY_HOST'].filter((k) => !env[k]);
  if (missing.length) {
    throw new UsageError(
      `Against another ARM endpoint (${armEndpoint}) with AZURE_CLIENT_SECRET set, ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set; the secret is sent only to the authority AZURE_AUTHORITY_HOST names, never to the ARM endpoint by default. Nothing was sent.`,
      'Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST (for the emulator: its URL), or unset AZURE_CLIENT_SECRET to use your `az login`, or use --emulator.',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(env.AZURE_AUTHORITY_HOST!);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new UsageError(
      `AZURE_AUTHORITY_HOST '${env.AZURE_AUTHORITY_HOST}' is not an https URL, so the client secret would not be protected. Nothing was sent.`,
      'Set AZURE_AUTHORITY_HOST to the https URL of your authority (for the emulator: its URL).',
    );
  }
  return env.AZURE_AUTHORITY_HOST!;
}

/** Tokens are reused until five minutes before they expire: each AzureCliCredential call starts `az` (1-2 s). */
export function reusingTokens(inner: TokenCredential): TokenCredential {
  const tokens = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = [scopes].flat().join(' ') + (options?.tenantId ? `@${options.tenantId}` : '');
      const cached = tokens.get(key);
      if (cached) {
        return cached.then((t) => (t && t.expiresOnTimestamp - Date.now() > 5 * 60_000 ? t : refresh()));
      }
      return refresh();
      function refresh(): Promise<AccessToken | null> {
        const next = inner.getToken(scopes, options);
        tokens.set(key, next);
        next.catch(() => tokens.delete(key));
        return next;
      }
    },
  };
}
