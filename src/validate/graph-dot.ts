/** The connection graph in Graphviz DOT: allowed legs green, blocked legs red and dashed with a bar end, configuration dotted grey. */
import type { ConnectionGraph, EdgeStatus, GraphNode } from './graph.js';

const SHAPE: Record<GraphNode['kind'], string> = {
  client: 'shape=box, style=rounded',
  account: 'shape=box',
  identity: 'shape=ellipse',
  storage: 'shape=cylinder',
  'private-endpoint': 'shape=component',
  'dns-zone': 'shape=hexagon',
};

const EDGE: Record<EdgeStatus, string> = {
  allowed: 'color="#2e7d32", fontcolor="#2e7d32", penwidth=2',
  blocked: 'style=dashed, color="#c62828", fontcolor="#c62828", penwidth=2, arrowhead=tee',
  configuration: 'style=dotted, color="#757575", fontcolor="#757575"',
};

/** A DOT quoted string: `"` and `\` escaped (a backslash would otherwise start \N, \l… in a label); lines joined with \n. */
export function dotString(lines: string[]): string {
  return `"${lines.map((l) => l.replace(/[\r\n]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)).join('\\n')}"`;
}

const nodeLine = (n: GraphNode) => `${n.id} [label=${dotString([n.label, ...n.detail])}, ${SHAPE[n.kind]}];`;

export function renderDot(g: ConnectionGraph): string {
  const lines = [
    'digraph connections {',
    '  // allowed: solid green; blocked: dashed red; configuration: dotted grey',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11];',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  subgraph cluster_vnet {',
    `    label=${dotString([g.vnet])};`,
    '    style=dashed;',
    ...g.nodes.filter((n) => n.inVnet).map((n) => `    ${nodeLine(n)}`),
    '  }',
    ...g.nodes.filter((n) => !n.inVnet).map((n) => `  ${nodeLine(n)}`),
    ...g.edges.map((e) => `  ${e.from} -> ${e.to} [label=${dotString([e.label])}, ${EDGE[e.status]}];`),
    '}',
  ];
  return lines.join('\n');
}
