import { it, expect } from 'vitest';
import { renderReachability } from '../../src/validate/render-text.js';
import { ROUTES } from '../../src/validate/reachability.js';

const rows = [
  { id: ROUTES.vnetClient, from: 'client in vnet', to: 'acct', ok: false, reason: 'zone not linked' },
  { id: ROUTES.publicClient, from: 'public client', to: 'acct', ok: false, reason: 'firewall' },
  { id: ROUTES.studioAccount, from: 'Studio', to: 'acct', ok: false, reason: 'firewall' },
];

it('marks the lockdown\'s intended blocks apart from real failures', () => {
  const text = renderReachability(rows);
  expect(text).toContain('✗ client in vnet → acct: zone not linked\n');
  expect(text).toContain('· public client → acct: firewall — blocked, as intended');
  expect(text).toContain('· Studio → acct: firewall — blocked, as intended');
});

it('a blocked Studio is a failure when Studio access was asked for', () => {
  expect(renderReachability(rows, true)).toContain('✗ Studio → acct: firewall');
});
