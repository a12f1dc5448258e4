/**
 * The connection graph as a Mermaid flowchart (GitHub renders it in Markdown): allowed legs `==>`,
 * blocked legs `--x` drawn red and dashed, configuration `-.->` in grey.
 */
import type { ConnectionGraph, EdgeStatus, GraphNode } from './graph.js';

const SHAPE: Record<GraphNode['kind'], [string, string]> = {
  client: ['(', ')'],
  account: ['[', ']'],
  identity: ['([', '])'],
  storage: ['[(', ')]'],
  'private-endpoint': ['[[', ']]'],
  'dns-zone': ['{{', '}}'],
};

const ARROW: Record<EdgeStatus, string> = { allowed: '==>', blocked: '--x', configuration: '-.->' };

const LINK_STYLE: Record<EdgeStatus, string> = {
  allowed: 'stroke:#2e7d32,stroke-width:2px',
  blocked: 'stroke:#c62828,stroke-width:2px,stroke-dasharray:6 4',
  configuration: 'stroke:#9e9e9e',
};

/**
 * Text inside a quoted Mermaid label: `"` would end it, `#…;` is Mermaid's entity syntax, and the
 * label is HTML (`<`, `>`, `&`) or, with backticks, Markdown — each becomes an entity code.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

function nodeLine(n: GraphNode): string {
  const [open, close] = SHAPE[n.kind];
  return `${n.id}${open}"${[n.label, ...n.detail].map(mermaidText).join('<br/>')}"${close}`;
}

export function renderMermaid(g: ConnectionGraph): string {
  const lines = ['flowchart LR', '  %% ==> allowed, --x blocked (red, dashed), -.-> configuration'];
  lines.push(`  subgraph vnet["${mermaidText(g.vnet)}"]`);
  for (const n of g.nodes.filter((x) => x.inVnet)) lines.push(`    ${nodeLine(n)}`);
  lines.push('  end');
  for (const n of g.nodes.filter((x) => !x.inVnet)) lines.push(`  ${nodeLine(n)}`);
  for (const e of g.edges) lines.push(`  ${e.from} ${ARROW[e.status]}|"${mermaidText(e.label)}"| ${e.to}`);
  for (const status of ['allowed', 'blocked', 'configuration'] as const) {
    const indices = g.edges.flatMap((e, i) => (e.status === status ? [i] : []));
    if (indices.length) lines.push(`  linkStyle ${indices.join(',')} ${LINK_STYLE[status]}`);
  }
  return lines.join('\n');
}
