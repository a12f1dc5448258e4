/**
 * The ARM wire protocol as any client sees it, over raw HTTPS: api-version rules, case-insensitive
 * paths, error bodies and headers, paging, and state that survives a restart.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEmulator, armCall, DEMO, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const call = (e: TestEmulator, method: string, path: string, body?: unknown) => armCall(e, method, path, { body });

const sub = `/subscriptions/${DEMO.subscriptionId}`;
const account = `${sub}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;

describe('api-version', () => {
  it('is required: 400 MissingApiVersionParameter', async () => {
    emu = await startTestEmulator({});
    const r = await call(emu, 'GET', account);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('MissingApiVersionParameter');
  });

  it('an unknown one is refused naming the supported versions', async () => {
    emu = await startTestEmulator({});
    const r = await call(emu, 'GET', `${account}?api-version=2099-01-01`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('NoRegisteredProviderFound');
    expect(r.json.error.message).toMatch(/The supported api-versions are '.*2025-09-01/);
    const rg = await call(emu, 'GET', `${sub}/resourcegroups/${DEMO.resourceGroup}?api-version=1999-01-01`);
    expect(rg.json.error.code).toBe('InvalidApiVersionParameter');
  });
});

describe('paths, errors and headers', () => {
  it('matches segments and names case-insensitively and collapses //', async () => {
    emu = await startTestEmulator({});
    const odd = `/SUBSCRIPTIONS/${DEMO.subscriptionId}//RESOURCEGROUPS/${DEMO.resourceGroup.toUpperCase()}/providers/microsoft.cognitiveservices/ACCOUNTS/${DEMO.account.toUpperCase()}?api-version=2025-09-01`;
    const r = await call(emu, 'GET', odd);
    expect(r.status).toBe(200);
    expect(r.json.name).toBe(DEMO.account);
  });

  it('answers a missing resource with ResourceNotFound and a missing group with ResourceGroupNotFound, in ARM error bodies with request ids', async () => {
    emu = await startTestEmulator({});
    const missing = await call(emu, 'GET', `${sub}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/nope?api-version=2025-09-01`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'ResourceNotFound' });
    expect(missing.json.error.message).toContain("'Microsoft.CognitiveServices/accounts/nope' under resource group 'rg-docintel-demo' was not found");
    expect(missing.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers['x-ms-correlation-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers['x-ms-ratelimit-remaining-subscription-reads']).toBeDefined();
    const group = await call(emu, 'GET', `${sub}/resourceGroups/rg-nope/providers/Microsoft.CognitiveServices/accounts/x?api-version=2025-09-01`);
    expect(group.status).toBe(404);
    expect(group.json.error.code).toBe('ResourceGroupNotFound');
    const write = await call(emu, 'PATCH', `${account}?api-version=2025-09-01`, { tags: { a: 'b' } });
    expect(write.headers['x-ms-ratelimit-remaining-subscription-writes']).toBeDefined();
  });

  it('pages lists with nextLink', async () => {
    emu = await startTestEmulator({ pageSize: 1 });
    await call(emu, 'PUT', `${sub}/resourcegroups/rg-second?api-version=2025-04-01`, { location: 'westus' });
    const first = await call(emu, 'GET', `${sub}/resourcegroups?api-version=2025-04-01`);
    expect(first.json.value).toHaveLength(1);
    expect(first.json.nextLink).toMatch(/(\$|%24)skiptoken=1/);
    const next = await call(emu, 'GET', new URL(first.json.nextLink).pathname + new URL(first.json.nextLink).search);
    expect(next.json.value).toHaveLength(1);
    expect(next.json.value[0].name).not.toBe(first.json.value[0].name);
    expect(next.json.nextLink).toBeUndefined();
  });
});

describe('--state', () => {
  it('keeps what was written across a restart, written atomically', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sd-state-')), 'state.json');
    emu = await startTestEmulator({ stateFile: file });
    expect((await call(emu, 'PUT', `${sub}/resourcegroups/rg-kept?api-version=2025-04-01`, { location: 'westus' })).status).toBe(201);
    await emu.stop();
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).state.resources.some((r: { name: string }) => r.name === 'rg-kept')).toBe(true);
    emu = await startTestEmulator({ stateFile: file });
    const again = await call(emu, 'GET', `${sub}/resourcegroups/rg-kept?api-version=2025-04-01`);
    expect(again.status).toBe(200);
    expect(again.json.location).toBe('westus');
  });
});
