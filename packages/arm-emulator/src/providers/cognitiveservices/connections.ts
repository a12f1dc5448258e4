/**
 * accounts/{name}/privateEndpointConnections: created by Microsoft.Network when a private endpoint
 * targets the account (providers/private-link.ts); served, approved/rejected and deleted here.
 */
import type { ArmRequest, ArmResult } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { requireBody } from '../../arm/protocol.js';
import { connectionsOf } from '../private-link.js';
import { connectionNotFound, connectionStateMissing, connectionStatusInvalid, rejectedConnectionApproved } from './errors.js';
import { requireAccount, accountIdOf } from './model.js';

const STATUSES = ['Pending', 'Approved', 'Rejected', 'Disconnected'];

function connectionId(req: ArmRequest): string {
  return `${accountIdOf(req)}/privateEndpointConnections/${req.params.privateEndpointConnectionName}`;
}

function requireConnection(req: ArmRequest, ctx: EmulatorContext): Resource {
  requireAccount(req, ctx);
  const c = ctx.state.get(connectionId(req));
  if (!c) throw connectionNotFound(req.params.privateEndpointConnectionName);
  return c;
}

export function listConnections(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const account = requireAccount(req, ctx);
  return { status: 200, body: { value: connectionsOf(ctx, account.id) } };
}

export function getConnection(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  return { status: 200, body: requireConnection(req, ctx) };
}

/** Approve or reject: only `privateLinkServiceConnectionState` can change. */
export function putConnection(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  const connection = requireConnection(req, ctx);
  const body = requireBody(req);
  const state = body.properties?.privateLinkServiceConnectionState;
  if (!state || typeof state !== 'object') {
    throw connectionStateMissing();
  }
  const status = STATUSES.find((s) => s.toLowerCase() === String(state.status ?? '').toLowerCase());
  if (!status) {
    throw connectionStatusInvalid(state.status, STATUSES);
  }
  const current = connection.properties?.privateLinkServiceConnectionState?.status;
  if (current === 'Rejected' && status === 'Approved') {
    throw rejectedConnectionApproved();
  }
  connection.properties.privateLinkServiceConnectionState = {
    status,
    description: typeof state.description === 'string' ? state.description : '',
    actionsRequired: typeof state.actionsRequired === 'string' ? state.actionsRequired : 'None',
  };
  connection.properties.provisioningState = 'Succeeded';
  ctx.state.put(connection);
  reflectOnPrivateEndpoint(ctx, connection);
  return { status: 200, body: connection };
}

export function deleteConnection(req: ArmRequest, ctx: EmulatorContext): ArmResult {
  requireAccount(req, ctx);
  const connection = ctx.state.get(connectionId(req));
  if (!connection) return { status: 204 };
  // Synchronous: 200 with no body, the connection gone at once (Azure CLI recording
  // test_cognitiveservices_private_endpoint_connection.yaml, 2022, api-version 2022-03-01).
  ctx.state.delete(connection.id);
  reflectOnPrivateEndpoint(ctx, { ...connection, properties: { ...connection.properties, privateLinkServiceConnectionState: { status: 'Disconnected', description: 'Connection deleted by the resource owner.', actionsRequired: 'None' } } });
  return { status: 200 };
}

/** The private endpoint shows its connection's state too (Azure keeps both sides in step). */
function reflectOnPrivateEndpoint(ctx: EmulatorContext, connection: Resource): void {
  const peId = connection.properties?.privateEndpoint?.id;
  const pe = peId ? ctx.state.get(peId) : undefined;
  if (!pe?.properties) return;
  const accountId = connection.id.split('/privateEndpointConnections/')[0].toLowerCase();
  for (const list of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
    for (const link of (pe.properties[list] ?? []) as Record<string, any>[]) {
      if (String(link.properties?.privateLinkServiceId ?? '').toLowerCase() !== accountId) continue;
      link.properties.privateLinkServiceConnectionState = { ...connection.properties.privateLinkServiceConnectionState };
    }
  }
  ctx.state.put(pe);
}
