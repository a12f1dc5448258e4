/** The pure rules under the journal and undo: what counts as a change since a run, and what a journal never keeps. */
import { describe, it, expect } from 'vitest';
import { changedSince, differences, same } from '../../src/undo/compare.js';
import { redact } from '../../src/journal/redact.js';
import { armTypeOf } from '../../src/azure/arm-resource.js';

const snap = (body?: Record<string, unknown>) => (body ? { exists: true, body } : { exists: false });

describe('what counts as a change since the run', () => {
  it('etags, provisioning states, timestamps and back-references Azure maintains do not', () => {
    const a = { id: '/x/A', etag: 'W/"1"', properties: { provisioningState: 'Updating', privateEndpoints: [{ id: 'p' }], policy: 'Enabled' }, systemData: { createdAt: 't1' } };
    const b = { id: '/x/a', etag: 'W/"2"', properties: { provisioningState: 'Succeeded', privateEndpoints: [], policy: 'Enabled' }, systemData: { createdAt: 't2' } };
    expect(same(a, b)).toBe(true);
    expect(same({ identity: { type: 'None' } }, {})).toBe(true);
  });

  it('a setting does, named by its path', () => {
    expect(differences({ properties: { networkAcls: { defaultAction: 'Deny', ipRules: [] } } }, { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.5' }] } } })).toEqual([
      { path: '/properties/networkAcls/ipRules', recorded: [], now: [{ value: '203.0.113.5' }] },
    ]);
  });

  it('a path already back to "before" is not a change (an interrupted undo did it)', () => {
    const before = snap({ properties: { acls: 'Allow', identity: 'None' } });
    const after = snap({ properties: { acls: 'Deny', identity: 'SystemAssigned' } });
    expect(changedSince(before, after, snap({ properties: { acls: 'Allow', identity: 'SystemAssigned' } }))).toEqual([]);
    expect(changedSince(before, after, snap({ properties: { acls: 'Deny', identity: 'SystemAssigned', tags: 1 } }))).toEqual([{ path: '/properties/tags', recorded: null, now: 1 }]);
  });

  it('made by the run and gone now is as before; there before and deleted since is a change', () => {
    expect(changedSince(snap(), snap({ a: 1 }), snap())).toEqual([]);
    expect(changedSince(snap({ a: 1 }), snap({ a: 2 }), snap())).toEqual([{ path: '/', recorded: 'exists', now: 'deleted' }]);
  });
});

describe('what a journal never keeps', () => {
  it('fields named like keys, secrets and connection strings are stripped; values shaped like them replaced', () => {
    const out = redact({
      properties: { keyCreationTime: { key1: '2026-01-01T00:00:00Z', key2: '2026-01-01T00:00:00Z' }, primaryConnectionString: 'x', publicNetworkAccess: 'Enabled' },
      tags: { note: 'AccountKey=abc', sas: 'https://a.blob.core.windows.net/c?sv=1&sig=0123456789abcdef', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x', owner: 'data-team' },
    });
    expect(out).toEqual({ properties: { keyCreationTime: {}, publicNetworkAccess: 'Enabled' }, tags: { note: '[redacted]', sas: '[redacted]', owner: 'data-team' } });
  });
});

describe('resource types from ids', () => {
  it.each([
    ['/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/z/virtualNetworkLinks/l', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks'],
    ['/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/st/providers/Microsoft.Authorization/roleAssignments/r', 'Microsoft.Authorization/roleAssignments'],
    ['/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/z/A/rec', 'Microsoft.Network/privateDnsZones/A'],
  ])('%s is a %s', (id, type) => expect(armTypeOf(id)).toBe(type));
});

describe('restoring what a journal recorded', () => {
  it('never sends a value the journal redacted: the write is refused before any request, naming the resource', async () => {
    const { putRecorded, patchRecorded } = await import('../../src/undo/send-recorded.js');
    const { REDACTED } = await import('../../src/journal/redact.js');
    const session = {} as never; // never reached: nothing is sent
    const id = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Authorization/policyAssignments/a';
    for (const send of [putRecorded, patchRecorded]) {
      expect(() => send(session, id, { properties: { parameters: { token: { value: REDACTED } } } })).toThrow(/Not restoring .*policyAssignments\/a: .*\(\[redacted\]\)/);
    }
  });
});
