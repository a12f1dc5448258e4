/**
 * One table from Azure error codes to what they mean in this guide's terms and how to fix them.
 * Every ARM failure the CLI shows goes through `explainAzureError`.
 */
import { AzureOperationError, InterruptedError, UsageError } from '../core/errors.js';
import { withoutControlCharacters } from '../core/terminal-text.js';
import { knownRoleFor } from '../posture/roles.js';

export interface Remedy {
  meaning: string;
  fix: string;
}

export const REMEDIES: Record<string, Remedy> = {
  AuthorizationFailed: {
    meaning: 'the signed-in identity lacks the Azure role this change needs',
    fix: 'Ask for the role named below at the resource (or its resource group): Cognitive Services Contributor for the account, Storage Account Contributor for storage, Network Contributor for the VNet and private endpoints, Private DNS Zone Contributor for the zones, and Owner, User Access Administrator or Role Based Access Control Administrator to assign roles. Then run the same command again.',
  },
  LinkedAuthorizationFailed: {
    meaning: 'the change joins another resource the signed-in identity may not use: most often the private link target (approving the connection needs privateEndpointConnectionsApproval/action on the account or storage account), or a subnet, a VNet or a private DNS zone',
    fix: 'Ask for the permission the message names on that linked scope: Owner or Contributor on the account/storage account for Microsoft.CognitiveServices/accounts/privateEndpointConnectionsApproval/action or Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action (or let secure-docintel request a manual connection that its owner approves), Network Contributor on the VNet for subnets/join/action, Private DNS Zone Contributor on the zones for privateDnsZones/join/action — or point --dns-zone-subscription/--dns-zone-resource-group at zones you may use, or pass --skip-dns when Azure Policy manages DNS.',
  },
  UpdatingCustomDomainNotAllowed: {
    meaning: 'the account already has a custom subdomain, and a subdomain can never be changed once set',
    fix: 'Keep the existing subdomain: run again without --custom-subdomain (secure-docintel uses the one the account has). A different subdomain needs a new account.',
  },
  CustomDomainInUse: {
    meaning: 'another Azure AI account already uses this custom subdomain (names are global)',
    fix: 'Pass --custom-subdomain with another name, e.g. the account name plus a suffix.',
  },
  PrincipalNotFound: {
    meaning: "the account's managed identity is not yet visible to Azure RBAC (directory replication can take minutes)",
    fix: 'Wait a few minutes and run `secure-docintel grant` again; the assignment is created with principalType ServicePrincipal, so a retry succeeds once the identity has replicated.',
  },
  RoleAssignmentExists: {
    meaning: 'the identity already has this role on the storage account',
    fix: 'Nothing to do.',
  },
  ContentSourceNotAccessible: {
    meaning: "Document Intelligence could not read training data from storage with its managed identity",
    fix: 'Run `secure-docintel identity`, `secure-docintel grant` (Storage Blob Data Reader) and `secure-docintel storage-lockdown` (trusted-services exception or --access-rule resource-instance), then `secure-docintel validate`.',
  },
  AuthorizationFailure: {
    meaning: 'the storage firewall refused a client without network line of sight (e.g. the Studio from your browser)',
    fix: 'Run `secure-docintel storage-lockdown --allow-client-ip` (or --allow-ip <your IP>, or --allow-studio), or work from inside the VNet.',
  },
  AccessDenied: {
    meaning: "the Document Intelligence firewall refused a client outside the VNet and the account's IP allowlist",
    fix: 'Run `secure-docintel private-endpoint --allow-client-ip` (or --allow-ip <your IP>), or connect from inside the VNet through the private endpoint.',
  },
  CorsNotConfigured: {
    meaning: 'the Studio cannot list the blob container because storage has no CORS rule for its origin ("Failed to access Blob container")',
    fix: 'Run `secure-docintel storage-lockdown --allow-studio`.',
  },
  ResourceNotFound: {
    meaning: 'a resource named in the command does not exist (or is in another resource group or subscription)',
    fix: 'Check the names with --subscription, --resource-group, --docintel, --storage and --vnet, or pass full resource ids.',
  },
  ResourceGroupNotFound: {
    meaning: 'the resource group does not exist in this subscription',
    fix: 'Check --resource-group and --subscription.',
  },
  SubscriptionNotFound: {
    meaning: 'the subscription does not exist or the signed-in identity cannot see it',
    fix: 'Check --subscription (AZURE_SUBSCRIPTION_ID) and that you are signed in to the right tenant.',
  },
  InvalidAuthenticationToken: {
    meaning: 'ARM rejected the access token',
    fix: 'Sign in again (`az login`), or check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.',
  },
  ExpiredAuthenticationToken: {
    meaning: 'the access token has expired',
    fix: 'Sign in again (`az login`) and run the command again.',
  },
  InvalidAuthenticationTokenTenant: {
    meaning: 'the token is for another tenant than the subscription',
    fix: 'Sign in to the subscription\'s tenant (`az login --tenant <id>`, or AZURE_TENANT_ID).',
  },
  AnotherOperationInProgress: {
    meaning: 'Azure is still applying an earlier change to the same resource',
    fix: 'Wait for it to finish and run the same command again.',
  },
  NetworkAclsValidationFailure: {
    meaning: 'the storage firewall rejected its virtual network rules: a subnet they name has no Microsoft.Storage service endpoint, or that subnet is still updating',
    fix: 'Enable the Microsoft.Storage service endpoint on the subnets named in the storage account\'s virtual network rules (or remove those rules); if one was just enabled, wait for the subnet to finish updating and run the same command again.',
  },
  InvalidValuesForRequestParameters: {
    meaning: 'Azure rejected a value, e.g. a private, /31 or /32 IP rule on the storage firewall',
    fix: 'Pass public IPv4 addresses or CIDRs of /30 or wider to --allow-ip.',
  },
  InvalidResourceReference: {
    meaning: 'a referenced resource (subnet, VNet or zone) does not exist',
    fix: 'Check --vnet and --subnet; the subnet must exist in the VNet and region of the private endpoint.',
  },
};

