/**
 * audit over generated estates: exactly the accounts the generator broke fail, with the check ids it
 * names (JSON and CSV); Resource Graph pages and subscription lists; requests grow with pages, not
 * with accounts; --deep runs validate's own reads per account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estate, type Estate } from '../../packages/arm-emulator/src/index.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { Cli, DEMO, IDS, runCli } from '../support/cli.js';

interface AuditJson {
  ok: boolean;
  accounts: { id: string; name: string; subscriptionId: string; resourceGroup: string; kind: string; location: string; storage: string | null; subnet: string | null; ok: boolean; checks: { id: string; status: string; fix?: string }[] }[];
  summary: { accounts: number; failed: number; subscriptions: number };
  armRequests: { reads: number; writes: number };
}

const failingOf = (a: AuditJson['accounts'][number]) => a.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort();

function truthOf(e: Estate): Record<string, string[]> {
  return Object.fromEntries(e.accounts.map((a) => [a.id.toLowerCase(), a.failing]));
}

/** Resource Graph queries the emulator answered since the log was cleared. */
async function graphQueries(emu: TestEmulator): Promise<number> {
  return (await emu.armRequests()).filter((r) => r.method === 'POST' && /Microsoft\.ResourceGraph\/resources$/i.test(r.path)).length;
}

