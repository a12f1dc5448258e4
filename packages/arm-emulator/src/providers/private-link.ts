/**
 * The contract between Microsoft.Network private endpoints and their targets (accounts, storage):
 * a private endpoint to a target makes a private endpoint connection stored as the target's child
 * resource `{targetId}/privateEndpointConnections/{name}`, of type `{targetType}/privateEndpointConnections`.
 * The target's provider serves those (GET, list, PUT to approve/reject, DELETE) and embeds them in
 * its `properties.privateEndpointConnections`; the network provider creates and removes them.
 */
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import { resourceType } from '../arm/ids.js';

export interface PrivateLinkGroup {
  groupId: string;
  requiredMembers: string[];
  requiredZoneNames: string[];
}

/** What a target type offers to private endpoints and what it demands of the target. */
export interface PrivateLinkTarget {
  /** e.g. `Microsoft.CognitiveServices/accounts` */
  type: string;
  groups(target: Resource, ctx: EmulatorContext): PrivateLinkGroup[];
  /** throws the ArmError Azure gives when a private endpoint cannot connect (e.g. no custom subdomain) */
  assertCanConnect?(target: Resource, groupId: string, ctx: EmulatorContext): void;
  /** the action that lets a caller approve connections automatically */
  approvalAction: string;
  /** host names (FQDNs) a private endpoint to this group exposes, for customDnsConfigs and A records */
  fqdns(target: Resource, groupId: string, ctx: EmulatorContext): string[];
}

const targets = new Map<string, PrivateLinkTarget>();

export function registerPrivateLinkTarget(t: PrivateLinkTarget): void {
  targets.set(t.type.toLowerCase(), t);
}

/** The registered target for the resource's type, if its provider offers private links. */
export function privateLinkTargetFor(resource: Resource): PrivateLinkTarget | undefined {
  return targets.get(resourceType(resource.id).toLowerCase());
}

/** Private endpoint connection objects as their target embeds and serves them. */
export function connectionsOf(ctx: EmulatorContext, targetId: string): Resource[] {
  return ctx.state.children(targetId, 'privateEndpointConnections');
}
