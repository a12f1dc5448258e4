/** A re-run over a converged state reads each resource at most once and writes nothing. */
import { it, expect } from 'vitest';
import { startTestEmulator } from '../support/emulator.js';
import { runCli, DEMO_TARGETS } from '../support/cli.js';

it('a second setup reads each resource it involves once and writes nothing', async () => {
  const emu = await startTestEmulator();
  try {
    expect((await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true })).code).toBe(0);
    await emu.clearLog();
    const again = await runCli(emu, 'setup', { ...DEMO_TARGETS, yes: true, output: 'json' });
    expect(again.code, again.err).toBe(0);
    const log = await emu.armRequests();
    expect(log.filter((r) => r.method !== 'GET')).toEqual([]);
    const paths = log.map((r) => r.path.toLowerCase());
    const repeated = paths.filter((p, i) => paths.indexOf(p) !== i);
    expect(repeated).toEqual([]);
    expect(again.json().armRequests).toEqual({ reads: log.length, writes: 0 });
  } finally {
    await emu.stop();
  }
});
