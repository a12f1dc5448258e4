/**
 * The contract between Microsoft.Network private endpoints and their targets (accounts, storage):
 * a private endpoint to a target makes a private endpoint connection stored as the target's child
 * resource `{targetId}/privateEndpointConnections/{name}`, of type `{targetType}/privateEndpointConnections`.
 * The target's provider serves those (GET, list, PUT to approve/reject, DELETE) and embeds them in
 * its `properties.privateEndpointConnections`; the network provider creates and removes them.
 */
import type { EmulatorContext } from '../context.js';
import type { Resource } from '../state.js';
import { keyOf, resourceType } from '../arm/ids.js';

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
  /** how the target's provider shows one of its connections (default: as Network stores it) */
  connectionView?(connection: Resource): Resource;
}

const targets = new Map<string, PrivateLinkTarget>();

export function registerPrivateLinkTarget(t: PrivateLinkTarget): void {
  targets.set(t.type.toLowerCase(), t);
}

/** The registered target for the resource's type, if its provider offers private links. */
export function privateLinkTargetFor(resource: Resource): PrivateLinkTarget | undefined {
  return targets.get(resourceType(resource.id).toLowerCase());
}

/** Private endpoint connection objects as Network stores them, below their target. */
export function connectionsOf(ctx: EmulatorContext, targetId: string): Resource[] {
  return ctx.state.children(targetId, 'privateEndpointConnections');
}

const CONNECTION = /^(.*)\/privateendpointconnections\/[^/]+$/;

/** Every target's connections at once, by the target's key (one pass over the store, for views of many resources). */
export function connectionsByTarget(ctx: EmulatorContext): Map<string, Resource[]> {
  const byTarget = new Map<string, Resource[]>();
  for (const [key, r] of ctx.state.resources) {
    const m = CONNECTION.exec(key);
    if (m) byTarget.set(m[1], [...(byTarget.get(m[1]) ?? []), r]);
  }
  return byTarget;
}

/** The GET view of every resource in the store, each built once (connections gathered in one pass). */
export function resourceViews(ctx: EmulatorContext): Resource[] {
  const connections = connectionsByTarget(ctx);
  return [...ctx.state.resources.values()].map((r) => resourceView(ctx, r, connections.get(keyOf(r.id)) ?? []));
}

/**
 * A stored resource as its GET shows it — the one view the providers' GETs and lists, policy evaluation
 * and Resource Graph's rows all use: a private link target embeds its connections as they are now (in
 * its provider's shape); any other resource is shown as stored. `connections` lets a caller that has
 * gathered every target's connections at once pass them in.
 */
export function resourceView(ctx: EmulatorContext, r: Resource, connections?: Resource[]): Resource {
  const target = targets.get(resourceType(r.id).toLowerCase());
  if (!target) return r;
  const own = connections ?? connectionsOf(ctx, r.id);
  return { ...r, properties: { ...r.properties, privateEndpointConnections: own.map((c) => (target.connectionView ? target.connectionView(c) : structuredClone(c))) } };
}
