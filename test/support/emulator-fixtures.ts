/**
 * Per-test set-up for emulator test files whose tests must not lean on one another (issue 9): each test
 * starts from the scenario the emulator started with and builds what it needs itself.
 */
import { expect } from 'vitest';
import type { TestEmulator } from './emulator.js';

/**
 * Puts the emulator back to the scenario it started with (`POST /_emulator/reset`: resources, principals,
 * operations, extras, an empty request log, no faults, the start's LRO delay) and back on the real clock,
 * which reset does not touch. Captured `onExchange` lists are the caller's: mark their length in the test.
 */
export async function resetEmulator(emu: TestEmulator): Promise<void> {
  expect(await emu.control('POST', 'reset')).toEqual({ reset: true });
  emu.context.now = Date.now;
}
