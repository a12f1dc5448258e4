/** The emulator's access tokens on jose: what it signs it accepts; anything else is refused as ARM refuses it. */
import { describe, it, expect, beforeAll } from 'vitest';
import { createLocalJWKSet, jwtVerify, UnsecuredJWT, decodeProtectedHeader } from 'jose';
import { newSigningKey, TokenService } from '../../packages/arm-emulator/src/identity/tokens.js';

const claims = { aud: 'https://management.azure.com/', iss: 'https://127.0.0.1/t/v2.0', oid: 'object-1', tid: 't', appid: 'app-1' };
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
let tokens: TokenService;
let other: TokenService;

beforeAll(async () => {
  tokens = await TokenService.create(await newSigningKey());
  other = await TokenService.create(await newSigningKey());
});

const code = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code);

describe('emulator tokens', () => {
  it('signs RS256 JWTs with kid and Entra claims, and accepts them', async () => {
    const jwt = await tokens.sign(claims, 3600, NOW);
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(await tokens.check(`Bearer ${jwt}`, NOW + 1000)).toEqual({ objectId: 'object-1', appId: 'app-1', tenantId: 't' });
    expect(tokens.checked(`Bearer ${jwt}`, NOW + 1000).objectId).toBe('object-1');
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(tokens.jwks() as never), { currentDate: new Date(NOW) });
    expect(payload).toMatchObject({ ...claims, sub: 'object-1', ver: '1.0', iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 3600 });
  });

  it('refuses a token signed by another key, tampered, unsigned or malformed', async () => {
    const foreign = await other.sign(claims, 3600, NOW);
    const mine = await tokens.sign(claims, 3600, NOW);
    const [h, p, s] = mine.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, oid: 'someone-else' })).toString('base64url')}.${s}`;
    const unsigned = new UnsecuredJWT({ ...claims }).setExpirationTime(NOW / 1000 + 3600).encode();
    for (const token of [foreign, tampered, unsigned, `${h}.${p}`, 'not-a-jwt']) {
      expect(await code(tokens.check(`Bearer ${token}`, NOW)), token).toBe('InvalidAuthenticationToken');
      expect(() => tokens.checked(`Bearer ${token}`, NOW)).toThrow('The access token is invalid.');
    }
  });

  it('refuses an expired token as ExpiredAuthenticationToken, also when checked before it expired', async () => {
    const jwt = await tokens.sign(claims, 60, NOW);
    expect(await code(tokens.check(`Bearer ${jwt}`, NOW + 61_000))).toBe('ExpiredAuthenticationToken');
    const later = await tokens.sign({ ...claims, oid: 'object-2' }, 60, NOW);
    expect(await code(tokens.check(`Bearer ${later}`, NOW))).toBe('accepted');
    expect(() => tokens.checked(`Bearer ${later}`, NOW + 61_000)).toThrow(/expiry/);
  });

  it('answers a missing or non-Bearer Authorization header as ARM does', async () => {
    expect(await code(tokens.check(undefined))).toBe('AuthenticationFailed');
    expect(await code(tokens.check('Basic abc'))).toBe('AuthenticationFailed');
  });
});
