/** The remedies table and the failure rules around it: what a user is told for each Azure code. */
import { describe, it, expect } from 'vitest';
import { REMEDIES, explainAzureError, roleNeededFor } from '../../src/azure/remedies.js';
import { failureCode } from '../../src/azure/transient-retry.js';
import { isNetworkBlock } from '../../src/validate/probe/read-analyze.js';

describe('the remedies table', () => {
  it('has no invented codes (Azure only uses suffixed PrivateEndpointCreationNotAllowed… forms)', () => {
    expect(Object.keys(REMEDIES)).not.toContain('PrivateEndpointCreationNotAllowed');
  });

  it('explains NetworkAclsValidationFailure as subnets without the service endpoint or still updating', () => {
    expect(REMEDIES.NetworkAclsValidationFailure.meaning).toMatch(/service endpoint/);
    expect(REMEDIES.NetworkAclsValidationFailure.meaning).toMatch(/updating/);
    expect(REMEDIES.NetworkAclsValidationFailure.meaning).not.toMatch(/IP/);
  });

  it('names the approval permission for LinkedAuthorizationFailed, its most common cause', () => {
    expect(REMEDIES.LinkedAuthorizationFailed.meaning).toMatch(/privateEndpointConnectionsApproval\/action/);
    expect(REMEDIES.LinkedAuthorizationFailed.fix).toMatch(/Microsoft\.Storage\/storageAccounts\/privateEndpointConnectionsApproval\/action/);
  });

  it('names the role an AuthorizationFailed action needs', () => {
    expect(roleNeededFor("does not have authorization to perform action 'Microsoft.Network/privateEndpoints/write' over scope")).toBe('Network Contributor (action Microsoft.Network/privateEndpoints/write)');
    expect(roleNeededFor("perform action 'Microsoft.Web/sites/write'")).toBe('a role with Microsoft.Web/sites/write');
    const err = explainAzureError({ code: 'AuthorizationFailed', statusCode: 403, message: "perform action 'Microsoft.Network/privateDnsZones/write' over" }, 'creating zone');
    expect(err.message).toMatch(/^creating zone: AuthorizationFailed/);
  });
});

describe('failure codes', () => {
  it('reads a long-running operation\'s failure code from core-lro\'s message', () => {
    expect(failureCode(new Error('The long-running operation has failed. RetryableError. Please retry.'))).toBe('RetryableError');
    expect(failureCode({ code: 'StorageAccountOperationInProgress' })).toBe('StorageAccountOperationInProgress');
  });
});

describe('the probe reads a 403', () => {
  it('as a network block only when the firewall says so', () => {
    expect(isNetworkBlock({ code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' })).toBe(true);
    expect(isNetworkBlock({ code: '403', message: 'Public access is disabled. Please configure private endpoint.' })).toBe(true);
    // microsoft/sample-app-aoai-chatGPT#1000: a disabled key is a credential refusal
    expect(isNetworkBlock({ code: 'AuthenticationTypeDisabled', message: 'Key based authentication is disabled for this resource.' })).toBe(false);
  });
});
