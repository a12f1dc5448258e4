/**
 * ARM's request throttling (BEHAVIOR.md "Request throttling"): token buckets per subscription,
 * principal and operation type, the remaining-requests headers on every response, 429
 * SubscriptionRequestsThrottled with Retry-After when a bucket is empty; off unless asked for.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startTestEmulator, armCall, DEMO, type TestEmulator } from '../support/emulator.js';
import { RequestThrottle } from '../../packages/arm-emulator/src/arm/throttling.js';

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const call = armCall;

const sub = `/subscriptions/${DEMO.subscriptionId}`;
const account = `${sub}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}?api-version=2025-09-01`;
const groups = `${sub}/resourcegroups?api-version=2022-09-01`;
const READS = 'x-ms-ratelimit-remaining-subscription-reads';
const WRITES = 'x-ms-ratelimit-remaining-subscription-writes';
/** a refill too slow to matter within a test */
const slow = (bucket: number) => ({ bucket, refillPerSecond: 0.001 });

describe('ARM request throttling', () => {
  it('is off by default: the legacy per-hour counts on every response, never a 429', async () => {
    emu = await startTestEmulator({});
    for (let i = 0; i < 30; i++) {
      const r = await call(emu, 'GET', groups);
      expect(r.status).toBe(200);
      expect(r.headers[READS]).toBe('11999');
    }
    expect((await call(emu, 'PATCH', account, { body: { tags: { a: 'b' } } })).headers[WRITES]).toBe('1199');
  });

  it('counts down the bucket in the remaining header and answers 429 SubscriptionRequestsThrottled with Retry-After once it is empty', async () => {
    emu = await startTestEmulator({ throttling: { reads: slow(3) } });
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(emu, 'GET', groups);
      expect(r.status).toBe(200);
      remaining.push(r.headers[READS]);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const throttled = await call(emu, 'GET', account);
    expect(throttled.status).toBe(429);
    expect(throttled.json.error.code).toBe('SubscriptionRequestsThrottled');
    expect(throttled.json.error.message).toMatch(/Number of 'read' requests for subscription '22222222-2222-2222-2222-222222222222'.*Please try again after '\d+' seconds/);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(throttled.headers[READS]).toBe('0');
    // the refused request is logged as Azure would count it
    expect((await emu.armRequests()).filter((e) => e.status === 429)).toHaveLength(1);
  });

  it('keeps one bucket per principal and per operation type; unthrottled kinds keep the legacy counts', async () => {
    emu = await startTestEmulator({ throttling: { reads: slow(1), writes: slow(1) } });
    expect((await call(emu, 'GET', groups)).status).toBe(200);
    expect((await call(emu, 'GET', groups)).status).toBe(429);
    expect((await call(emu, 'GET', groups, { as: 'reader' })).status).toBe(200);
    const write = await call(emu, 'PATCH', account, { body: { tags: { a: 'b' } } });
    expect(write.status).toBeLessThan(300);
    expect(write.headers[WRITES]).toBe('0');
    expect((await call(emu, 'PATCH', account, { body: { tags: { a: 'c' } } })).status).toBe(429);
  });

  it('is set, changed and turned off through POST /_emulator/faults, refuses nonsense, and reset restores the start options', async () => {
    emu = await startTestEmulator({});
    const on = await emu.control('POST', 'faults', { throttling: { reads: slow(1) } });
    expect(on.options.throttling).toEqual({ reads: slow(1) });
    expect((await call(emu, 'GET', groups)).status).toBe(200);
    expect((await call(emu, 'GET', groups)).status).toBe(429);
    const bad = await emu.control('POST', 'faults', { throttling: { reads: { bucket: 0, refillPerSecond: 1 } } });
    expect(bad.error.code).toBe('InvalidThrottling');
    await emu.control('POST', 'faults', { throttling: null });
    expect((await call(emu, 'GET', groups)).headers[READS]).toBe('11999');
    await emu.control('POST', 'faults', { throttling: 'azure' });
    expect((await call(emu, 'GET', groups)).headers[READS]).toBe('249');
    await emu.control('POST', 'reset');
    expect((await emu.control('GET', 'faults')).options.throttling).toBeNull();
  });

  it("takes a scenario's throttling setting", async () => {
    const { demoScenario } = await import('../../packages/arm-emulator/src/index.js');
    emu = await startTestEmulator({ scenario: { ...demoScenario(), throttling: { writes: slow(2) } } });
    expect((await call(emu, 'PATCH', account, { body: { tags: { a: 'b' } } })).headers[WRITES]).toBe('1');
    expect((await call(emu, 'GET', groups)).headers[READS]).toBe('11999');
  });
});

describe('the token bucket', () => {
  it('refills at its rate up to its size', () => {
    const t = new RequestThrottle({ writes: { bucket: 10, refillPerSecond: 5 } });
    const take = (now: number) => t.take(DEMO.subscriptionId, 'p', 'PUT', now);
    for (let i = 0; i < 10; i++) take(0);
    expect(() => take(0)).toThrow(/try again after '1' seconds/);
    expect(take(1000)[WRITES]).toBe('4');
    expect(take(60_000)[WRITES]).toBe('9');
  });

  it('leaves tenant-level requests alone', () => {
    const t = new RequestThrottle({ reads: slow(1) });
    for (let i = 0; i < 5; i++) expect(t.take(undefined, 'p', 'GET', 0)).toEqual({});
  });
});
