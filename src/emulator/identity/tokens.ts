/**
 * JWTs the emulator issues and checks: RS256, signed by a key made when the emulator starts
 * (or restored with --state), carrying `oid`, `tid`, `appid` as Entra's access tokens do.
 */
import { createSign, createVerify, generateKeyPairSync, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { ArmError } from '../arm/errors.js';
import type { Caller } from '../arm/router.js';

export interface SigningKey {
  kid: string;
  privatePem: string;
  publicPem: string;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid: randomUUID(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface TokenClaims {
  aud: string;
  iss: string;
  oid: string;
  tid: string;
  appid?: string;
  sub?: string;
  [k: string]: unknown;
}

export function signToken(key: SigningKey, claims: TokenClaims, lifetimeSeconds: number, now = Date.now()): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid };
  const iat = Math.floor(now / 1000);
  const payload = { ...claims, sub: claims.sub ?? claims.oid, iat, nbf: iat, exp: iat + lifetimeSeconds, ver: '1.0' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key.privatePem);
  return `${input}.${b64url(sig)}`;
}

/** Checks an `Authorization: Bearer` header as ARM does and returns the caller. */
export function verifyBearer(key: SigningKey, header: string | undefined, now = Date.now()): Caller {
  if (!header) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  }
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  }
  const parts = m[1].split('.');
  const invalid = () =>
    new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
  if (parts.length !== 3) throw invalid();
  let payload: TokenClaims & { exp?: number; nbf?: number };
  try {
    const ok = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(key.publicPem, Buffer.from(parts[2], 'base64url'));
    if (!ok) throw new Error('bad signature');
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const nowS = Math.floor(now / 1000);
  if (payload.exp !== undefined && payload.exp < nowS) {
    throw new ArmError(
      401,
      'ExpiredAuthenticationToken',
      'The access token expiry UTC time is earlier than current UTC time.',
    );
  }
  return { objectId: payload.oid, appId: payload.appid, tenantId: payload.tid };
}

export function jwks(key: SigningKey): { keys: Record<string, unknown>[] } {
  const jwk = createPublicKey(key.publicPem as unknown as KeyObject).export({ format: 'jwk' }) as Record<string, unknown>;
  return { keys: [{ ...jwk, kid: key.kid, x5t: key.kid, use: 'sig', kty: 'RSA' }] };
}
