import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function credential(clientId: string, secret: string, tenantId: string = DEMO.tenantId): ClientSecretCredential {
  return new ClientSecretCredential(tenantId, clientId, secret, {
    authorityHost: emu.url,
    disableInstanceDiscovery: true,
    tlsOptions: emu.clientOptions.tlsOptions,
  } as never);
}

function call(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(`${emu.url}${path}`, { method, ca: emu.caCert, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Entra-compatible token service', () => {
  it('issues @azure/identity tokens that carry oid, tid and appid of the service principal', async () => {
    const token = await emu.owner.getToken('https://management.azure.com/.default');
    const c = claims(token!.token);
    expect(c).toMatchObject({ oid: DEMO.owner.objectId, tid: DEMO.tenantId, appid: DEMO.owner.clientId, aud: 'https://management.azure.com/' });
    expect(Number(c.exp) - Number(c.iat)).toBe(3600);
  });

  it('rejects a wrong client secret with AADSTS7000215', async () => {
    await expect(credential(DEMO.owner.clientId, 'not-the-secret').getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS7000215/);
    const raw = await call('POST', `/${DEMO.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: DEMO.owner.clientId,
      client_secret: 'not-the-secret',
      scope: 'https://management.azure.com/.default',
    });
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('rejects an unknown application with AADSTS700016 and an unknown tenant with AADSTS90002', async () => {
    await expect(credential('99999999-9999-9999-9999-999999999999', 'x').getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS700016/);
    const raw = await call('POST', '/00000000-0000-0000-0000-000000000000/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: DEMO.owner.clientId,
      client_secret: DEMO.owner.secret,
      resource: 'https://management.core.windows.net/',
    });
    expect(raw.status).toBe(400);
    expect(raw.body.error_codes).toEqual([90002]);
  });

  it('serves the ADFS authority the Azure CLI uses: OpenID configuration and a v1 token endpoint', async () => {
    const config = await call('GET', '/adfs/.well-known/openid-configuration');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ issuer: `${emu.url}/adfs`, token_endpoint: `${emu.url}/adfs/oauth2/token` });
    const keys = await call('GET', new URL(config.body.jwks_uri).pathname);
    expect(keys.body.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });

    const token = await call('POST', '/adfs/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: DEMO.reader.clientId,
      client_secret: DEMO.reader.secret,
      scope: 'https://management.core.windows.net//.default',
    });
    expect(token.status).toBe(200);
    expect(claims(token.body.access_token)).toMatchObject({ oid: DEMO.reader.objectId, tid: DEMO.tenantId, appid: DEMO.reader.clientId, iss: `${emu.url}/adfs` });
  });

  it('refuses ARM calls whose token was not signed by the emulator', async () => {
    const token = await emu.owner.getToken('https://management.azure.com/.default');
    const [h, p] = token!.token.split('.');
    const forged = `${h}.${p}.${Buffer.from('forged').toString('base64url')}`;
    const res = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(`${emu.url}/subscriptions?api-version=2022-12-01`, { ca: emu.caCert, headers: { authorization: `Bearer ${forged}` } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
  });
});
