/**
 * A client secret goes only to AZURE_AUTHORITY_HOST. A capture server at the ARM endpoint's address
 * plays an OpenID authority (discovery documents and a token endpoint that would accept anything):
 * it must never receive the secret, whether AZURE_AUTHORITY_HOST is missing (usage error, exit 2,
 * before any request) or names another server (the real authority, here the emulator).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { runCommand } from '../../src/commands/index.js';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { DEMO_TARGETS } from '../support/cli.js';
import { TestHost } from '../support/test-host.js';

interface Captured {
  method: string;
  url: string;
  headers: string;
  body: string;
}

let capture: Server;
let captureUrl: string;
let caFile: string;
let bundleDir: string;
let emu: TestEmulator;
const captured: Captured[] = [];

beforeAll(async () => {
  emu = await startTestEmulator();
  // A self-signed certificate of its own (another subject than the emulator's CA, so chains do not mix up).
  const cert = await generate([{ name: 'commonName', value: 'capture authority' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  // Both CAs are trusted, so a secret sent to the capture server would really arrive there.
  bundleDir = mkdtempSync(join(tmpdir(), 'secret-authority-'));
  caFile = join(bundleDir, 'ca-bundle.pem');
  writeFileSync(caFile, `${emu.caCert.trimEnd()}\n${cert.cert}`);
  capture = createServer({ key: cert.private, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({ method: req.method ?? '', url: req.url ?? '', headers: JSON.stringify(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      const origin = captureUrl;
      const tenant = DEMO.tenantId;
      let body: unknown = { error: { code: 'NotFound', message: 'capture' } };
      let status = 404;
      if (/openid-configuration/.test(req.url ?? '')) {
        status = 200;
        body = {
          issuer: `${origin}/${tenant}/v2.0`,
          token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
          jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
        };
      } else if (/oauth2\/(v2\.0\/)?token/.test(req.url ?? '')) {
        status = 200;
        body = { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'captured' };
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', () => r()));
  captureUrl = `https://127.0.0.1:${(capture.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => capture.close(() => r()));
  await emu.stop();
  rmSync(bundleDir, { recursive: true, force: true });
});

function run(env: NodeJS.ProcessEnv) {
  const host = new TestHost(false);
  const code = runCommand('validate', { ...DEMO_TARGETS, armEndpoint: captureUrl, caCert: caFile, nonInteractive: true }, {
    host,
    stdinIsTty: false,
    env: { AZURE_TENANT_ID: DEMO.tenantId, AZURE_CLIENT_ID: DEMO.owner.clientId, AZURE_CLIENT_SECRET: DEMO.owner.secret, SECURE_DOCINTEL_RETRY_DELAY_MS: '5', ...env },
  });
  return code.then((c) => ({ code: c, host }));
}

const secretSeen = () => captured.filter((c) => (c.url + c.headers + c.body).includes(DEMO.owner.secret));

describe('a client secret goes only to AZURE_AUTHORITY_HOST', () => {
  it('without AZURE_AUTHORITY_HOST: a usage error (exit 2) naming the fix, and no request at all', async () => {
    captured.length = 0;
    const { code, host } = await run({});
    expect(code).toBe(2);
    expect(host.err).toMatch(/AZURE_AUTHORITY_HOST is not set/);
    expect(host.err).toMatch(/never to the ARM endpoint/);
    expect(host.err).toMatch(/Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST/);
    expect(captured).toEqual([]);
  });

  it('AZURE_AUTHORITY_HOST over http is refused before any request', async () => {
    captured.length = 0;
    const { code, host } = await run({ AZURE_AUTHORITY_HOST: captureUrl.replace('https:', 'http:') });
    expect(code).toBe(2);
    expect(host.err).toMatch(/is not an https URL/);
    expect(captured).toEqual([]);
  });

  it('with AZURE_AUTHORITY_HOST naming the real authority, the ARM endpoint sees requests but never the secret', async () => {
    captured.length = 0;
    const { code } = await run({ AZURE_AUTHORITY_HOST: emu.url });
    // The capture server answers ARM with 404s, so the command fails: what matters is where the secret went.
    expect(code).not.toBe(0);
    expect(captured.some((c) => c.url.startsWith('/subscriptions/') && /"authorization":"Bearer /.test(c.headers))).toBe(true);
    expect(secretSeen()).toEqual([]);
    expect(captured.filter((c) => /token|openid/.test(c.url))).toEqual([]);
  });
});
