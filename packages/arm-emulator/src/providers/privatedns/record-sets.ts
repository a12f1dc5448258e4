/** Private DNS record sets: synchronous PUT/PATCH/DELETE, list by type and list all. */
import type { ArmRequest, Router } from '../../arm/router.js';
import { recordSetNotFound, recordTypeNotSupported, soaNameNotApex, soaNotDeletable } from './errors.js';
import { mergePatch, page, requireBody } from '../../arm/protocol.js';
import type { EmulatorContext } from '../../context.js';
import { privateDnsApi } from './api.js';
import { checkPreconditions } from './preconditions.js';
import { ZONE, getZone } from './zones.js';
import { RECORD_TYPES, recordSetBody, recordSetId, recordSetsOf } from './model.js';

const RECORD_SET = `${ZONE}/{recordType}/{relativeRecordSetName}`;
const api = privateDnsApi('privateDnsZones');
/** Properties a client may set; the rest (fqdn, isAutoRegistered) are Azure's. */
const WRITABLE = ['metadata', 'ttl', 'aRecords', 'aaaaRecords', 'cnameRecord', 'mxRecords', 'ptrRecords', 'soaRecord', 'srvRecords', 'txtRecords'];

function recordType(req: ArmRequest): string {
  const t = RECORD_TYPES.find((r) => r.toLowerCase() === req.params.recordType.toLowerCase());
  if (!t) throw recordTypeNotSupported(req.params.recordType, RECORD_TYPES);
  return t;
}

function notFound(req: ArmRequest) {
  return recordSetNotFound(req.params.relativeRecordSetName, req.params.resourceGroupName, req.params.subscriptionId);
}

function writable(properties: Record<string, any> | undefined): Record<string, any> {
  return Object.fromEntries(Object.entries(properties ?? {}).filter(([k]) => WRITABLE.includes(k)));
}

function existingRecordSet(ctx: EmulatorContext, req: ArmRequest, type: string) {
  const zone = getZone(ctx, req.params);
  return { zone, existing: ctx.state.get(recordSetId(zone.id, type, req.params.relativeRecordSetName)) };
}

export function registerRecordSets(router: Router): void {
  router.add({
    method: 'GET',
    template: `${ZONE}/ALL`,
    api,
    handler: (req, ctx) => page(req, ctx, recordSetsOf(ctx, getZone(ctx, req.params).id)),
  });
  router.add({
    method: 'GET',
    template: `${ZONE}/{recordType}`,
    api,
    handler: (req, ctx) => page(req, ctx, recordSetsOf(ctx, getZone(ctx, req.params).id, recordType(req))),
  });
  router.add({
    method: 'GET',
    template: RECORD_SET,
    api,
    handler: (req, ctx) => {
      const { existing } = existingRecordSet(ctx, req, recordType(req));
      if (!existing) throw notFound(req);
      return { status: 200, body: existing };
    },
  });
  router.add({
    method: 'PUT',
    template: RECORD_SET,
    api,
    action: (req) => `Microsoft.Network/privateDnsZones/${req.params.recordType.toUpperCase()}/write`,
    handler: (req, ctx) => {
      const body = requireBody(req);
      const type = recordType(req);
      const { zone, existing } = existingRecordSet(ctx, req, type);
      checkPreconditions(req, existing, `Record set ${req.params.relativeRecordSetName}`);
      if (type === 'SOA' && req.params.relativeRecordSetName !== '@') throw soaNameNotApex();
      const record = ctx.state.put(recordSetBody(ctx, zone, type, req.params.relativeRecordSetName, { ttl: 3600, ...writable(body.properties) }));
      return { status: existing ? 200 : 201, body: record };
    },
  });
  router.add({
    method: 'PATCH',
    template: RECORD_SET,
    api,
    action: (req) => `Microsoft.Network/privateDnsZones/${req.params.recordType.toUpperCase()}/write`,
    handler: (req, ctx) => {
      const body = requireBody(req);
      const type = recordType(req);
      const { zone, existing } = existingRecordSet(ctx, req, type);
      if (!existing) throw notFound(req);
      checkPreconditions(req, existing, `Record set ${existing.name}`);
      const properties = mergePatch(writable(existing.properties), writable(body.properties));
      const record = ctx.state.put(recordSetBody(ctx, zone, type, existing.name, properties));
      return { status: 200, body: record };
    },
  });
  router.add({
    method: 'DELETE',
    template: RECORD_SET,
    api,
    action: (req) => `Microsoft.Network/privateDnsZones/${req.params.recordType.toUpperCase()}/delete`,
    handler: (req, ctx) => {
      const type = recordType(req);
      const { existing } = existingRecordSet(ctx, req, type);
      if (type === 'SOA') throw soaNotDeletable();
      if (!existing) return { status: 204 };
      checkPreconditions(req, existing, `Record set ${existing.name}`);
      ctx.state.delete(existing.id);
      return { status: 200 };
    },
  });
}
