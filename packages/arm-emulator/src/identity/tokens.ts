/**
 * JWTs the emulator issues and checks, on jose: RS256, signed by a key made when the emulator
 * starts (or restored with --state), carrying `oid`, `tid`, `appid` as Entra's access tokens do.
 * Checking is asynchronous (jose), so every Bearer token is checked when its request arrives;
 * code that runs later in the same request reads the outcome with `checked` (synchronous).
 */
import { SignJWT, jwtVerify, importPKCS8, importSPKI, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, errors, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { ArmError } from '../arm/errors.js';
import type { Caller } from '../arm/router.js';

const ALG = 'RS256';

export interface SigningKey {
  kid: string;
  privatePem: string;
  publicPem: string;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
  return { kid: randomUUID(), privatePem: await exportPKCS8(privateKey), publicPem: await exportSPKI(publicKey) };
}

export interface TokenClaims {
  aud: string;
  iss: string;
  oid: string;
  tid: string;
  appid?: string;
  sub?: string;
  [k: string]: unknown;
}

type Outcome = { caller: Caller; exp?: number } | { error: ArmError };

/** Outcomes of recent checks, by token; old entries go first. */
const REMEMBERED = 512;

const missingHeader = () => new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
const badFormat = () => new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
const invalid = () => new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
const expired = () => new ArmError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.');

export class TokenService {
  private readonly outcomes = new Map<string, Outcome>();

  private constructor(
    private readonly key: SigningKey,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async create(key: SigningKey): Promise<TokenService> {
    const privateKey = await importPKCS8(key.privatePem, ALG, { extractable: false });
    const publicKey = await importSPKI(key.publicPem, ALG, { extractable: true });
    return new TokenService(key, privateKey, publicKey, await exportJWK(publicKey));
  }

  sign(claims: TokenClaims, lifetimeSeconds: number, now = Date.now()): Promise<string> {
    const iat = Math.floor(now / 1000);
    return new SignJWT({ ...claims, ver: '1.0' })
      .setProtectedHeader({ typ: 'JWT', alg: ALG, kid: this.key.kid, x5t: this.key.kid })
      .setSubject(claims.sub ?? claims.oid)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** Checks an `Authorization: Bearer` header as ARM does and returns the caller. */
  async check(header: string | undefined, now = Date.now()): Promise<Caller> {
    const token = bearerToken(header);
    let outcome = this.outcomes.get(token);
    if (!outcome) {
      try {
        const { payload } = await jwtVerify(token, this.publicKey, { algorithms: [ALG], currentDate: new Date(now) });
        outcome = { caller: { objectId: String(payload.oid), appId: payload.appid as string | undefined, tenantId: String(payload.tid) }, exp: payload.exp };
      } catch (e) {
        outcome = { error: e instanceof errors.JWTExpired ? expired() : invalid() };
      }
      this.remember(token, outcome);
    }
    return this.read(outcome, now);
  }

  /** The outcome of `check` for a header already checked in this request. */
  checked(header: string | undefined, now = Date.now()): Caller {
    const outcome = this.outcomes.get(bearerToken(header));
    if (!outcome) throw invalid();
    return this.read(outcome, now);
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicJwk, kid: this.key.kid, x5t: this.key.kid, use: 'sig', kty: 'RSA', alg: ALG }] };
  }

  private read(outcome: Outcome, now: number): Caller {
    if ('error' in outcome) throw outcome.error;
    if (outcome.exp !== undefined && outcome.exp <= Math.floor(now / 1000)) throw expired();
    return outcome.caller;
  }

  private remember(token: string, outcome: Outcome): void {
    this.outcomes.set(token, outcome);
    if (this.outcomes.size > REMEMBERED) this.outcomes.delete(this.outcomes.keys().next().value!);
  }
}

function bearerToken(header: string | undefined): string {
  if (!header) throw missingHeader();
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) throw badFormat();
  return m[1].trim();
}
