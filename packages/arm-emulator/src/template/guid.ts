import { createHash } from 'node:crypto';

/**
 * ARM's `guid()`: a name-based (version 5, SHA-1) UUID in the namespace
 * 11fb06fb-712d-4ddd-98c7-e71bbd588830 over the UTF-8 of the arguments joined with '-'
 * (RFC 4122 §4.3). The implementation (Azure.Deployments.Expression) is closed; the algorithm is the
 * one public re-implementations use to predict deployed names (see BEHAVIOR.md, Deployments).
 */
const NAMESPACE = Buffer.from('11fb06fb712d4ddd98c7e71bbd588830', 'hex');

export function armGuid(...args: string[]): string {
  const h = createHash('sha1').update(NAMESPACE).update(Buffer.from(args.join('-'), 'utf8')).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
