/**
 * The journal as a killed run would leave it on disk: saved on each write (and at the end), never on a
 * read — an operation's polls and the readiness waits refine it in memory — and at the end it reads
 * back only what a write touched. The session is the product's, against the emulator; writes and reads
 * go through the SDK and its pipeline as a step's do.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageManagementClient } from '@azure/arm-storage';
import { ArmSession } from '../../src/azure/session.js';
import { Journal } from '../../src/journal/journal.js';
import { CLOUDS } from '../../src/core/cloud.js';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { IDS, STATE_HOME } from '../support/cli.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  await emu.control('POST', 'reset');
  await emu.clearLog();
});

const VNET = `${IDS.rg}/providers/Microsoft.Network/virtualNetworks/vnet-demo`;

async function journalled(): Promise<{ journal: Journal; path: string; storage: StorageManagementClient; onDisk: () => any }> {
  const session = await ArmSession.create({ cloud: CLOUDS.AzureCloud, armEndpoint: emu.url, caCertFile: emu.caFile, credential: emu.owner });
  const path = join(mkdtempSync(join(STATE_HOME, 'journal-')), 'run.json');
  const journal = new Journal(path, session, { id: 'run-1', command: 'setup', targets: [IDS.storage] });
  session.observer = journal.observer;
  const storage = await session.storage(DEMO.subscriptionId);
  return { journal, path, storage, onDisk: () => JSON.parse(readFileSync(path, 'utf8')) };
}

/** A change made by someone else (not through the run's session), so the run's next read differs from its write. */
async function changeBehindTheRun(tags: Record<string, string>): Promise<void> {
  const other = new StorageManagementClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
  await other.storageAccounts.update(DEMO.resourceGroup, DEMO.storage, { tags });
}

describe('the journal of a run', () => {
  it('a read of a written resource (a poll, a readiness wait) does not save: a run killed then leaves the journal of its last write', async () => {
    const { journal, storage, onDisk } = await journalled();
    journal.expect([IDS.storage]);
    await storage.storageAccounts.update(DEMO.resourceGroup, DEMO.storage, { tags: { step: 'written' } });
    const afterWrite = readFileSync(journal.path, 'utf8');
    expect(onDisk().resources[0].after.body.tags).toEqual({ step: 'written' });

    await changeBehindTheRun({ step: 'changed since' });
    for (let poll = 0; poll < 3; poll++) await storage.storageAccounts.getProperties(DEMO.resourceGroup, DEMO.storage);
    expect(readFileSync(journal.path, 'utf8')).toBe(afterWrite);

    await journal.finish('succeeded');
    expect(onDisk().resources[0].after.body.tags).toEqual({ step: 'changed since' });
    expect(onDisk().status).toBe('succeeded');
  });

  it('at the end, only what a write touched is read back and kept: a planned resource no write reached is not part of the run', async () => {
    const { journal, storage, onDisk } = await journalled();
    journal.expect([IDS.storage, VNET]);
    await storage.storageAccounts.update(DEMO.resourceGroup, DEMO.storage, { tags: { step: 'written' } });
    // killed now, the journal holds both "before"s
    expect(onDisk().resources.map((r: any) => r.id.toLowerCase()).sort()).toEqual([IDS.storage, VNET].map((id) => id.toLowerCase()).sort());
    await journal.finish('failed');

    const doc = onDisk();
    expect(doc.resources.map((r: any) => r.id.toLowerCase())).toEqual([IDS.storage.toLowerCase()]);
    expect(doc.resources[0].after.exists).toBe(true);
    const vnetReads = (await emu.armRequests()).filter((r) => r.method === 'GET' && r.path.toLowerCase() === VNET.toLowerCase());
    expect(vnetReads).toHaveLength(1); // its "before", and no read-back
  });
});
