import { createHash } from 'node:crypto';

/**
 * ARM's `uniqueString()`: a deterministic 13-character base-32 hash of the arguments. Microsoft
 * documents only its shape (13 characters, lowercase letters and digits, the same for the same
 * arguments); the algorithm itself is not public, so this one (SHA-256 of the arguments joined with
 * '-', its first 64 bits in base 32 over a–z and 2–7) yields the shape, not Azure's values. BEHAVIOR.md
 * marks it unverified.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function uniqueString(...args: string[]): string {
  let n = createHash('sha256').update(Buffer.from(args.join('-'), 'utf8')).digest().readBigUInt64BE(0);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}
