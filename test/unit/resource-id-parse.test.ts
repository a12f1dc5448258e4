/** Resource ids as a user types them on the command line: parsed by type, compared without case. */
import { describe, it, expect } from 'vitest';
import { NAME_RULES, nameOf, parseTypedId, resourceId, rgOf, sameId, subscriptionOf } from '../../src/core/resource-id.js';

const SUB = '22222222-2222-2222-2222-222222222222';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/di-prod`;

describe('resource ids', () => {
  it('an id built from its parts parses back to them', () => {
    const id = resourceId(SUB, 'rg-ai', 'Microsoft.CognitiveServices/accounts', 'di-prod');
    expect(id).toBe(ACCOUNT);
    expect(parseTypedId(id, 'Microsoft.CognitiveServices/accounts')).toEqual({ subscriptionId: SUB, resourceGroup: 'rg-ai', name: 'di-prod', id });
  });

  it('the type is matched without regard to case, and surrounding blanks are dropped', () => {
    const pasted = `  ${ACCOUNT.replace('Microsoft.CognitiveServices', 'microsoft.cognitiveservices')}\n`;
    expect(parseTypedId(pasted, 'Microsoft.CognitiveServices/accounts')?.name).toBe('di-prod');
  });

  it('an id of another type, a child resource or a bare name is not taken for an account', () => {
    expect(parseTypedId(ACCOUNT.replace('Microsoft.CognitiveServices/accounts', 'Microsoft.Storage/storageAccounts'), 'Microsoft.CognitiveServices/accounts')).toBeUndefined();
    expect(parseTypedId(`${ACCOUNT}/privateEndpointConnections/pe1`, 'Microsoft.CognitiveServices/accounts')).toBeUndefined();
    expect(parseTypedId('di-prod', 'Microsoft.CognitiveServices/accounts')).toBeUndefined();
  });

  it('reads the subscription, resource group and name of any id', () => {
    expect(subscriptionOf(ACCOUNT)).toBe(SUB);
    expect(rgOf(ACCOUNT)).toBe('rg-ai');
    expect(nameOf(`${ACCOUNT}/`)).toBe('di-prod');
    expect(sameId(ACCOUNT, ACCOUNT.toUpperCase())).toBe(true);
    expect(sameId(ACCOUNT, undefined)).toBe(false);
  });

  it('storage account names follow Azure: 3-24 lowercase letters and digits', () => {
    expect(NAME_RULES.storage.re.test('sttraining')).toBe(true);
    expect(NAME_RULES.storage.re.test('St-Training')).toBe(false);
    expect(NAME_RULES.storage.re.test('st')).toBe(false);
  });
});
