/**
 * The guide's posture as Azure Policy: which built-in definitions (builtins/SOURCES.md in the
 * emulator lists their source) make up the initiative, what each needs from the user, and the
 * initiative's and assignment's parameters. Pure: ids and parameter names only; the definitions
 * themselves (their rules, roleDefinitionIds) are read from ARM.
 */
export type PolicyEffectChoice = 'Audit' | 'Deny';

export interface InitiativeChoices {
  effect: PolicyEffectChoice;
  /** include "Configure Cognitive Services accounts to disable public network access" (Modify) */
  disablePublicAccess: boolean;
  /** private DNS zone ids for the DeployIfNotExists zone-group definitions, when the user named a zone place */
  accountZoneId?: string;
  blobZoneId?: string;
  /** subnet for "Configure Cognitive Services accounts with private endpoints", when the user named one */
  privateEndpointSubnetId?: string;
}

export interface InitiativeMember {
  guid: string;
  referenceId: string;
  displayName: string;
  /** the definition's own parameters, each given from an initiative parameter */
  parameters: Record<string, string>;
}

/** Initiative parameter names. */
export const P = {
  effect: 'effect',
  accountZone: 'accountPrivateDnsZoneId',
  blobZone: 'blobPrivateDnsZoneId',
  subnet: 'privateEndpointSubnetId',
} as const;

const member = (guid: string, referenceId: string, displayName: string, parameters: Record<string, string> = {}): InitiativeMember => ({ guid, referenceId, displayName, parameters });

/** The definitions this run's choices include, in the guide's order (identity, storage, account network, endpoints, DNS). */
export function initiativeMembers(c: InitiativeChoices): InitiativeMember[] {
  const effect = { effect: P.effect };
  return [
    member('fe3fd216-4f83-4fc1-8984-2bbec80a3418', 'cognitive-managed-identity', 'Cognitive Services accounts should use a managed identity', effect),
    member('34c877ad-507e-4c82-993e-3452a6e0ad3c', 'storage-restrict-network', 'Storage accounts should restrict network access', effect),
    member('c9d007d0-c057-4772-b18c-01e546713bcd', 'storage-trusted-services', 'Storage accounts should allow access from trusted Microsoft services', effect),
    member('037eea7a-bd0a-46c5-9a66-03aea78705d3', 'ai-restrict-network', 'Azure AI Services resources should restrict network access', effect),
    // Audit only (its effect allows Audit or Disabled): a private link is proven after the account exists.
    member('d6759c02-b87f-42b7-892e-71b3f471d782', 'ai-private-link', 'Azure AI Services resources should use Azure Private Link'),
    member('6edd7eda-6dd8-40f7-810d-67160c639cd9', 'storage-private-link', 'Storage accounts should use private link'),
    ...(c.disablePublicAccess ? [member('47ba1dd7-28d9-4b07-a8d5-9813bed64e0c', 'cognitive-disable-public-access', 'Configure Cognitive Services accounts to disable public network access')] : []),
    ...(c.privateEndpointSubnetId ? [member('db630ad5-52e9-4f4d-9c44-53912fe40053', 'cognitive-private-endpoint', 'Configure Cognitive Services accounts with private endpoints', { privateEndpointSubnetId: P.subnet })] : []),
    ...(c.accountZoneId ? [member('c4bc6f10-cb41-49eb-b000-d5ab82e2a091', 'cognitive-private-dns', 'Configure Cognitive Services accounts to use private DNS zones', { privateDnsZoneId: P.accountZone })] : []),
    ...(c.blobZoneId ? [member('75973700-529f-4de2-b794-fb9b6781b6b0', 'blob-private-dns', 'Configure a private DNS Zone ID for blob groupID', { privateDnsZoneId: P.blobZone })] : []),
  ];
}

export const INITIATIVE_NAME = 'secure-docintel-posture';
/** Policy assignment names are at most 24 characters at a management group (64 at a subscription). */
export const ASSIGNMENT_NAME = 'secure-docintel';

export { builtInPolicyDefinitionId as builtInDefinitionId } from '../core/resource-id.js';

/** The initiative's own parameter declarations: only those its members use. */
export function initiativeParameters(members: InitiativeMember[]): Record<string, { type: string; allowedValues?: string[]; defaultValue?: string; metadata: { displayName: string; strongType?: string } }> {
  const used = new Set(members.flatMap((m) => Object.values(m.parameters)));
  const out: ReturnType<typeof initiativeParameters> = {};
  if (used.has(P.effect)) out[P.effect] = { type: 'String', allowedValues: ['Audit', 'Deny', 'Disabled'], defaultValue: 'Audit', metadata: { displayName: 'Effect of the audit-or-deny definitions' } };
  if (used.has(P.accountZone)) out[P.accountZone] = { type: 'String', metadata: { displayName: 'Private DNS zone id for Cognitive Services accounts', strongType: 'Microsoft.Network/privateDnsZones' } };
  if (used.has(P.blobZone)) out[P.blobZone] = { type: 'String', metadata: { displayName: 'Private DNS zone id for blob storage', strongType: 'Microsoft.Network/privateDnsZones' } };
  if (used.has(P.subnet)) out[P.subnet] = { type: 'String', metadata: { displayName: 'Subnet for the private endpoints', strongType: 'Microsoft.Network/virtualNetworks/subnets' } };
  return out;
}

/** The assignment's parameter values for the initiative's parameters. */
export function assignmentParameters(c: InitiativeChoices, members: InitiativeMember[]): Record<string, { value: string }> {
  const declared = initiativeParameters(members);
  const values: Record<string, string | undefined> = { [P.effect]: c.effect, [P.accountZone]: c.accountZoneId, [P.blobZone]: c.blobZoneId, [P.subnet]: c.privateEndpointSubnetId };
  return Object.fromEntries(Object.keys(declared).map((k) => [k, { value: values[k]! }]));
}

export { managementGroupScope } from '../core/resource-id.js';
