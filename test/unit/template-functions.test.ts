/**
 * The template functions the built-in DeployIfNotExists templates call, each with the inputs and
 * results of its example in the ARM template functions documentation
 * (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string, -array,
 * -numeric, -deployment).
 */
import { describe, it, expect } from 'vitest';
import { parseExpression } from '../../packages/arm-emulator/src/template/expression.js';
import { evaluate, type EvalScope } from '../../packages/arm-emulator/src/template/functions.js';
import { prepareTemplate } from '../../packages/arm-emulator/src/template/template.js';

const PARAMETERS: Record<string, unknown> = {
  testString: 'one two three',
  stringToTest: 'One Two Three',
  arrayToTest: ['one', 'two', 'three'],
  objectToTest: { propA: 'one', propB: 'two', propC: 'three', propD: { 'propD-1': 'sub', 'propD-2': 'sub' } },
  minArray: [0, 3, 2, 5, 4],
  firstString: 'one,two,three',
  secondString: 'one;two,three',
  delimiters: [',', ';'],
  subnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default',
};

const scope: EvalScope = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  tenantId: '00000000-0000-0000-0000-000000000002',
  resourceGroup: { id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg', name: 'rg', location: 'eastus', type: 'Microsoft.Resources/resourceGroups', properties: {} },
  deploymentName: 'PolicyDeployment_1',
  templateContentVersion: '1.0.0.0',
  parameter: (n) => PARAMETERS[n],
  variable: () => undefined,
};
const run = (expression: string) => evaluate(parseExpression(expression), scope);

describe('string and array functions (the docs examples)', () => {
  it('substring(s, start, length)', () => {
    expect(run("[substring(parameters('testString'), 4, 3)]")).toBe('two');
    expect(run("[substring('abc', 1)]")).toBe('bc');
    expect(() => run("[substring(parameters('testString'), 4, 30)]")).toThrow(/out of range/);
  });

  it('length of an array, a string and an object', () => {
    expect([run("[length(parameters('arrayToTest'))]"), run("[length(parameters('stringToTest'))]"), run("[length(parameters('objectToTest'))]")]).toEqual([3, 13, 4]);
  });

  it('min of an array or of integers', () => {
    expect([run("[min(parameters('minArray'))]"), run('[min(0,3,2,5,4)]')]).toEqual([0, 0]);
    expect(() => run("[min('a')]")).toThrow(/Integer/);
  });

  it('split on one delimiter or an array of delimiters', () => {
    expect(run("[split(parameters('firstString'), ',')]")).toEqual(['one', 'two', 'three']);
    expect(run("[split(parameters('secondString'), parameters('delimiters'))]")).toEqual(['one', 'two', 'three']);
  });

  it('first of an array or a string', () => {
    expect([run("[first(parameters('arrayToTest'))]"), run("[first('One Two Three')]")]).toEqual(['one', 'O']);
  });

  it('take from an array or a string', () => {
    expect(run("[take(parameters('arrayToTest'), 2)]")).toEqual(['one', 'two']);
    expect(run("[take('One Two Three', 2)]")).toBe('On');
    expect(run("[take(parameters('arrayToTest'), 9)]")).toEqual(['one', 'two', 'three']);
  });

  it('the subnet id to its virtual network id, as the private-endpoint template does', () => {
    expect(run("[first(take(split(parameters('subnetId'),'/subnets'),1))]")).toBe('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet');
  });
});

describe('uniqueString and deployment()', () => {
  it('uniqueString is 13 characters of a–z and 2–7, the same for the same arguments and different for others', () => {
    const a = run("[uniqueString('PolicyDeployment_1')]") as string;
    expect(a).toMatch(/^[a-z2-7]{13}$/);
    expect(run("[uniquestring('PolicyDeployment_1')]")).toBe(a);
    expect(run("[uniqueString('PolicyDeployment_2')]")).not.toBe(a);
    expect(run("[uniqueString('a', 'b')]")).not.toBe(run("[uniqueString('ab')]"));
  });

  it('deployment() names the running deployment', () => {
    expect(run('[deployment().name]')).toBe('PolicyDeployment_1');
    expect(run('[deployment().properties.template.contentVersion]')).toBe('1.0.0.0');
  });
});

describe('nested deployments', () => {
  const rg = { id: '/subscriptions/s/resourceGroups/rg', name: 'rg', location: 'eastus' };
  const nested = (options?: unknown) => ({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { p: { type: 'string' } },
    resources: [{
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2020-06-01',
      name: "[concat('inner-', parameters('p'))]",
      properties: {
        mode: 'Incremental',
        ...(options ? { expressionEvaluationOptions: options } : {}),
        template: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: { q: { type: 'string' } }, variables: { me: '[deployment().name]' }, resources: [] },
        parameters: { q: { value: "[parameters('p')]" } },
      },
    }],
  });

  it('an inner-scope nested deployment is written with its parameters evaluated and its template as it is', () => {
    const prepared = prepareTemplate(nested({ scope: 'inner' }), { p: { value: 'x' } }, { subscriptionId: 's', tenantId: 't', resourceGroup: rg, deploymentName: 'outer' });
    const [r] = prepared.order;
    expect(r.id).toBe('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/inner-x');
    const body = prepared.body(r, () => ({})) as any;
    expect(body.properties.parameters).toEqual({ q: { value: 'x' } });
    expect(body.properties.template.variables.me).toBe('[deployment().name]');
  });

  it('an outer-scope nested deployment is refused as unsupported, naming the fix', () => {
    expect(() => prepareTemplate(nested(), { p: { value: 'x' } }, { subscriptionId: 's', tenantId: 't', resourceGroup: rg, deploymentName: 'outer' })).toThrow(/expressionEvaluationOptions.scope' to 'inner'/);
  });
});
