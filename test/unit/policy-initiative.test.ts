/**
 * Which built-ins the user's answers put in the initiative, and the roles its identity gets: exactly
 * the definitions' roleDefinitionIds, at the assignment's scope and at a DNS zone outside it
 * (parameters marked assignPermissions), read from the vendored definitions.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { PolicyDefinition } from '@azure/arm-policy';
import { assignmentParameters, initiativeMembers, initiativeParameters, type InitiativeChoices } from '../../src/posture/policy-initiative.js';
import { roleGrants } from '../../src/steps/policy-roles.js';
import type { PolicyContext } from '../../src/steps/policy-context.js';

const SUB = '/subscriptions/22222222-2222-2222-2222-222222222222';
const HUB_ZONES = '/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';

/** A vendored definition as the SDK returns it (properties flattened). */
function definition(guid: string): PolicyDefinition {
  const d = JSON.parse(readFileSync(new URL(`../../packages/arm-emulator/src/providers/policy/builtins/${guid}.json`, import.meta.url), 'utf8'));
  return { id: d.id, name: d.name, ...d.properties };
}

function ctxFor(choices: InitiativeChoices): PolicyContext {
  const members = initiativeMembers(choices);
  return { scope: { kind: 'subscription', id: SUB, subscriptionId: SUB.split('/')[2] }, choices, members, definitions: new Map(members.map((m) => [m.guid, definition(m.guid)])) } as PolicyContext;
}

describe('the initiative the answers make', () => {
  it('audit only by default: six definitions, one effect parameter, no roles', () => {
    const ctx = ctxFor({ effect: 'Audit', disablePublicAccess: false });
    expect(ctx.members).toHaveLength(6);
    expect(Object.keys(initiativeParameters(ctx.members))).toEqual(['effect']);
    expect(assignmentParameters(ctx.choices, ctx.members)).toEqual({ effect: { value: 'Audit' } });
    expect(roleGrants(ctx)).toEqual([]);
  });

  it('with every answer: the Modify and three DeployIfNotExists definitions, their parameters, and exactly their roles', () => {
    const choices: InitiativeChoices = {
      effect: 'Deny',
      disablePublicAccess: true,
      accountZoneId: `${HUB_ZONES}/privatelink.cognitiveservices.azure.com`,
      blobZoneId: `${HUB_ZONES}/privatelink.blob.core.windows.net`,
      privateEndpointSubnetId: `${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
    };
    const ctx = ctxFor(choices);
    expect(ctx.members.map((m) => m.guid).slice(6)).toEqual(['47ba1dd7-28d9-4b07-a8d5-9813bed64e0c', 'db630ad5-52e9-4f4d-9c44-53912fe40053', 'c4bc6f10-cb41-49eb-b000-d5ab82e2a091', '75973700-529f-4de2-b794-fb9b6781b6b0']);
    expect(assignmentParameters(choices, ctx.members)).toEqual({
      effect: { value: 'Deny' },
      accountPrivateDnsZoneId: { value: choices.accountZoneId },
      blobPrivateDnsZoneId: { value: choices.blobZoneId },
      privateEndpointSubnetId: { value: choices.privateEndpointSubnetId },
    });
    const grants = roleGrants(ctx).map((g) => [g.scope, g.roleGuid, g.why.join(',')]);
    expect(grants).toEqual([
      [SUB, 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'cognitive-disable-public-access'],
      [SUB, '4d97b98b-1d4f-4787-a291-c67834d212e7', 'cognitive-private-endpoint,cognitive-private-dns,blob-private-dns'],
      [SUB, '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68', 'cognitive-private-endpoint'],
      // the zones' parameters say assignPermissions: Network Contributor on each zone in the hub subscription too
      [choices.accountZoneId, '4d97b98b-1d4f-4787-a291-c67834d212e7', 'cognitive-private-dns'],
      [choices.blobZoneId, '4d97b98b-1d4f-4787-a291-c67834d212e7', 'blob-private-dns'],
    ]);
  });
});
