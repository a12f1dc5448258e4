/**
 * The vendored built-in definitions' own policyRule JSON, evaluated by the emulator against
 * resources in known states: each rule flags the states the guide fixes and passes the fixed ones.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { EmulatorState } from '../../packages/arm-emulator/src/state.js';
import type { EmulatorContext } from '../../packages/arm-emulator/src/context.js';
import { evaluate, type EffectivePolicy } from '../../packages/arm-emulator/src/providers/policy/model.js';
import { evaluateValue } from '../../packages/arm-emulator/src/providers/policy/expressions.js';
import { ExpressionSyntaxError } from '../../packages/arm-emulator/src/template/expression.js';

const SUB = '/subscriptions/22222222-2222-2222-2222-222222222222';
const RG = `${SUB}/resourceGroups/rg`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/di`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/st`;
const PE = `${RG}/providers/Microsoft.Network/privateEndpoints/pe`;

function vendored(guid: string): any {
  return JSON.parse(readFileSync(new URL(`../../packages/arm-emulator/src/providers/policy/builtins/${guid}.json`, import.meta.url), 'utf8'));
}

function policy(guid: string, parameters: Record<string, unknown> = {}): EffectivePolicy {
  const definition = vendored(guid);
  const values = Object.fromEntries(Object.entries(definition.properties.parameters as Record<string, any>).map(([k, p]) => [k, parameters[k] ?? p.defaultValue]));
  const effect = String(evaluateValue(definition.properties.policyRule.then.effect, { parameters: values, field: () => undefined }));
  return { assignment: { id: `${SUB}/providers/Microsoft.Authorization/policyAssignments/a`, properties: { scope: SUB } }, definition, parameters: values, effect };
}

function judge(guid: string, resource: Record<string, any>, related: Record<string, any>[] = [], parameters: Record<string, unknown> = {}): boolean | undefined {
  const state = new EmulatorState('t');
  for (const r of [resource, ...related]) state.put(structuredClone(r) as never);
  return evaluate({ state } as EmulatorContext, policy(guid, parameters), resource);
}

const account = (props: Record<string, any>, extra: Record<string, any> = {}) => ({ id: ACCOUNT, name: 'di', type: 'Microsoft.CognitiveServices/accounts', location: 'eastus', kind: 'FormRecognizer', properties: props, ...extra });
const storage = (networkAcls: Record<string, any> | undefined) => ({ id: STORAGE, name: 'st', type: 'Microsoft.Storage/storageAccounts', location: 'eastus', kind: 'StorageV2', properties: networkAcls ? { networkAcls } : {} });
const connection = (parent: string, status: string) => ({ id: `${parent}/privateEndpointConnections/c1`, name: 'c1', type: `${parent.split('/providers/')[1].split('/').slice(0, 2).join('/')}/privateEndpointConnections`, properties: { privateLinkServiceConnectionState: { status } } });
const endpoint = (targetId: string, groupIds: string[]) => ({ id: PE, name: 'pe', type: 'Microsoft.Network/privateEndpoints', location: 'eastus', properties: { privateLinkServiceConnections: [{ name: 'c', properties: { privateLinkServiceId: targetId, groupIds } }], manualPrivateLinkServiceConnections: [] } });

describe('Azure AI Services resources should restrict network access (037eea7a)', () => {
  const G = '037eea7a-bd0a-46c5-9a66-03aea78705d3';
  it('flags an account open to all networks, passes selected networks or disabled public access', () => {
    expect(judge(G, account({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } }))).toBe(false);
    expect(judge(G, account({ publicNetworkAccess: 'Enabled' }))).toBe(false);
    expect(judge(G, account({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny' } }))).toBe(true);
    expect(judge(G, account({ publicNetworkAccess: 'disabled' }))).toBe(true);
  });
  it('does not apply to storage accounts', () => {
    expect(judge(G, storage({ defaultAction: 'Allow' }))).toBeUndefined();
  });
});

describe('Azure AI Services resources should use Azure Private Link (d6759c02)', () => {
  const G = 'd6759c02-b87f-42b7-892e-71b3f471d782';
  it('counts approved connections only', () => {
    expect(judge(G, account({ privateEndpointConnections: [] }))).toBe(false);
    expect(judge(G, account({ privateEndpointConnections: [{ properties: { privateLinkServiceConnectionState: { status: 'Pending' } } }] }))).toBe(false);
    expect(judge(G, account({ privateEndpointConnections: [{ properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }] }))).toBe(true);
  });
});

describe('Cognitive Services accounts should use a managed identity (fe3fd216)', () => {
  const G = 'fe3fd216-4f83-4fc1-8984-2bbec80a3418';
  it('flags no identity and None, passes system- or user-assigned', () => {
    expect(judge(G, account({}))).toBe(false);
    expect(judge(G, account({}, { identity: { type: 'None' } }))).toBe(false);
    expect(judge(G, account({}, { identity: { type: 'SystemAssigned' } }))).toBe(true);
    expect(judge(G, account({}, { identity: { type: 'SystemAssigned, UserAssigned' } }))).toBe(true);
  });
});

describe('Configure Cognitive Services accounts to disable public network access (47ba1dd7, Modify)', () => {
  const G = '47ba1dd7-28d9-4b07-a8d5-9813bed64e0c';
  it('is non-compliant until publicNetworkAccess is Disabled; Disabled effect applies to nothing', () => {
    expect(judge(G, account({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny' } }))).toBe(false);
    expect(judge(G, account({ publicNetworkAccess: 'Disabled' }))).toBe(true);
    expect(judge(G, account({ publicNetworkAccess: 'Enabled' }), [], { effect: 'Disabled' })).toBeUndefined();
  });
});

describe('Configure Cognitive Services accounts with private endpoints (db630ad5, DeployIfNotExists)', () => {
  const G = 'db630ad5-52e9-4f4d-9c44-53912fe40053';
  it('is compliant only with an approved private endpoint connection (existenceCondition on the child type)', () => {
    const a = account({ publicNetworkAccess: 'Enabled' });
    expect(judge(G, a, [], { privateEndpointSubnetId: 'x' })).toBe(false);
    expect(judge(G, a, [connection(ACCOUNT, 'Pending')], { privateEndpointSubnetId: 'x' })).toBe(false);
    expect(judge(G, a, [connection(ACCOUNT, 'Approved')], { privateEndpointSubnetId: 'x' })).toBe(true);
  });
});

describe('Storage accounts should restrict network access (34c877ad)', () => {
  const G = '34c877ad-507e-4c82-993e-3452a6e0ad3c';
  it('flags Allow and a missing networkAcls, passes Deny', () => {
    expect(judge(G, storage({ defaultAction: 'Allow' }))).toBe(false);
    expect(judge(G, storage(undefined))).toBe(false);
    expect(judge(G, storage({ defaultAction: 'Deny', bypass: 'AzureServices' }))).toBe(true);
  });
});

describe('Storage accounts should allow access from trusted Microsoft services (c9d007d0)', () => {
  const G = 'c9d007d0-c057-4772-b18c-01e546713bcd';
  it('flags a bypass without AzureServices; no bypass at all is not flagged (the rule needs it to exist)', () => {
    expect(judge(G, storage({ defaultAction: 'Deny', bypass: 'Logging, Metrics' }))).toBe(false);
    expect(judge(G, storage({ defaultAction: 'Deny', bypass: 'None' }))).toBe(false);
    expect(judge(G, storage({ defaultAction: 'Deny', bypass: 'Logging, Metrics, AzureServices' }))).toBe(true);
    expect(judge(G, storage({ defaultAction: 'Deny' }))).toBe(true);
  });
});

describe('Storage accounts should use private link (6edd7eda, AuditIfNotExists)', () => {
  const G = '6edd7eda-6dd8-40f7-810d-67160c639cd9';
  it('needs an approved connection among the account\'s child connections', () => {
    expect(judge(G, storage({ defaultAction: 'Deny' }))).toBe(false);
    expect(judge(G, storage({ defaultAction: 'Deny' }), [connection(STORAGE, 'Rejected')])).toBe(false);
    expect(judge(G, storage({ defaultAction: 'Deny' }), [connection(STORAGE, 'Approved')])).toBe(true);
  });
});

describe('private DNS zone group definitions (c4bc6f10 account, 75973700 blob; DeployIfNotExists)', () => {
  const zoneGroup = { id: `${PE}/privateDnsZoneGroups/default`, name: 'default', type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups', properties: { privateDnsZoneConfigs: [] } };
  it('apply to the endpoint of their group only, and are met by a zone group on it', () => {
    const C = 'c4bc6f10-cb41-49eb-b000-d5ab82e2a091';
    const B = '75973700-529f-4de2-b794-fb9b6781b6b0';
    const toAccount = endpoint(ACCOUNT, ['account']);
    const toBlob = endpoint(STORAGE, ['blob']);
    const p = { privateDnsZoneId: 'z' };
    expect(judge(C, toAccount, [], p)).toBe(false);
    expect(judge(C, toAccount, [zoneGroup], p)).toBe(true);
    expect(judge(C, toBlob, [], p)).toBe(true);
    expect(judge(B, toBlob, [], p)).toBe(false);
    expect(judge(B, toBlob, [zoneGroup], p)).toBe(true);
    expect(judge(B, toAccount, [], p)).toBe(true);
  });
});

describe('expressions the definitions use', () => {
  it('evaluates parameters(), field() and requestContext().apiVersion comparisons', () => {
    const scope = { parameters: { effect: 'Deny' }, field: (f: string) => (f === 'name' ? 'di' : undefined), apiVersion: '2024-10-01' };
    expect(evaluateValue("[parameters('effect')]", scope)).toBe('Deny');
    expect(evaluateValue("[field('name')]", scope)).toBe('di');
    expect(evaluateValue("[greaterOrEquals(requestContext().apiVersion, '2017-04-18')]", scope)).toBe(true);
    expect(evaluateValue("[greaterOrEquals(requestContext().apiVersion, '2030-01-01')]", scope)).toBe(false);
    expect(evaluateValue('[[literal]', scope)).toBe('[literal]');
  });

  it("are read by the template engine's parser: its syntax errors, policy's own functions and refusals", () => {
    const scope = { parameters: { zones: ['a', 'b'] }, field: () => ({ Name: 'x' }) };
    expect(evaluateValue("[concat(parameters('zones'), split('c;d', ';'))[3]]", scope)).toBe('d');
    expect(evaluateValue("[field('properties').name]", scope)).toBe('x');
    expect(() => evaluateValue("[concat('a']", scope)).toThrow(ExpressionSyntaxError);
    expect(() => evaluateValue("[resourceGroup().name]", scope)).toThrow(/does not evaluate the policy function 'resourceGroup'/);
  });
});
