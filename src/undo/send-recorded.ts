/**
 * Writes that put a journal's recorded values back. The journal keeps no secret: a value it redacted
 * is the marker, not the value, and sending the marker would overwrite the real one. Such a body is
 * never sent; the resource is left for its owner to restore.
 */
import type { ArmSession } from '../azure/session.js';
import { patchResource, putResource } from '../azure/arm-resource.js';
import { AzureOperationError } from '../core/errors.js';
import { REDACTED } from '../journal/redact.js';

function refuseRedacted(id: string, body: Record<string, unknown>): void {
  if (!JSON.stringify(body).includes(JSON.stringify(REDACTED))) return;
  throw new AzureOperationError(
    `Not restoring ${id}: what the journal recorded for it holds a value it kept out as a secret (${REDACTED}), and sending that would overwrite the real one. Nothing was written to it.`,
    'RecordedSecret',
    `Restore ${id} by hand (the journal shows every other recorded value), then run the same undo again.`,
  );
}

export function putRecorded(session: ArmSession, id: string, body: Record<string, unknown>): Promise<void> {
  refuseRedacted(id, body);
  return putResource(session, id, body);
}

export function patchRecorded(session: ArmSession, id: string, body: Record<string, unknown>): Promise<void> {
  refuseRedacted(id, body);
  return patchResource(session, id, body);
}

/** A subnet's writable definition as read, for a PUT that must keep everything else (what Azure maintains left out). */
export function writableSubnet(body: Record<string, any>): { properties: Record<string, any> } {
  const p = { ...(body.properties ?? {}) };
  for (const k of ['provisioningState', 'privateEndpoints', 'ipConfigurations', 'ipConfigurationProfiles', 'resourceNavigationLinks', 'serviceAssociationLinks', 'purpose']) delete p[k];
  return { properties: p };
}
