/**
 * The fault matrix: for every ARM write `setup` makes on the demo, Azure answers badly in turn —
 * 429 with Retry-After, 500, 503, 409 AnotherOperationInProgress, a dropped connection, a
 * long-running operation ending Failed, a persistent 500 — plus PrincipalNotFound while the identity
 * replicates and the account stuck in Accepted. Each run either succeeds after bounded retries or
 * stops with exit 1 and a message saying what failed and that a re-run is safe; a clean re-run then
 * converges. Every setting the user had before survives and nothing is created twice.
 *
 * The cases are declared here; fault-matrix.test.ts and fault-matrix-dns.test.ts each run half of
 * the write positions (HALVES), so `npx vitest run test/reliability/fault-matrix` runs them all.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';
import { seedPreexisting, expectSeedKept, expectConverged, expectNoDuplicates, expectNoStack, stateOf, armWrites } from './support.js';

const SUB = '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-docintel-demo/providers';

/** The writes of a clean `setup --allow-studio` on the seeded demo, in the order a run makes them. */
const WRITES: { label: string; method: string; path: string; occurrence: number; lro: boolean }[] = [
  { label: 'account identity', method: 'PATCH', path: `${SUB}/Microsoft.CognitiveServices/accounts/docintel-demo`, occurrence: 1, lro: true },
  { label: 'storage firewall', method: 'PATCH', path: `${SUB}/Microsoft.Storage/storageAccounts/stdocinteldemo`, occurrence: 1, lro: false },
  { label: 'storage CORS', method: 'PUT', path: `${SUB}/Microsoft.Storage/storageAccounts/stdocinteldemo/blobServices/default`, occurrence: 1, lro: false },
  { label: 'role assignment', method: 'PUT', path: `${SUB}/Microsoft.Storage/storageAccounts/stdocinteldemo/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]+`, occurrence: 1, lro: false },
  { label: 'subnet policies', method: 'PUT', path: `${SUB}/Microsoft.Network/virtualNetworks/vnet-demo/subnets/snet-pe`, occurrence: 1, lro: true },
  { label: 'account network', method: 'PATCH', path: `${SUB}/Microsoft.CognitiveServices/accounts/docintel-demo`, occurrence: 2, lro: true },
  { label: 'account private endpoint', method: 'PUT', path: `${SUB}/Microsoft.Network/privateEndpoints/pe-docintel-demo-account`, occurrence: 1, lro: true },
  { label: 'blob private endpoint', method: 'PUT', path: `${SUB}/Microsoft.Network/privateEndpoints/pe-stdocinteldemo-blob`, occurrence: 1, lro: true },
  { label: 'account DNS zone', method: 'PUT', path: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com`, occurrence: 1, lro: true },
  { label: 'blob DNS zone', method: 'PUT', path: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`, occurrence: 1, lro: true },
  { label: 'account VNet link', method: 'PUT', path: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com/virtualNetworkLinks/vnet-demo-link`, occurrence: 1, lro: true },
  { label: 'blob VNet link', method: 'PUT', path: `${SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/vnet-demo-link`, occurrence: 1, lro: true },
  { label: 'account zone group', method: 'PUT', path: `${SUB}/Microsoft.Network/privateEndpoints/pe-docintel-demo-account/privateDnsZoneGroups/default`, occurrence: 1, lro: true },
  { label: 'blob zone group', method: 'PUT', path: `${SUB}/Microsoft.Network/privateEndpoints/pe-stdocinteldemo-blob/privateDnsZoneGroups/default`, occurrence: 1, lro: true },
];

const pathRegex = (p: string) => `^${p.replace(/\./g, '\\.')}$`;

interface FaultKind {
  name: string;
  fault: Record<string, unknown>;
  /** 'retried': the run must succeed; 'fails': it must stop with exit 1; 'either' */
  expect: 'retried' | 'fails' | 'either';
}

const FAULTS: FaultKind[] = [
  { name: '429 with Retry-After', fault: { status: 429, retryAfter: 1, count: 1 }, expect: 'retried' },
  { name: '500', fault: { status: 500, count: 2 }, expect: 'retried' },
  { name: '503', fault: { status: 503, count: 2 }, expect: 'retried' },
  { name: '409 AnotherOperationInProgress', fault: { status: 409, code: 'AnotherOperationInProgress', count: 2 }, expect: 'retried' },
  { name: 'dropped connection', fault: { drop: true, count: 1 }, expect: 'retried' },
  { name: 'applied, then the response lost', fault: { dropAfterApply: true, count: 1 }, expect: 'retried' },
  { name: 'long-running operation ending Failed', fault: { lroFail: true, count: 1 }, expect: 'either' },
  { name: 'persistent 500', fault: { status: 500, count: 1000 }, expect: 'fails' },
];

const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS: '20' };
const SEEDED = { accountIpRule: true };
/** how long a new identity stays invisible in the 'replication delay' case */
const REPLICATION_MS = 1500;
const setupArgs = { ...DEMO_TARGETS, yes: true, allowStudio: true };
/** A case may wait for the cases before it at its write position. */
const TIMEOUT = 600_000;

/**
 * The positions the cases run at: one emulator each, reset between cases. Besides the writes, the
 * clean run that checks this table, and the case with every long-running write slowed down.
 */
export const POSITIONS = ['no fault', ...WRITES.map((w) => w.label), 'every long-running write'];

/**
 * The matrix is split in two halves of its positions, one test file each, so that the two run in
 * two worker processes at once: a run is CPU work in one process (the product, the emulator, the
 * spec validation of each exchange), and one process uses one core.
 */
export const HALVES = [POSITIONS.slice(0, POSITIONS.length / 2), POSITIONS.slice(POSITIONS.length / 2)] as const;

/**
 * Declares the matrix's cases at these positions. The cases of one position run one after another
 * on its emulator; different positions run at the same time (every describe is concurrent), so one
 * case's waits (Retry-After, back-off, polling) overlap the others' work. The cases that wait most
 * (faults that do not go away, replication, Accepted) are declared first, so their waits are not
 * left at the end with nothing else to run beside them.
 */
export function faultMatrix(positions: readonly string[]): void {
  const emulators = new Map<string, Promise<TestEmulator>>();
  const queues = new Map<string, Promise<unknown>>();
  const here = (position: string) => positions.includes(position);

  function atPosition<T>(position: string, test: (emu: TestEmulator) => Promise<T>): Promise<T> {
    if (!emulators.has(position)) emulators.set(position, startTestEmulator());
    const turn = (queues.get(position) ?? Promise.resolve()).then(async () => {
      const emu = await emulators.get(position)!;
      await fresh(emu);
      return test(emu);
    });
    queues.set(position, turn.catch(() => undefined));
    return turn;
  }

  afterAll(async () => {
    await Promise.all([...emulators.values()].map(async (emu) => (await emu).stop()));
  });

  const writesHere = WRITES.filter((w) => here(w.label));
  const some = writesHere.filter((w) => ['account identity', 'role assignment', 'blob private endpoint', 'account zone group'].includes(w.label));
  const accountPatches = writesHere.filter((w) => w.method === 'PATCH' && /accounts/.test(w.path));

  if (here('no fault')) describe.concurrent('the writes setup makes', () => {
    it('are the ones this matrix injects faults into', () =>
      atPosition('no fault', async (emu) => {
        const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
        expect(run.code, run.err).toBe(0);
        const seen = (await armWrites(emu)).map((r) => `${r.method} ${r.path}`);
        expect(seen).toHaveLength(WRITES.length);
        for (const w of WRITES) {
          const re = new RegExp(pathRegex(w.path), 'i');
          expect(seen.filter((s) => s.startsWith(`${w.method} `) && re.test(s.slice(w.method.length + 1))).length, w.label).toBeGreaterThanOrEqual(w.occurrence);
        }
        expectSeedKept(await stateOf(emu), 'clean run', SEEDED);
        expectConverged(await stateOf(emu));
      }), TIMEOUT);
  });

  if (some.length || here('storage firewall')) describe.concurrent('faults that do not go away stop the run within bounds', () => {
    if (some.length) it.each(some.flatMap((w) => [
      { w, name: '409 AnotherOperationInProgress', fault: { status: 409, code: 'AnotherOperationInProgress', count: 1000 }, says: /AnotherOperationInProgress/ },
      { w, name: 'dropped connections', fault: { drop: true, count: 1000 }, says: /connection|socket|ECONNRESET|network/i },
    ]))('$name at $w.label', ({ w, name, fault, says }) =>
      atPosition(w.label, async (emu) => {
        await emu.control('POST', 'faults', faultsFor(w, fault));
        const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
        expect(run.code, run.err).toBe(1);
        expect(run.err).toMatch(says);
        expect((await attemptsOf(emu, w)).length, `${name}: bounded attempts`).toBeLessThanOrEqual(w.occurrence - 1 + 8);
        await checkFaultedRun(emu, run, `${name} at ${w.label}`, 'fails');
        await cleanRerunConverges(emu, `${name} at ${w.label}`, false);
      }), TIMEOUT);

    if (here('storage firewall')) it('429 that does not go away: Retry-After is honoured a bounded number of times, then exit 1', () =>
      atPosition('storage firewall', async (emu) => {
        const w = WRITES.find((x) => x.label === 'storage firewall')!;
        await emu.control('POST', 'faults', faultsFor(w, { status: 429, retryAfter: 1, count: 1000 }));
        const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
        expect(run.code, run.err).toBe(1);
        expect(run.err).toMatch(/TooManyRequests|429|throttl/i);
        const attempts = await attemptsOf(emu, w);
        expect(attempts.length).toBeGreaterThanOrEqual(2);
        expect(attempts.length).toBeLessThanOrEqual(8);
        // By the emulator's clock, each attempt came at least Retry-After (1 s) after the 429 before it.
        for (let i = 1; i < attempts.length; i++) expect(Date.parse(attempts[i].time) - Date.parse(attempts[i - 1].time)).toBeGreaterThanOrEqual(1000);
        await checkFaultedRun(emu, run, '429 that does not go away', 'fails');
        await cleanRerunConverges(emu, '429 that does not go away', false);
      }), TIMEOUT);
  });

  if (here('role assignment')) describe.concurrent('PrincipalNotFound while the new identity replicates', () => {
    // Azure skips the directory lookup for an assignment that names its principalType (the
    // emulator's role-assignments.ts, BEHAVIOR.md): the new identity's replication costs no retry.
    it('replication delay: the role assignment names its principal type and is accepted at once', () =>
      atPosition('role assignment', async (emu) => {
        await emu.control('POST', 'faults', { replicationDelayMs: REPLICATION_MS });
        const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
        await checkFaultedRun(emu, run, 'replication delay', 'retried');
        const puts = await attemptsOf(emu, WRITES.find((x) => x.label === 'role assignment')!);
        expect(puts.map((x) => x.status), 'the role assignment PUTs').toEqual([201]);
        await cleanRerunConverges(emu, 'replication delay', true);
      }), TIMEOUT);

    it('PrincipalNotFound for the first three attempts is retried', () =>
      atPosition('role assignment', async (emu) => {
        await emu.control('POST', 'faults', { method: 'PUT', path: 'roleAssignments', status: 400, code: 'PrincipalNotFound', message: 'Principal 0000 does not exist in the directory (injected).', count: 3 });
        const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
        await checkFaultedRun(emu, run, 'PrincipalNotFound x3', 'retried');
        const puts = await attemptsOf(emu, WRITES.find((x) => x.label === 'role assignment')!);
        expect(puts.map((x) => x.status), 'the role assignment PUTs').toEqual([400, 400, 400, 201]);
        await cleanRerunConverges(emu, 'PrincipalNotFound x3', true);
      }), TIMEOUT);

    it('PrincipalNotFound beyond the replication wait stops with a message that says to wait and re-run', () =>
      atPosition('role assignment', async (emu) => {
        await emu.control('POST', 'faults', { method: 'PUT', path: 'roleAssignments', status: 400, code: 'PrincipalNotFound', message: 'Principal does not exist in the directory (injected).', count: 1000 });
        const run = await runCli(emu, 'setup', setupArgs, { env: { ...ENV, SECURE_DOCINTEL_REPLICATION_WAIT_SECONDS: '0.5' } });
        expect(run.code, run.err).toBe(1);
        expect(run.err).toMatch(/PrincipalNotFound/);
        expect(run.err).toMatch(/replicat/);
        expect(run.err).toMatch(/grant|run the same command again|safe to run again/);
        await checkFaultedRun(emu, run, 'persistent PrincipalNotFound', 'fails');
        await cleanRerunConverges(emu, 'after persistent PrincipalNotFound', false);
      }), TIMEOUT);
  });

  if (accountPatches.length || here('every long-running write')) describe.concurrent('the account stuck in Accepted for a while', () => {
    if (accountPatches.length) it.each(accountPatches)('after the $label write, the run waits it out', (w) =>
      atPosition(w.label, async (emu) => {
        await emu.control('POST', 'faults', faultsFor(w, { acceptedForMs: 1500, count: 1 }));
        await faultedThenRerun(emu, `Accepted after ${w.label}`, 'retried');
      }), TIMEOUT);

    if (here('every long-running write')) it('with long-running operations taking a while everywhere, setup still converges', () =>
      atPosition('every long-running write', async (emu) => {
        await emu.control('POST', 'faults', { lroDelayMs: 600 });
        await faultedThenRerun(emu, 'slow long-running operations', 'retried');
      }), TIMEOUT);
  });

  if (writesHere.length) describe.concurrent.each(FAULTS)('$name at every write', (kind) => {
    it.each(writesHere)('$label ($method)', (w) =>
      atPosition(w.label, async (emu) => {
        await emu.control('POST', 'faults', faultsFor(w, kind.fault));
        const expectation = kind.expect === 'either' && !w.lro ? 'retried' : kind.expect;
        await faultedThenRerun(emu, `${kind.name} at ${w.label}`, expectation);
      }), TIMEOUT);
  });
}

async function fresh(emu: TestEmulator): Promise<void> {
  await emu.control('POST', 'reset');
  await seedPreexisting(emu, SEEDED);
  await emu.clearLog();
}

/** Faults that let the first (occurrence - 1) matching requests through, then the real one. */
function faultsFor(w: (typeof WRITES)[number], fault: Record<string, unknown>): Record<string, unknown>[] {
  const path = pathRegex(w.path);
  return [...Array.from({ length: w.occurrence - 1 }, () => ({ method: w.method, path, count: 1 })), { method: w.method, path, ...fault }];
}

/** The attempts of write `w` in the emulator's log, in order. */
async function attemptsOf(emu: TestEmulator, w: (typeof WRITES)[number]) {
  return (await armWrites(emu)).filter((r) => r.method === w.method && new RegExp(pathRegex(w.path), 'i').test(r.path));
}

/** Runs setup under the faults, checks how it ended, then re-runs clean and checks convergence. */
async function faultedThenRerun(emu: TestEmulator, label: string, expectation: FaultKind['expect']): Promise<void> {
  const run = await runCli(emu, 'setup', setupArgs, { env: ENV });
  await checkFaultedRun(emu, run, label, expectation);
  await cleanRerunConverges(emu, label, run.code === 0);
}

async function checkFaultedRun(emu: TestEmulator, run: { code: number; out: string; err: string }, label: string, expectation: FaultKind['expect']): Promise<void> {
  const output = run.out + run.err;
  expectNoStack(output, label);
  if (expectation === 'retried') expect(run.code, `${label}: should be retried\n${run.err}`).toBe(0);
  else if (expectation === 'fails') expect(run.code, `${label}: should stop\n${run.err}`).toBe(1);
  else expect([0, 1], `${label}\n${run.err}`).toContain(run.code);
  if (run.code !== 0) {
    expect(run.err, label).toMatch(/Azure said:|Fix:/);
    expect(run.err, label).toMatch(/safe to run again|run the same command again/);
  }
  const state = await stateOf(emu);
  expectSeedKept(state, `${label} (after the faulted run)`, SEEDED);
  expectNoDuplicates(state, `${label} (after the faulted run)`);
}

async function cleanRerunConverges(emu: TestEmulator, label: string, firstSucceeded: boolean): Promise<void> {
  await emu.control('DELETE', 'faults');
  await emu.clearLog();
  const again = await runCli(emu, 'setup', setupArgs, { env: ENV });
  expect(again.code, `${label}: clean re-run\n${again.err}\n${again.out}`).toBe(0);
  if (firstSucceeded) expect(await armWrites(emu), `${label}: a re-run after success writes nothing`).toEqual([]);
  const state = await stateOf(emu);
  expectSeedKept(state, `${label} (after the re-run)`, SEEDED);
  expectConverged(state, `${label} (after the re-run)`);
}

