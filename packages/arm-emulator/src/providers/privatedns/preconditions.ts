/** If-Match / If-None-Match on private DNS writes, answered with 412 PreconditionFailed as Azure DNS does. */
import { ArmError } from '../../arm/errors.js';
import type { ArmRequest } from '../../arm/router.js';
import type { Resource } from '../../state.js';

export function checkPreconditions(req: ArmRequest, existing: Resource | undefined, what: string): void {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifMatch = req.headers['if-match'];
  if (ifNoneMatch === '*' && existing) throw new ArmError(412, 'PreconditionFailed', `The ${what} exists already.`);
  if (typeof ifMatch === 'string' && ifMatch) {
    if (!existing) throw new ArmError(412, 'PreconditionFailed', `The ${what} does not exist.`);
    const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '');
    if (wanted !== '*' && wanted !== String(existing.etag ?? '').replace(/"/g, '')) {
      throw new ArmError(412, 'PreconditionFailed', `The ${what} has been modified (etag mismatch).`);
    }
  }
}
