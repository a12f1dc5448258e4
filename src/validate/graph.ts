/**
 * `validate --graph`: the guide's connections as a picture. Its allowed and blocked edges are the
 * hops reachability judged (one model of the truth: nothing here decides whether a connection
 * works); the other edges are configuration read for validate — VNet links, A records, the
 * account's identity, endpoint connections — drawn neutral. Pure: graph-mermaid.ts and
 * graph-dot.ts turn it into text.
 */
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf } from '../core/resource-id.js';
import { UsageError } from '../core/errors.js';
import { renderDot } from './graph-dot.js';
import { renderMermaid } from './graph-mermaid.js';
import { isLinked, type Posture } from '../posture/model.js';
import type { Reachability, RouteNode } from './types.js';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Node ids are fixed words, valid unquoted in both Mermaid and DOT; names only ever appear in labels. */
export type NodeId = RouteNode | 'blobEndpoint' | 'accountZone' | 'blobZone';
export type NodeKind = 'client' | 'account' | 'identity' | 'storage' | 'private-endpoint' | 'dns-zone';
export type EdgeStatus = 'allowed' | 'blocked' | 'configuration';

export interface GraphNode {
  id: NodeId;
  kind: NodeKind;
  /** for the ends of a connection, the name reachability gives it */
  label: string;
  /** further lines: what it is, its address, what is missing */
  detail: string[];
  /** drawn inside the VNet's box */
  inVnet: boolean;
}

export interface GraphEdge {
  from: NodeId;
  to: NodeId;
  status: EdgeStatus;
  label: string;
  /** the reachability connection this edge is a leg of (allowed and blocked edges only) */
  route?: string;
}

export interface ConnectionGraph {
  /** the VNet's box */
  vnet: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The `graph` field of validate's JSON document: the picture as data and as the text printed. */
export interface GraphDocument extends ConnectionGraph {
  format: GraphFormat;
  source: string;
}

const SERVICE_NODES: Record<PrivateLinkService, { endpoint: NodeId; zone: NodeId; target: NodeId }> = {
  account: { endpoint: 'accountEndpoint', zone: 'accountZone', target: 'account' },
  blob: { endpoint: 'blobEndpoint', zone: 'blobZone', target: 'storage' },
};

export function connectionGraph(p: Posture, rows: Reachability[]): ConnectionGraph {
  const names = new Map<NodeId, string>();
  for (const r of rows) {
    names.set(r.path[0].from, r.from);
    names.set(r.path[r.path.length - 1].to, r.to);
  }
  const nodes: GraphNode[] = [];
  const node = (id: NodeId, kind: NodeKind, fallback: string, detail: string[], inVnet = false) => nodes.push({ id, kind, label: names.get(id) ?? fallback, detail, inVnet });

  node('vnetClient', 'client', `client in ${p.vnet.name}`, [], true);
  for (const service of ['account', 'blob'] as const) {
    const chosen = p.privateLinks[service].chosen;
    if (chosen) node(SERVICE_NODES[service].endpoint, 'private-endpoint', chosen.pe?.name ?? nameOf(chosen.privateEndpointId), [`private endpoint (${service})`, chosen.pe ? chosen.ips.join(', ') || 'no address' : 'deleted'], true);
  }
  node('publicClient', 'client', 'public client', []);
  node('studio', 'client', 'Document Intelligence Studio', []);
  node('account', 'account', p.account.name, ['Document Intelligence']);
  node('identity', 'identity', `${p.account.name} (managed identity)`, [p.principalId ? 'system-assigned' : 'not turned on']);
  node('storage', 'storage', p.storage.name, ['storage account']);

  const edges: GraphEdge[] = rows.flatMap((r) => r.path.map((h): GraphEdge => ({ from: h.from, to: h.to, status: h.ok ? 'allowed' : 'blocked', label: h.label, route: r.id })));
  const configuration = (from: NodeId, to: NodeId, label: string) => edges.push({ from, to, status: 'configuration', label });

  if (p.principalId) configuration('account', 'identity', 'system-assigned identity');
  for (const service of ['account', 'blob'] as const) {
    const link = p.privateLinks[service];
    const ids = SERVICE_NODES[service];
    const chosen = link.chosen;
    if (chosen && !edges.some((e) => e.from === ids.endpoint && e.to === ids.target)) configuration(ids.endpoint, ids.target, `connection ${chosen.status ?? 'missing'}`);
    const zone = link.zone;
    if (!zone) continue;
    const detail = ['private DNS zone'];
    const pointsAtEndpoint = !!chosen && !!zone.recordIps?.some((ip) => chosen.ips.includes(ip));
    if (!zone.exists) detail.push('not created');
    else if (!zone.recordIps) detail.push(`no A record ${zone.recordName}`);
    else if (!pointsAtEndpoint) detail.push(`A ${zone.recordName} → ${zone.recordIps.join(', ') || 'no address'}`);
    node(ids.zone, 'dns-zone', zone.zoneName, detail);
    if (zone.exists) configuration('vnetClient', ids.zone, isLinked(zone, p.vnet.id) ? 'VNet link' : `not linked to ${p.vnet.name}`);
    if (pointsAtEndpoint) configuration(ids.zone, ids.endpoint, `A ${zone.recordName}`);
  }
  return { vnet: `VNet ${p.vnet.name}`, nodes, edges };
}

export function graphDocument(format: GraphFormat, g: ConnectionGraph): GraphDocument {
  return { format, source: format === 'mermaid' ? renderMermaid(g) : renderDot(g), ...g };
}

/** `--graph` as given (any case); anything else is a usage error naming the two formats. */
export function graphFormatOf(value: unknown): GraphFormat | undefined {
  if (value === undefined) return undefined;
  const format = GRAPH_FORMATS.find((f) => f === String(value).toLowerCase());
  if (!format) throw new UsageError(`--graph '${String(value)}' is unknown: use mermaid (a flowchart GitHub renders in Markdown) or dot (Graphviz).`, 'Pass --graph mermaid or --graph dot; nothing was written.');
  return format;
}
