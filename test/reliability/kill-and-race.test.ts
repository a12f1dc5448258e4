/**
 * Interrupted and concurrent runs of the real binary. `setup` runs as a child process and is killed
 * with SIGKILL right after its k-th ARM write has been answered, for every k; a re-run then converges
 * with every pre-existing setting kept and nothing duplicated. Two `setup` processes started together
 * on the same resources both converge, or one fails cleanly and a re-run converges.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS, installedCopy, runChild, childEnv, demoArgs } from '../support/cli.js';
import { seedPreexisting, expectSeedKept, expectConverged, expectNoDuplicates, expectNoStack, expectNoSecrets, stateOf, armWrites, AnsweredWrites } from './support.js';

/** Writes a clean `setup --allow-studio` makes on the seeded demo (the fault matrix lists them). */
const WRITE_COUNT = 14;
const SEEDED = { accountIpRule: true };
const ARGS = ['setup', '--non-interactive', '--yes', '--allow-studio'];

/** Writes the emulator has answered since the last fresh(); waits resolve as it answers them. */
const answered = new AnsweredWrites();

let emu: TestEmulator;
beforeAll(async () => {
  installedCopy();
  emu = await startTestEmulator({ onExchange: answered.onAnswer });
}, 120_000);
afterAll(async () => emu.stop());

async function fresh(): Promise<void> {
  await emu.control('POST', 'reset');
  await seedPreexisting(emu, SEEDED);
  await emu.clearLog();
  answered.reset();
}

/** Writes answered so far (a dropped or pending one has no status yet). */
async function answeredWrites(): Promise<number> {
  return (await armWrites(emu)).filter((w) => w.status > 0).length;
}

async function rerunConverges(label: string): Promise<void> {
  const again = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true }, { env: { SECURE_DOCINTEL_RETRY_DELAY_MS: '10' } });
  expect(again.code, `${label}: re-run\n${again.err}`).toBe(0);
  const state = await stateOf(emu);
  expectSeedKept(state, `${label} (after the re-run)`, SEEDED);
  expectConverged(state, `${label} (after the re-run)`);
  await emu.clearLog();
  const third = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true }, { env: { SECURE_DOCINTEL_RETRY_DELAY_MS: '10' } });
  expect(third.code, `${label}: third run`).toBe(0);
  expect(await armWrites(emu), `${label}: a converged state takes no writes`).toEqual([]);
}

describe('the binary, uninterrupted', () => {
  it(`makes ${WRITE_COUNT} writes on the seeded demo and prints no secret`, async () => {
    await fresh();
    const run = runChild([...ARGS, ...demoArgs(emu)], childEnv(emu));
    const r = await run.done;
    expect(r.code, r.err).toBe(0);
    expect(await answeredWrites()).toBe(WRITE_COUNT);
    expectNoStack(r.out + r.err);
    expectNoSecrets(r.out + r.err);
    expectSeedKept(await stateOf(emu), 'uninterrupted', SEEDED);
    expectConverged(await stateOf(emu), 'uninterrupted');
  });
});

describe('SIGKILL right after the k-th write', () => {
  it.each(Array.from({ length: WRITE_COUNT }, (_, i) => i + 1))('k = %i: a re-run converges, nothing lost or duplicated', async (k) => {
    await fresh();
    // Every write waits a little before Azure takes it, so the test sees write k answered before
    // write k+1 lands. A write already sent when the kill comes may still land, as it would in Azure.
    await emu.control('POST', 'faults', [{ method: 'PUT', path: '.', delayMs: 120 }, { method: 'PATCH', path: '.', delayMs: 120 }]);
    const run = runChild([...ARGS, ...demoArgs(emu)], childEnv(emu));
    const first = await Promise.race([answered.atLeast(k).then(() => 'write'), run.done.then(() => 'exit')]);
    expect(first, `the run ended before its write ${k}`).toBe('write');
    run.child.kill('SIGKILL');
    const r = await run.done;
    expect(r.signal).toBe('SIGKILL');
    await answered.inFlightLanded(emu);
    const state = await stateOf(emu);
    expectSeedKept(state, `killed after write ${k}`, SEEDED);
    expectNoDuplicates(state, `killed after write ${k}`);
    await rerunConverges(`killed after write ${k}`);
  });
});

describe('Ctrl-C (SIGINT) during setup', () => {
  it.each([1, 4, 6, 8])('after write %i: no new write starts, exit 130, and a re-run converges', async (k) => {
    await fresh();
    await emu.control('POST', 'faults', [{ method: 'PUT', path: '.', delayMs: 120 }, { method: 'PATCH', path: '.', delayMs: 120 }]);
    const run = runChild([...ARGS, ...demoArgs(emu)], childEnv(emu));
    await Promise.race([answered.atLeast(k), run.done]);
    run.child.kill('SIGINT');
    const r = await run.done;
    await answered.inFlightLanded(emu);
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(/Interrupted\. Nothing more was written; run the same command again/);
    // only writes already sent when Ctrl-C came may land: the two endpoint chains run at most 4 at once
    expect(await answeredWrites()).toBeLessThanOrEqual(k + 4);
    expectNoStack(r.out + r.err);
    const state = await stateOf(emu);
    expectSeedKept(state, `SIGINT after write ${k}`, SEEDED);
    expectNoDuplicates(state, `SIGINT after write ${k}`);
    await rerunConverges(`SIGINT after write ${k}`);
  });
});

describe('two setups at once on the same resources', () => {
  it.each([
    { delayMs: 0, after: 0 },
    { delayMs: 40, after: 0 },
    { delayMs: 150, after: 0 },
    { delayMs: 40, after: 3 },
    { delayMs: 40, after: 7 },
  ])('writes taking $delayMs ms, the second starting after $after writes: both converge, or one fails cleanly and a re-run converges', async ({ delayMs, after }) => {
    await fresh();
    if (delayMs) await emu.control('POST', 'faults', [{ method: 'PUT', path: '.', delayMs }, { method: 'PATCH', path: '.', delayMs }]);
    const a = runChild([...ARGS, ...demoArgs(emu)], childEnv(emu));
    await Promise.race([answered.atLeast(after), a.done]);
    const b = runChild([...ARGS, ...demoArgs(emu)], childEnv(emu));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    for (const r of [ra, rb]) {
      expect([0, 1], r.err).toContain(r.code);
      expectNoStack(r.out + r.err);
      if (r.code === 1) expect(r.out + r.err, r.out).toMatch(/safe to run again|run the same command again|✗/);
    }
    await emu.control('DELETE', 'faults');
    const state = await stateOf(emu);
    expectSeedKept(state, 'after the race', SEEDED);
    expectNoDuplicates(state, 'after the race');
    if (ra.code === 0 && rb.code === 0) expectConverged(state, 'both succeeded');
    await rerunConverges(`race (${delayMs} ms, after ${after})`);
  });
});