/** The role an AuthorizationFailed message implies, from its action. */
export function roleNeededFor(message: string): string | undefined {
  const action = /perform action '([^']+)'/.exec(message)?.[1];
  if (!action) return undefined;
  const role = knownRoleFor(action);
  return role ? `${role} (action ${action})` : `a role with ${action}`;
}

interface RestLike {
  code?: string;
  statusCode?: number;
  message?: string;
  details?: { error?: { code?: string; message?: string } };
}

const RETRIED_CONNECTION: Remedy = {
  meaning: 'the connection to Azure Resource Manager failed, and kept failing after retries',
  fix: 'Check the network, proxy or firewall between this machine and ARM (--arm-endpoint), then run the same command again: it reads the current state first, so a write that did land is not repeated.',
};
const UNTRUSTED_CERTIFICATE: Remedy = {
  meaning: "the ARM endpoint's TLS certificate is not trusted",
  fix: 'Pass --ca-cert (or SECURE_DOCINTEL_CA_CERT) the PEM of the CA that signed it (for the emulator, the file it prints), then run again.',
};
/** Failures of the connection itself (no answer from Azure): Node's error codes. */
const CONNECTION_FAILURES: Record<string, Remedy> = {
  ECONNRESET: RETRIED_CONNECTION,
  ECONNREFUSED: RETRIED_CONNECTION,
  ETIMEDOUT: RETRIED_CONNECTION,
  ESOCKETTIMEDOUT: RETRIED_CONNECTION,
  EPIPE: RETRIED_CONNECTION,
  ENOTFOUND: { ...RETRIED_CONNECTION, meaning: "the ARM endpoint's host name does not resolve" },
  EAI_AGAIN: { ...RETRIED_CONNECTION, meaning: "the ARM endpoint's host name could not be resolved right now" },
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED_CERTIFICATE,
  DEPTH_ZERO_SELF_SIGNED_CERT: UNTRUSTED_CERTIFICATE,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED_CERTIFICATE,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED_CERTIFICATE,
  ERR_TLS_CERT_ALTNAME_INVALID: { ...UNTRUSTED_CERTIFICATE, meaning: "the ARM endpoint's TLS certificate is for another host name" },
};

/** @azure/identity's failures to get a token: bad input (credentials), not an Azure operation that failed. */
const SIGN_IN_ERRORS = ['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError', 'AggregateAuthenticationError'];

/** A failure to get a token, as a usage error naming what to check; undefined for other errors. */
export function signInProblem(err: unknown, doing?: string): UsageError | undefined {
  const name = (err as { name?: string })?.name;
  if (!name || !SIGN_IN_ERRORS.includes(name)) return undefined;
  const first = withoutControlCharacters(String((err as Error).message ?? '').split('\n')[0]);
  const where = doing ? ` (${doing})` : '';
  if (/endpoints_resolution_error|ENOTFOUND|ECONNREFUSED|certificate/i.test(first)) {
    return new UsageError(
      `could not sign in to Azure${where}: the token authority's OpenID configuration could not be read (${first}).`,
      'Check AZURE_AUTHORITY_HOST (for the emulator: its URL) and that this machine trusts its TLS certificate: pass --ca-cert (or SECURE_DOCINTEL_CA_CERT) the PEM of the CA that signed it.',
    );
  }
  return new UsageError(
    `could not sign in to Azure${where}: ${first}`,
    'Run `az login` again, or check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (and AZURE_AUTHORITY_HOST), then run again.',
  );
}

/**
 * Wraps an SDK failure as `<verb> <resource>: <code>: <message>` with its meaning and fix. A token
 * that cannot be obtained (wrong secret, unknown client) is a sign-in problem: a usage error (exit 2).
 */
export function explainAzureError(err: unknown, doing: string): AzureOperationError | UsageError | InterruptedError {
  if (err instanceof AzureOperationError || err instanceof UsageError || err instanceof InterruptedError) return err;
  const signIn = signInProblem(err, doing);
  if (signIn) return signIn;
  const e = err as RestLike;
  const code = e.details?.error?.code ?? e.code;
  const raw = withoutControlCharacters(String(e.details?.error?.message ?? e.message ?? err));
  const remedy = code ? REMEDIES[code] : undefined;
  let fix = remedy?.fix;
  if (code === 'AuthorizationFailed') {
    const role = roleNeededFor(raw);
    if (role) fix = `Ask for ${role} at this scope, then run the same command again. ${remedy!.fix}`;
  }
  const connection = code ? CONNECTION_FAILURES[code] : undefined;
  if (connection) {
    return new AzureOperationError(`${doing}: ${code} — ${connection.meaning}.\n  The connection said: ${raw}`, code, connection.fix, err);
  }
  const meaning = remedy ? ` — ${remedy.meaning}` : '';
  return new AzureOperationError(`${doing}: ${code ?? 'Error'}${meaning}.\n  Azure said: ${raw}`, code, fix, err);
}