describe('audit over a generated estate', () => {
  const mixed = estate({ seed: 7, subscriptions: 6, accounts: 120 });
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ scenario: mixed.scenario });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('finds exactly the accounts the generator broke, with its check ids (JSON), and writes nothing', async () => {
    await emu.clearLog();
    const r = await runCli(emu, 'audit', { output: 'json' });
    expect(r.code, r.err).toBe(1);
    const doc = r.json() as AuditJson;
    const truth = truthOf(mixed);
    expect(doc.accounts.map((a) => a.id.toLowerCase()).sort()).toEqual(Object.keys(truth).sort());
    for (const a of doc.accounts) expect(failingOf(a), a.name).toEqual(truth[a.id.toLowerCase()]);
    const broken = mixed.accounts.filter((a) => a.failing.length);
    expect(broken.length).toBeGreaterThan(20);
    expect(new Set(broken.map((a) => a.breakage)).size).toBeGreaterThan(6);
    expect(doc.summary).toEqual({ accounts: 120, failed: broken.length, subscriptions: 6 });
    expect(doc.ok).toBe(false);
    expect(doc.armRequests.writes).toBe(0);
    const log = await emu.armRequests();
    expect(log.filter((e) => e.method !== 'GET' && !/ResourceGraph/.test(e.path))).toEqual([]);
  });

  it('names each account\'s linked storage and endpoint subnet, and the fixes validate gives', async () => {
    const doc = (await runCli(emu, 'audit', { output: 'json' })).json() as AuditJson;
    const byId = new Map(doc.accounts.map((a) => [a.id.toLowerCase(), a]));
    for (const t of mixed.accounts.filter((a) => !a.breakage)) {
      const a = byId.get(t.id.toLowerCase())!;
      expect(a.storage?.toLowerCase(), a.name).toBe(t.storageId.toLowerCase());
      expect(a.subnet?.toLowerCase(), a.name).toBe(t.subnetId.toLowerCase());
      expect(a.ok).toBe(true);
    }
    const publicOne = mixed.accounts.find((a) => a.breakage === 'public-network')!;
    const check = byId.get(publicOne.id.toLowerCase())!.checks.find((c) => c.id === 'account.network')!;
    expect(check.fix).toMatch(new RegExp(`^secure-docintel private-endpoint --subscription ${publicOne.subscriptionId} --resource-group rg-docintel-\\d+ --docintel ${publicOne.name} --storage st`));
    const noIdentity = mixed.accounts.find((a) => a.breakage === 'no-identity')!;
    expect(byId.get(noIdentity.id.toLowerCase())!.storage).toBeNull();
  });

  it('writes the inventory CSV of the contract: a header and one row per account', async () => {
    const r = await runCli(emu, 'audit', { output: 'csv' });
    expect(r.code).toBe(1);
    const lines = r.out.split('\r\n');
    expect(lines[0]).toBe('id,name,subscriptionId,resourceGroup,kind,location,storage,subnet,ok,failed');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows).toHaveLength(120);
    const truth = truthOf(mixed);
    for (const row of rows) {
      expect(row).toHaveLength(10);
      const want = truth[row[0].toLowerCase()];
      expect(row[9].split(' ').filter(Boolean).sort(), row[1]).toEqual(want);
      expect(row[8]).toBe(String(want.length === 0));
    }
  });

  it('pages through Resource Graph: the same result over pages of 25 rows', async () => {
    await emu.clearLog();
    const whole = (await runCli(emu, 'audit', { output: 'json' })).json() as AuditJson;
    const onePage = await graphQueries(emu);
    await emu.clearLog();
    const paged = await runCli(emu, 'audit', { output: 'json' }, { env: { SECURE_DOCINTEL_GRAPH_PAGE_SIZE: '25' } });
    const doc = paged.json() as AuditJson;
    expect(doc.accounts.map((a) => [a.id, a.ok])).toEqual(whole.accounts.map((a) => [a.id, a.ok]));
    // accounts, storage, private endpoints (each 120+ rows) and role assignments: more pages, more queries
    expect(await graphQueries(emu)).toBeGreaterThanOrEqual(onePage + 3 * 4);
  });

  it('audits the subscriptions named, by id or by name, repeated or comma-separated', async () => {
    const [s1, s2, s3] = mixed.scenario.subscriptions;
    const r = await runCli(emu, 'audit', { output: 'json', subscription: [`${s1.subscriptionId},${s2.displayName}`, s3.displayName!.toUpperCase()] });
    const doc = r.json() as AuditJson;
    const wanted = new Set([s1, s2, s3].map((s) => s.subscriptionId));
    expect(doc.summary.subscriptions).toBe(3);
    expect(doc.accounts.length).toBe(mixed.accounts.filter((a) => wanted.has(a.subscriptionId)).length);
    expect(doc.accounts.every((a) => wanted.has(a.subscriptionId))).toBe(true);
  });

  it('audits a management group', async () => {
    const group = Object.keys(mixed.scenario.extras!.managementGroups as object)[0];
    const doc = (await runCli(emu, 'audit', { output: 'json', managementGroup: group })).json() as AuditJson;
    expect(doc.summary.accounts).toBe(120);
  });

  it('exits 0 when every account passes', async () => {
    const converged = mixed.accounts.find((a) => !a.breakage)!;
    const r = await runCli(emu, 'audit', { subscription: [converged.subscriptionId] });
    const inSub = mixed.accounts.filter((a) => a.subscriptionId === converged.subscriptionId);
    expect(r.code).toBe(inSub.some((a) => a.failing.length) ? 1 : 0);
    expect(r.out).toContain(converged.name);
  });

  it('prints a table of the accounts with their failing checks, and a summary', async () => {
    const r = await runCli(emu, 'audit', {});
    expect(r.code).toBe(1);
    const broken = mixed.accounts.find((a) => a.breakage === 'no-subdomain')!;
    const line = r.out.split('\n').find((l) => l.includes(broken.name))!;
    expect(line).toMatch(/^ {2}✗ /);
    expect(line).toContain('account.custom-subdomain, account.network');
    const failed = mixed.accounts.filter((a) => a.failing.length).length;
    expect(r.out).toContain(`${failed} of 120 account(s) in 6 subscription(s) fail the guide's checks`);
    expect(r.err).toContain('Auditing 6 subscription(s) through Azure Resource Graph.');
  });

  it('refuses bad flags with exit 2 before signing in', async () => {
    const r = await runCli(emu, 'audit', { managementGroup: 'mg', subscription: ['x'], output: 'json' });
    expect(r.code).toBe(2);
    expect(r.json().error.message).toMatch(/--management-group conflicts with --subscription/);
    expect((await runCli(emu, 'audit', { concurrency: '0', deep: true })).code).toBe(2);
    expect((await runCli(emu, 'audit', { subscription: ['No such subscription'] })).code).toBe(2);
  });
});

describe('audit over an estate that was never set up', () => {
  it('every account fails identity, subdomain and network; no storage is linked, no subnet known', async () => {
    const open = estate({ seed: 5, subscriptions: 3, accounts: 9, mode: 'open' });
    const emu = await startTestEmulator({ scenario: open.scenario });
    try {
      const doc = (await runCli(emu, 'audit', { output: 'json' })).json() as AuditJson;
      expect(doc.accounts).toHaveLength(9);
      for (const a of doc.accounts) {
        expect(failingOf(a)).toEqual(['account.custom-subdomain', 'account.identity', 'account.network']);
        expect([a.storage, a.subnet]).toEqual([null, null]);
      }
    } finally {
      await emu.stop();
    }
  });
});

