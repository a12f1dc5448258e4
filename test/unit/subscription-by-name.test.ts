import { describe, it, expect } from 'vitest';
import { pickSubscription } from '../../src/azure/subscription-by-name.js';
import { UsageError } from '../../src/core/errors.js';

const subs = [
  { subscriptionId: '22222222-2222-2222-2222-222222222222', displayName: 'Demo subscription' },
  { subscriptionId: '55555555-5555-5555-5555-555555555555', displayName: 'Data' },
  { subscriptionId: '66666666-6666-6666-6666-666666666666', displayName: 'data' },
];

function failure(name: string, list = subs): UsageError {
  try {
    pickSubscription(name, list);
  } catch (e) {
    return e as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('--subscription by name', () => {
  it('matches the display name regardless of case, as az account set does', () => {
    expect(pickSubscription('demo SUBSCRIPTION', subs)).toBe('22222222-2222-2222-2222-222222222222');
  });

  it('an ambiguous name names every candidate with its id and asks for the id', () => {
    const e = failure('DATA');
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('names 2 subscriptions');
    expect(e.message).toContain('Data (55555555-5555-5555-5555-555555555555)');
    expect(e.message).toContain('data (66666666-6666-6666-6666-666666666666)');
    expect(e.fix).toMatch(/subscription id/);
  });

  it('an unknown name lists the subscriptions the caller can see', () => {
    const e = failure('Prod');
    expect(e.message).toContain("'Prod' is neither a subscription id (a GUID) nor the name");
    expect(e.message).toContain('Demo subscription (22222222-2222-2222-2222-222222222222)');
  });

  it('with no subscription visible, says so', () => {
    expect(failure('Prod', []).message).toContain('can see no subscription');
  });
});
