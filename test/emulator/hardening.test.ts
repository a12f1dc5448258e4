/**
 * The emulator beyond one user's loopback: its files are private (a fresh 0700 directory, 0600
 * files, no symbolic links followed) and removed when it stops; `reset` never reads a path from the
 * request; off loopback the control endpoints need the token it prints; its certificate names the
 * address it listens on. No traffic leaves 127.0.0.0/8: a server on 0.0.0.0 is called on 127.0.0.1.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { request } from 'node:https';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../packages/arm-emulator/src/index.js';
import { makeCertificates } from '../../packages/arm-emulator/src/tls.js';
import { installedCopy, runChild } from '../support/cli.js';
import { sharedKeys } from '../support/emulator.js';

const work = mkdtempSync(join(tmpdir(), 'emulator-hardening-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

// Loopback emulators here serve the process's shared certificate and signing key (what they write
// is under test, not the keys); the certificate tests below make their own.
let keys: Awaited<ReturnType<typeof sharedKeys>>;
beforeAll(async () => {
  keys = await sharedKeys();
});

/** A control request to the emulator at 127.0.0.1, with an optional token. */
function controlCall(emu: RunningEmulator, method: string, what: string, body?: unknown, token?: string): Promise<{ status: number; text: string }> {
  const port = new URL(emu.url).port;
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${port}/_emulator/${what}`, {
      method,
      ca: emu.caCert,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('files the emulator writes', () => {
  it('puts its CA in a fresh private directory (0700, file 0600), one per emulator, removed on stop', async () => {
    const a = await startEmulator({ ...keys, port: 0 });
    const b = await startEmulator({ ...keys, port: 0 });
    const dir = dirname(a.caFile);
    try {
      expect(dirname(dir)).toBe(tmpdir());
      expect(basename(dir)).toMatch(/^secure-docintel-emulator-/);
      expect(mode(dir)).toBe(0o700);
      expect(mode(a.caFile)).toBe(0o600);
      expect(readFileSync(a.caFile, 'utf8')).toBe(a.caCert);
      expect(dirname(b.caFile)).not.toBe(dir);
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(dirname(b.caFile))).toBe(false);
  });

  it('keeps --state owner-only (0600), also when the file it restarts from was readable by others', async () => {
    const stateFile = join(work, 'nested', 'state.json');
    const first = await startEmulator({ ...keys, port: 0, stateFile });
    expect(mode(stateFile)).toBe(0o600);
    expect(mode(dirname(stateFile))).toBe(0o700);
    await first.stop();
    chmodSync(stateFile, 0o644);
    const second = await startEmulator({ ...keys, port: 0, stateFile });
    try {
      expect(mode(stateFile)).toBe(0o600);
      expect(readFileSync(stateFile, 'utf8')).toContain('privatePem');
    } finally {
      await second.stop();
    }
  });

  it('refuses a --state or --ca-file that is a symbolic link and leaves its target untouched', async () => {
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'precious');
    const stateLink = join(work, 'state-link.json');
    const caLink = join(work, 'ca-link.pem');
    symlinkSync(victim, stateLink);
    symlinkSync(victim, caLink);
    await expect(startEmulator({ ...keys, port: 0, stateFile: stateLink })).rejects.toThrow(/--state '.*state-link\.json' is a symbolic link/);
    await expect(startEmulator({ ...keys, port: 0, caFile: caLink })).rejects.toThrow(/--ca-file '.*ca-link\.pem' is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('replaces an existing --ca-file owner-only instead of writing through it', async () => {
    const caFile = join(work, 'ca.pem');
    writeFileSync(caFile, 'old', { mode: 0o644 });
    const emu = await startEmulator({ ...keys, port: 0, caFile });
    try {
      expect(readFileSync(caFile, 'utf8')).toBe(emu.caCert);
      expect(mode(caFile)).toBe(0o600);
    } finally {
      await emu.stop();
    }
  });
});

describe('the emulator command', { timeout: 120_000 }, () => {
  beforeAll(() => installedCopy(), 120_000);

  /** Starts `secure-docintel emulator ARGS` and resolves on its ready line. */
  async function startChild(args: string[]) {
    const run = runChild(['emulator', '--port', '0', ...args], { PATH: process.env.PATH, HOME: process.env.HOME });
    let out = '';
    const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
      run.child.stdout!.on('data', (c) => {
        out += c;
        const m = /^ARM emulator listening on https:\/\/([^:]+):(\d+) \(ca: (.+)\)$/m.exec(out);
        if (m) resolve(m);
      });
      run.done.then((r) => reject(new Error(`emulator exited ${r.code}: ${r.err}`)));
    });
    return { run, ready };
  }

  it('removes its private directory when stopped (SIGTERM)', async () => {
    const { run, ready } = await startChild([]);
    const dir = dirname(ready[3]);
    expect(mode(dir)).toBe(0o700);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a --state that is a symbolic link: exit 2 naming the fix, target untouched', async () => {
    const victim = join(work, 'victim-cli.txt');
    writeFileSync(victim, 'precious');
    const link = join(work, 'state-cli-link.json');
    symlinkSync(victim, link);
    const r = await runChild(['emulator', '--port', '0', '--state', link], { PATH: process.env.PATH, HOME: process.env.HOME }).done;
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a symbolic link.*\nFix: pass --state\/--ca-file the path of a regular file/s);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('on a non-loopback --host: the same ready line, a warning and the control token on stderr', async () => {
    const { run, ready } = await startChild(['--host', '0.0.0.0']);
    try {
      expect(ready[1]).toBe('0.0.0.0');
      const err = await new Promise<string>((resolve) => {
        let text = '';
        run.child.stderr!.on('data', (c) => {
          text += c;
          if (/Bearer \S+\n/.test(text)) resolve(text);
        });
      });
      expect(err).toMatch(/Warning: --host 0\.0\.0\.0 is not a loopback address/);
      expect(err).toMatch(/control endpoints \(\/_emulator\/\*\) need this header: Authorization: Bearer [A-Za-z0-9_-]{32}\n/);
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
    }
  });
});

describe('control endpoints', () => {
  let loopback: RunningEmulator;
  let open: RunningEmulator;
  beforeAll(async () => {
    loopback = await startEmulator({ ...keys, port: 0 });
    open = await startEmulator({ port: 0, host: '0.0.0.0' });
  });
  afterAll(async () => {
    await loopback.stop();
    await open.stop();
  });

  it('on loopback need no token', async () => {
    expect(loopback.controlToken).toBeUndefined();
    expect((await controlCall(loopback, 'GET', 'faults')).status).toBe(200);
  });

  it('beyond loopback need the token: none or a wrong one gets 401, the printed one works', async () => {
    expect(open.controlToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    for (const token of [undefined, 'wrong', `${open.controlToken}x`]) {
      const r = await controlCall(open, 'POST', 'reset', undefined, token);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text).error.message).toMatch(/need the token it printed at start/);
    }
    expect((await controlCall(open, 'GET', 'state', undefined, open.controlToken)).status).toBe(200);
    expect((await controlCall(open, 'POST', 'reset', undefined, open.controlToken)).status).toBe(200);
  });

  it('reset takes a scenario by name or inline, never a path from the request', async () => {
    const scenarioFile = join(work, 'scenario.json');
    writeFileSync(scenarioFile, JSON.stringify({ tenantId: 'x', subscriptions: [], principals: [], resources: [] }));
    for (const scenario of ['/etc/passwd', scenarioFile, '../../etc/hosts', 42, ['demo']]) {
      const r = await controlCall(loopback, 'POST', 'reset', { scenario });
      expect(r.status, String(scenario)).toBe(400);
      expect(JSON.parse(r.text).error).toEqual({ code: 'InvalidScenario', message: expect.stringMatching(/never reads a file named in the request/) });
      expect(r.text).not.toMatch(/root:|localhost/);
    }
    expect((await controlCall(loopback, 'POST', 'reset', { scenario: 'demo' })).status).toBe(200);
    expect((await controlCall(loopback, 'POST', 'reset')).status).toBe(200);
  });
});

describe('the certificate', () => {
  it('names the loopback address it listens on, and a client verifying it connects', async () => {
    const emu = await startEmulator({ port: 0, host: '127.0.0.2' });
    try {
      const san = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.2', port: Number(new URL(emu.url).port), ca: emu.caCert }, () => {
          const cert = socket.getPeerCertificate();
          socket.end();
          resolve(cert.subjectaltname ?? '');
        });
        socket.on('error', reject);
      });
      expect(san).toContain('IP Address:127.0.0.2');
    } finally {
      await emu.stop();
    }
  });

  it('names an address or host name it is told to listen on, and every interface for 0.0.0.0', async () => {
    const san = async (host: string) => new X509Certificate((await makeCertificates(host)).serverCert).subjectAltName ?? '';
    expect(await san('10.1.2.3')).toContain('IP Address:10.1.2.3');
    expect(await san('emulator.example')).toContain('DNS:emulator.example');
    const all = await san('0.0.0.0');
    expect(all).toContain(`DNS:${hostname()}`);
    expect(all).toContain('IP Address:127.0.0.1');
  });
});
