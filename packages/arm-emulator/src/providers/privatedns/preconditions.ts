/** If-Match / If-None-Match on private DNS writes, answered with 412 PreconditionFailed as Azure DNS does. */
import { doesNotExist, etagMismatch, existsAlready } from './errors.js';
import type { ArmRequest } from '../../arm/router.js';
import type { Resource } from '../../state.js';

export function checkPreconditions(req: ArmRequest, existing: Resource | undefined, what: string): void {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifMatch = req.headers['if-match'];
  if (ifNoneMatch === '*' && existing) throw existsAlready(what);
  if (typeof ifMatch === 'string' && ifMatch) {
    if (!existing) throw doesNotExist(what);
    const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '');
    if (wanted !== '*' && wanted !== String(existing.etag ?? '').replace(/"/g, '')) {
      throw etagMismatch(what);
    }
  }
}
