import { describe, it, expect } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { AzureOperationError, DeclinedError, InterruptedError, UsageError } from '../../src/core/errors.js';

function report(e: unknown) {
  let text = '';
  let json = '';
  const code = reportError(e, { write: (s) => (text += s), json: (d) => (json += d) });
  return { code, text, doc: JSON.parse(json) };
}

describe('the error document of JSON mode', () => {
  it.each([
    [new UsageError('--vnet is missing', 'Pass --vnet.'), 2, 'BadInput', 'Pass --vnet.'],
    [new AzureOperationError('updating x: AuthorizationFailed', 'AuthorizationFailed', 'Grant the role.'), 1, 'AuthorizationFailed', 'Grant the role.'],
    [new DeclinedError('Declined. Nothing was written.'), 3, 'Declined', undefined],
    [new InterruptedError(), 130, 'Interrupted', undefined],
    [Object.assign(new Error('prompt closed'), { name: 'ExitPromptError' }), 130, 'Interrupted', undefined],
    [new Error('boom'), 1, 'UnexpectedError', 'Set SECURE_DOCINTEL_DEBUG=1 for details.'],
  ])('%s → exit %i, code %s', (e, exit, code, fix) => {
    const r = report(e);
    expect(r.code).toBe(exit);
    expect(r.doc).toEqual({ error: { code, message: expect.any(String), ...(fix ? { fix } : {}) } });
    expect(r.text).toContain(r.doc.error.message.split('\n')[0].slice(0, 20));
  });
});

describe('the text form', () => {
  it('wraps the fix at word boundaries, continuation lines under the fix', () => {
    let text = '';
    reportError(new UsageError('bad', 'Run `secure-docintel identity` first, or `secure-docintel setup`, which does both in order.'), { write: (s) => (text += s), style: { width: 40, color: false } });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Error: bad');
    expect(lines[1].startsWith('Fix: ')).toBe(true);
    for (const l of lines.slice(2)) expect(l).toMatch(/^ {5}\S/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });
});
