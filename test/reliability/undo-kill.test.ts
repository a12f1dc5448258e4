/**
 * Interrupted undos of the real binary. On the seeded demo (rules, CORS, tags, a user-assigned
 * identity and a subdomain the user had), `setup` runs, then `undo` runs as a child process and is
 * killed with SIGKILL right after its k-th ARM write has been answered, for every k; a re-run of the
 * same undo then converges — every resource as the setup's journal recorded it before — and a third
 * makes no writes. A setup killed after its k-th write leaves a journal an undo can use.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS, installedCopy, runChild, childEnv, demoArgs, STATE_HOME } from '../support/cli.js';
import { expectAsBefore, readJournalFile } from '../support/journal.js';
import { seedPreexisting, expectSeedKept, expectNoStack, expectNoSecrets, armWrites, AnsweredWrites } from './support.js';

/** Writes an undo of `setup --allow-studio` makes on the seeded demo. */
const UNDO_WRITES = 14;
const SETUP_WRITES = 14;
/** This file's runs, recorded apart from other files' (`runs` must find its own killed setup). */
const STATE = mkdtempSync(join(STATE_HOME, 'undo-kill-'));
const ENV = { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', XDG_STATE_HOME: STATE };
const DELAYS = ['PUT', 'PATCH', 'DELETE'].map((method) => ({ method, path: '.', delayMs: 120 }));

/** Writes the emulator has answered since the last reset(); waits resolve as it answers them. */
const answered = new AnsweredWrites();

let emu: TestEmulator;
beforeAll(async () => {
  installedCopy();
  emu = await startTestEmulator({ onExchange: answered.onAnswer });
}, 120_000);
afterAll(async () => emu.stop());

async function seededSetup(): Promise<{ id: string; journal: any }> {
  await emu.control('POST', 'reset');
  await seedPreexisting(emu, { accountIpRule: true });
  const r = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, allowStudio: true, output: 'json' }, { env: ENV });
  expect(r.code, r.err).toBe(0);
  const { id, path } = r.json().journal;
  return { id, journal: readJournalFile(path) };
}

const connection = () => ['--arm-endpoint', emu.url, '--ca-cert', emu.caFile];

async function undoConverges(label: string, run: { id: string; journal: any }): Promise<void> {
  const again = await runCli(emu, 'undo', { run: run.id, yes: true }, { env: ENV });
  expect(again.code, `${label}: re-run\n${again.err}`).toBe(0);
  await expectAsBefore(emu, run.journal, [], `${label} (after the re-run)`);
  expectSeedKept(await emu.control('GET', 'state'), `${label} (after the re-run)`, { accountIpRule: true });
  await emu.clearLog();
  const third = await runCli(emu, 'undo', { run: run.id, yes: true }, { env: ENV });
  expect(third.code, `${label}: third undo\n${third.err}`).toBe(0);
  expect(await armWrites(emu), `${label}: a restored state takes no writes`).toEqual([]);
}

describe('undo, the binary, uninterrupted', () => {
  it(`makes ${UNDO_WRITES} writes on the seeded demo, restores it and prints no secret`, async () => {
    const run = await seededSetup();
    answered.reset();
    const r = await runChild(['undo', '--run', run.id, '--non-interactive', '--yes', ...connection()], childEnv(emu, { XDG_STATE_HOME: STATE })).done;
    expect(r.code, r.err).toBe(0);
    expect(answered.count).toBe(UNDO_WRITES);
    expectNoStack(r.out + r.err);
    expectNoSecrets(r.out + r.err);
    await expectAsBefore(emu, run.journal, [], 'uninterrupted');
  });
});

describe('SIGKILL right after the k-th undo write', () => {
  it.each(Array.from({ length: UNDO_WRITES }, (_, i) => i + 1))('k = %i: the same undo again converges, a third makes no writes', async (k) => {
    const run = await seededSetup();
    answered.reset();
    await emu.control('POST', 'faults', DELAYS);
    const child = runChild(['undo', '--run', run.id, '--non-interactive', '--yes', ...connection()], childEnv(emu, { XDG_STATE_HOME: STATE }));
    const first = await Promise.race([answered.atLeast(k).then(() => 'write'), child.done.then(() => 'exit')]);
    expect(first, `the undo ended before its write ${k}`).toBe('write');
    child.child.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    await answered.inFlightLanded(emu);
    await undoConverges(`undo killed after write ${k}`, run);
  });
});

describe('SIGKILL during setup', () => {
  it.each([1, 5, 9, SETUP_WRITES - 1])('after write %i: its journal is there, and undoing it restores what the run had changed', async (k) => {
    await emu.control('POST', 'reset');
    await seedPreexisting(emu, { accountIpRule: true });
    answered.reset();
    await emu.control('POST', 'faults', DELAYS);
    const child = runChild(['setup', '--non-interactive', '--yes', '--allow-studio', ...demoArgs(emu)], childEnv(emu, { XDG_STATE_HOME: STATE }));
    await Promise.race([answered.atLeast(k), child.done]);
    child.child.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    await answered.inFlightLanded(emu);
    const runs = await runCli(emu, 'runs', { output: 'json' }, { env: ENV });
    const killed = runs.json().runs.find((r: any) => r.command === 'setup' && r.status === 'running');
    expect(killed, 'the killed setup is listed as not finished').toBeDefined();
    const journal = readJournalFile(killed.path);
    // everything the plan was going to write was recorded before the first write
    expect(journal.resources.length).toBeGreaterThanOrEqual(12);
    expect(journal.writes.length).toBeGreaterThanOrEqual(k - 1);
    const undo = await runCli(emu, 'undo', { run: killed.id, yes: true }, { env: ENV });
    expect(undo.code, undo.err).toBe(0);
    await expectAsBefore(emu, journal, [], `setup killed after write ${k}, undone`);
    // so the next case's `runs` finds only its own killed setup
    await emu.clearLog();
    const again = await runCli(emu, 'undo', { run: killed.id, yes: true }, { env: ENV });
    expect(again.code, again.err).toBe(0);
    expect(await armWrites(emu)).toEqual([]);
    rmSync(killed.path);
  });
});
