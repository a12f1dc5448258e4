/** `validate` on the demo: before setup it lists failures with fixes and exits 1; after setup it passes, probes included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cli, DEMO, check, failing } from '../support/cli.js';

const PROBE = { probe: true, probeBlob: `${DEMO.container}/${DEMO.sampleBlob}` };

/**
 * Each block sets up its own state (the demo as scenario, or the demo after setup) and its tests only
 * read it, so they pass in any order (`vitest run --sequence.shuffle`).
 */
let cli: Cli;
beforeAll(async () => {
  cli = await Cli.start();
});
afterAll(async () => {
  await cli.emu.stop();
});

describe('validate on the demo, before setup', () => {
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
  });

  it('lists the failures, each with a secure-docintel fix, and exits 1', async () => {
    const { code, json } = await cli.validate();
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(failing(json)).toEqual(
      expect.arrayContaining(['account.identity', 'account.custom-subdomain', 'account.network', 'storage.firewall', 'storage.private-endpoint']),
    );
    for (const c of json.checks.filter((x) => x.status === 'fail')) expect(c.fix).toMatch(/^secure-docintel /);
    expect(check(json, 'account.identity').fix).toContain('secure-docintel identity');
    expect(json.reachability.map((r) => [r.from, r.ok])).toContainEqual(['public client (unknown IP)', true]);
    expect(json.reachability.find((r) => r.from.includes('managed identity'))!.ok).toBe(false);
  });

  it('the text report marks failures ✗ with a fix line, on stdout', async () => {
    const r = await cli.run('validate');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ account\.identity/);
    expect(r.stdout).toMatch(/fix: secure-docintel identity/);
    expect(r.stdout).toContain('Connections (from the configuration)');
  });

});

describe('validate on the demo, after setup', () => {
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
    await cli.setup();
  });

  it('every check passes and it exits 0', async () => {
    const { code, json } = await cli.validate();
    expect(failing(json)).toEqual([]);
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    const rows = Object.fromEntries(json.reachability.map((r) => [r.from.split(' (')[0], r.ok]));
    expect(rows).toMatchObject({ 'client in vnet-demo': true, 'public client': false, 'docintel-demo': true });
  });

  it('--probe agrees with the connections (Read of the sample, analyze by URL without SAS)', async () => {
    const { code, json } = await cli.validate(PROBE);
    expect(failing(json)).toEqual([]);
    expect(code).toBe(0);
    expect(check(json, 'probe.read.vnet')).toMatchObject({ status: 'pass' });
    expect(check(json, 'probe.read.vnet').message).toContain('succeeded');
    expect(check(json, 'probe.read.public').message).toContain('refused by the firewall');
    expect(check(json, 'probe.identity.storage')).toMatchObject({ status: 'pass' });
    expect(check(json, 'probe.dns.account').message).toMatch(/10\.10\.1\.\d+ \(private address/);
  });

  it('reads each extra resource once and writes nothing', async () => {
    await cli.emu.clearLog();
    await cli.validate();
    const log = await cli.emu.armRequests();
    expect(log.filter((e) => e.method !== 'GET')).toEqual([]);
    const paths = log.map((e) => `${e.method} ${e.path.toLowerCase()}`);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('--explain ContentSourceNotAccessible rules out what the state rules out', async () => {
    const { json } = await cli.validate({ explain: 'ContentSourceNotAccessible' });
    expect(json.explain!.code).toBe('ContentSourceNotAccessible');
    expect(json.explain!.causes.filter((c) => c.likelihood === 'confirmed')).toEqual([]);
    expect(json.explain!.causes.map((c) => c.likelihood)).toContain('ruled-out');
  });
});
