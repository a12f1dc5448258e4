/**
 * Reading a run's journal against the emulator as a user would check an undo: each resource the
 * journal names, read now with the SDK (not the product), compared as JSON with its "before".
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ResourceManagementClient } from '@azure/arm-resources';
import { DEMO, type TestEmulator } from './emulator.js';

export function readJournalFile(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The api-versions the product's SDK clients use, by provider. */
const API: [RegExp, string][] = [
  [/\/privateDnsZones\//i, '2020-06-01'],
  [/Microsoft\.Authorization/i, '2022-04-01'],
  [/Microsoft\.Network/i, '2025-05-01'],
  [/Microsoft\.CognitiveServices/i, '2025-09-01'],
  [/Microsoft\.Storage/i, '2025-08-01'],
];

/** A resource as ARM's GET returns it now (undefined on 404). */
export async function getNow(emu: TestEmulator, id: string): Promise<any> {
  const client = new ResourceManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
  let body: any;
  try {
    await client.resources.getById(id.replace(/^\//, ''), API.find(([re]) => re.test(id))![1], { onResponse: (r) => (body = JSON.parse(r.bodyAsText!)) });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
  return body;
}

/**
 * A body compared as JSON, leaving out only what Azure generates: etags, provisioning states,
 * systemData, when the storage keys were made (the journal never keeps a key's field); "no identity"
 * shown as `{ type: 'None' }`; and, for the account, the custom subdomain (with the endpoint it
 * names), which the undo plan reports as permanent.
 */
export function comparable(body: any, permanentSubdomain: boolean): any {
  const strip = (v: any): any => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => !['etag', 'provisioningState', 'systemData', 'keyCreationTime'].includes(k)).map(([k, x]) => [k, strip(x)]));
  };
  const out = strip(structuredClone(body));
  if (out.identity && out.identity.type === 'None' && !out.identity.userAssignedIdentities) delete out.identity;
  if (permanentSubdomain && out.properties) {
    delete out.properties.customSubDomainName;
    delete out.properties.endpoint;
    delete out.properties.endpoints;
  }
  return out;
}

/** Every resource the journal names, now, against its "before" (ones the run created must be gone). */
export async function expectAsBefore(emu: TestEmulator, journal: any, except: string[] = [], label = ''): Promise<void> {
  for (const r of journal.resources) {
    if (except.some((id) => id.toLowerCase() === r.id.toLowerCase())) continue;
    const now = await getNow(emu, r.id);
    if (!r.before.exists) {
      expect(now, `${label} ${r.id} was created by the run and is gone`).toBeUndefined();
      continue;
    }
    const account = /Microsoft\.CognitiveServices\/accounts\/[^/]+$/i.test(r.id);
    expect(comparable(now, account), `${label} ${r.id} as before the run`).toEqual(comparable(r.before.body, account));
  }
}
