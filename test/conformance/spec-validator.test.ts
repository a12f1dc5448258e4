/** The spec validator catches what Azure's specs forbid and accepts what Azure really does. */
import { describe, it, expect } from 'vitest';
import { specCatalog } from '../support/spec-validator.js';

const catalog = specCatalog();
const ACCOUNT = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1';
const account = { id: ACCOUNT, name: 'a1', type: 'Microsoft.CognitiveServices/accounts', location: 'eastus', kind: 'FormRecognizer', sku: { name: 'S0' }, properties: { provisioningState: 'Succeeded', publicNetworkAccess: 'Enabled' } };

describe('spec validator', () => {
  it('every vendored example validates against its own operation', () => {
    const failures: string[] = [];
    for (const ex of catalog.examples()) {
      expect(ex.operation, ex.name).toBeDefined();
      const op = ex.operation!;
      const body = op.parameters.find((p) => p.in === 'body');
      for (const [status, r] of Object.entries(ex.body.responses)) {
        const v = catalog.validate({ method: op.method, path: op.template, query: { 'api-version': op.apiVersion }, requestBody: body ? ex.body.parameters[body.name] : undefined, status: Number(status), responseBody: r.body, responseHeaders: { location: 'https://x' } });
        failures.push(...v.errors.map((e) => `${ex.name} ${status}: ${e}`));
      }
    }
    expect(failures).toEqual([]);
  });

  it('matches requests to operations case-insensitively, whatever the api-version', () => {
    expect(catalog.find('GET', ACCOUNT.toLowerCase())?.operationId).toBe('Accounts_Get');
    expect(catalog.find('GET', '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/providers/Microsoft.Authorization/roleAssignments/g1')?.operationId).toBe('RoleAssignments_Get');
    expect(catalog.find('GET', '/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments')?.operationId).toBe('RoleAssignments_ListForSubscription');
  });

  it('accepts a well-formed response', () => {
    expect(catalog.validate({ method: 'GET', path: ACCOUNT, query: { 'api-version': '2023-05-01' }, status: 200, responseBody: account }).errors).toEqual([]);
  });

  it('reports an undeclared response property, a wrong type, a fixed-enum value outside the enum and an undeclared status', () => {
    const bad = { ...account, surprise: 1, properties: { ...account.properties, disableLocalAuth: 'yes' } };
    const errors = catalog.validate({ method: 'GET', path: ACCOUNT, status: 200, query: { 'api-version': 'x' }, responseBody: bad }).errors.join('\n');
    expect(errors).toMatch(/additional properties 'surprise'/);
    expect(errors).toMatch(/\/properties\/disableLocalAuth: must be boolean/);
    const listKeys = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/listKeys';
    const key = (permissions: string) => ({ keys: [{ keyName: 'key1', value: 'v', permissions }] });
    expect(catalog.validate({ method: 'POST', path: listKeys, status: 200, query: { 'api-version': 'x' }, responseBody: key('Write') }).errors.join()).toMatch(/\/keys\/0\/permissions/);
    expect(catalog.validate({ method: 'POST', path: listKeys, status: 200, query: { 'api-version': 'x' }, responseBody: key('FULL') }).errors).toEqual([]);
    expect(catalog.validate({ method: 'GET', path: ACCOUNT, status: 201, query: { 'api-version': 'x' }, responseBody: account }).errors.join()).toMatch(/status 201 is not declared/);
  });

  it('holds error bodies to ARM\'s error contract', () => {
    const ok = { error: { code: 'ResourceNotFound', message: 'not found' } };
    expect(catalog.validate({ method: 'GET', path: ACCOUNT, status: 404, query: { 'api-version': 'x' }, responseBody: ok }).errors).toEqual([]);
    expect(catalog.validate({ method: 'GET', path: ACCOUNT, status: 404, query: { 'api-version': 'x' }, responseBody: { code: 'X' } }).errors).not.toEqual([]);
  });

  it('tolerates readOnly properties in requests, null for optional properties and extensible enums', () => {
    const request = { ...account, properties: { provisioningState: 'Succeeded', endpoint: 'https://x', publicNetworkAccess: null } };
    expect(catalog.validate({ method: 'PUT', path: ACCOUNT, query: { 'api-version': 'x' }, requestBody: request, status: 200, responseBody: account }).errors).toEqual([]);
    const withUnknownKind = { ...account, kind: 'SomethingNew', sku: { name: 'S0', tier: 'Standard' } };
    expect(catalog.validate({ method: 'GET', path: ACCOUNT, query: { 'api-version': 'x' }, status: 200, responseBody: withUnknownKind }).errors).toEqual([]);
  });

  it('requires a 202 of a long-running operation to say where to poll', () => {
    const errors = catalog.validate({ method: 'DELETE', path: ACCOUNT, query: { 'api-version': 'x' }, status: 202, responseHeaders: {} }).errors;
    expect(errors.join()).toMatch(/202 without a Location or Azure-AsyncOperation header/);
  });
});