describe('audit requests grow with pages, not with accounts', () => {
  it('100 and 400 accounts over 10 subscriptions: the same requests while every query fits one page', async () => {
    const counts: number[] = [];
    // 400 accounts: at most 800 private endpoints, within one page of 1,000 rows
    for (const accounts of [100, 400]) {
      const e = estate({ seed: 3, subscriptions: 10, accounts });
      const emu = await startTestEmulator({ scenario: e.scenario });
      try {
        const doc = (await runCli(emu, 'audit', { output: 'json' })).json() as AuditJson;
        expect(doc.summary.accounts).toBe(accounts);
        counts.push(doc.armRequests.reads);
      } finally {
        await emu.stop();
      }
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('audit --deep reads per account; without it, per page', () => {
  it('an estate of 12 accounts: --deep adds ARM reads for every account it can judge deeply', async () => {
    const e = estate({ seed: 9, subscriptions: 2, accounts: 12 });
    const emu = await startTestEmulator({ scenario: e.scenario });
    try {
      const shallow = (await runCli(emu, 'audit', { output: 'json' })).json() as AuditJson;
      const deep = await runCli(emu, 'audit', { output: 'json', deep: true, concurrency: '3' });
      const doc = deep.json() as AuditJson;
      const judged = doc.accounts.filter((a) => a.storage && a.subnet).length;
      expect(judged).toBeGreaterThan(4);
      // each judged account: at least its four targets (account, storage, VNet, subnet) read through ARM
      expect(doc.armRequests.reads).toBeGreaterThanOrEqual(shallow.armRequests.reads + 4 * judged);
      expect(doc.armRequests.writes).toBe(0);
      // the generated estate has no private DNS zones: validate's DNS checks fail where --deep ran
      for (const a of doc.accounts.filter((x) => x.storage && x.subnet)) expect(failingOf(a)).toContain('account.dns.zone');
    } finally {
      await emu.stop();
    }
  });
});

describe('audit --deep', () => {
  let cli: Cli;
  beforeAll(async () => {
    cli = await Cli.start();
    await cli.setup();
  });
  afterAll(async () => {
    await cli.emu.stop();
  });

  it('runs validate\'s checks per account: a converged demo passes them all, a missing DNS record fails as in validate', async () => {
    const deep = await runCli(cli.emu, 'audit', { output: 'json', deep: true, concurrency: '2' });
    expect(deep.code, deep.out).toBe(0);
    const account = (deep.json() as AuditJson).accounts[0];
    const validate = await cli.validate();
    expect(account.checks.map((c) => [c.id, c.status])).toEqual(validate.json.checks.map((c) => [c.id, c.status]));
    expect(account.storage).toBe(IDS.storage);

    const state = await cli.state();
    const record = state.resources.find((r) => /privateDnsZones\/privatelink\.cognitiveservices\.azure\.com\/A\//i.test(r.id));
    await cli.emu.control('PUT', 'state', { delete: [record.id] });
    try {
      const broken = await runCli(cli.emu, 'audit', { output: 'json', deep: true });
      expect(broken.code).toBe(1);
      const failing = failingOf((broken.json() as AuditJson).accounts[0]);
      expect(failing).toEqual((await cli.validate()).json.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort());
      expect(failing).toContain('account.dns.record');
      // without --deep, Resource Graph cannot see DNS records: the same estate passes
      expect((await runCli(cli.emu, 'audit', { subscription: [DEMO.subscriptionId] })).code).toBe(0);
    } finally {
      // the converged demo of this block's beforeAll, as the other test here reads it
      await cli.emu.control('PUT', 'state', { resources: [record] });
    }
    expect((await runCli(cli.emu, 'audit', { output: 'json', deep: true })).code).toBe(0);
  });

  it('reads each resource of an account once through ARM: the subnet comes with its VNet', async () => {
    await cli.emu.clearLog();
    const deep = await runCli(cli.emu, 'audit', { output: 'json', deep: true });
    expect(deep.json().armRequests.writes).toBe(0);
    const reads = (await cli.emu.armRequests()).filter((r) => r.method === 'GET').map((r) => r.path.toLowerCase());
    const repeated = reads.filter((p, i) => reads.indexOf(p) !== i);
    expect(repeated).toEqual([]);
    expect(reads.some((p) => p.endsWith('/virtualnetworks/vnet-demo'))).toBe(true);
    expect(reads.filter((p) => p.includes('/subnets/'))).toEqual([]);
  });
});
