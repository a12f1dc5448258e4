import { createHash } from 'node:crypto';

/** ARM's guid() namespace (the emulator's template engine implements the same; see its BEHAVIOR.md). */
const ARM_GUID_NAMESPACE = Buffer.from('11fb06fb712d4ddd98c7e71bbd588830', 'hex');

/**
 * The name a template's `guid(toLower(a), toLower(b), ...)` gives: a name-based UUID (RFC 4122
 * version 5, SHA-1) in ARM's guid() namespace over the lowercased parts joined with '-'. The same
 * inputs always give the same name, so a re-run can never create a duplicate, and an exported template
 * (`export --format arm`) names the role assignment exactly as the product does.
 */
export function deterministicGuid(...parts: string[]): string {
  const h = createHash('sha1').update(ARM_GUID_NAMESPACE).update(Buffer.from(parts.map((p) => p.toLowerCase()).join('-'), 'utf8')).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
