/**
 * The two renderers of validate's connection graph, checked with the parsers that draw them: Mermaid's
 * own flowchart parser and Graphviz. Names carry the characters either language treats specially.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionGraph } from '../../src/validate/graph.js';
import { mermaidText, renderMermaid } from '../../src/validate/graph-mermaid.js';
import { renderDot } from '../../src/validate/graph-dot.js';
import { dotToSvg, parseMermaid, svgTexts } from '../support/diagram-parsers.js';

/** Everything that ends or changes a quoted label in Mermaid or DOT, or is read as HTML, Markdown or an escape. */
const HOSTILE = 'rg "prod" #1; <b>x</b> & `md` \\N {a|b} [c] end; é→';

const graph: ConnectionGraph = {
  vnet: `VNet ${HOSTILE}`,
  nodes: [
    { id: 'vnetClient', kind: 'client', label: `client in ${HOSTILE}`, detail: [], inVnet: true },
    { id: 'accountEndpoint', kind: 'private-endpoint', label: 'pe-acct-account', detail: ['private endpoint (account)', '10.0.0.4'], inVnet: true },
    { id: 'publicClient', kind: 'client', label: 'public client (unknown IP)', detail: [], inVnet: false },
    { id: 'account', kind: 'account', label: 'acct', detail: ['Document Intelligence'], inVnet: false },
    { id: 'identity', kind: 'identity', label: 'acct (managed identity)', detail: ['system-assigned'], inVnet: false },
    { id: 'storage', kind: 'storage', label: 'st (blob)', detail: ['storage account'], inVnet: false },
    { id: 'accountZone', kind: 'dns-zone', label: 'privatelink.cognitiveservices.azure.com', detail: ['private DNS zone', HOSTILE], inVnet: false },
  ],
  edges: [
    { from: 'vnetClient', to: 'accountEndpoint', status: 'allowed', label: `A record ${HOSTILE} → 10.0.0.4`, route: 'vnet-client-to-account' },
    { from: 'accountEndpoint', to: 'account', status: 'blocked', label: 'connection Pending, not Approved', route: 'vnet-client-to-account' },
    { from: 'publicClient', to: 'account', status: 'blocked', label: 'firewall: selected networks only', route: 'public-client-to-account' },
    { from: 'identity', to: 'storage', status: 'allowed', label: 'trusted-services exception + Storage Blob Data Reader', route: 'identity-to-storage' },
    { from: 'account', to: 'identity', status: 'configuration', label: 'system-assigned identity' },
    { from: 'vnetClient', to: 'accountZone', status: 'configuration', label: 'VNet link' },
  ],
};

/** Mermaid's entity codes (`#34;`) as its parser keeps them, back to text. */
const decodeMermaid = (s: string) => s.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('Mermaid', () => {
  it('parses, with every node, its label, the VNet box and each edge as drawn', async () => {
    const parsed = await parseMermaid(renderMermaid(graph));
    expect([...parsed.vertices.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    expect(decodeMermaid(parsed.vertices.get('vnetClient')!.text)).toBe(`client in ${HOSTILE}`);
    // the line breaks are the only HTML left in a label (Mermaid's sanitiser writes them <br>)
    expect(decodeMermaid(parsed.vertices.get('accountZone')!.text)).toBe(`privatelink.cognitiveservices.azure.com<br>private DNS zone<br>${HOSTILE}`);
    expect(parsed.subgraphs).toHaveLength(1);
    expect(parsed.subgraphs[0].nodes.sort()).toEqual(['accountEndpoint', 'vnetClient']);
    expect(parsed.edges.map((e) => [e.start, e.end, decodeMermaid(e.text)])).toEqual(graph.edges.map((e) => [e.from, e.to, e.label]));
  });

  it('draws blocked legs with a cross, red and dashed; allowed ones thick; configuration dotted', async () => {
    const parsed = await parseMermaid(renderMermaid(graph));
    const look = parsed.edges.map((e) => [e.type, e.stroke, e.style.find((s) => s.startsWith('stroke:'))]);
    expect(look).toEqual([
      ['arrow_point', 'thick', 'stroke:#2e7d32'],
      ['arrow_cross', 'normal', 'stroke:#c62828'],
      ['arrow_cross', 'normal', 'stroke:#c62828'],
      ['arrow_point', 'thick', 'stroke:#2e7d32'],
      ['arrow_point', 'dotted', 'stroke:#9e9e9e'],
      ['arrow_point', 'dotted', 'stroke:#9e9e9e'],
    ]);
    for (const e of parsed.edges.filter((x) => x.type === 'arrow_cross')) expect(e.style).toContain('stroke-dasharray:6 4');
  });

  it('unescaped, the same names break the diagram (what the escaping is for)', async () => {
    const raw = renderMermaid(graph).replace(mermaidText(`client in ${HOSTILE}`), `client in ${HOSTILE}`);
    await expect(parseMermaid(raw)).rejects.toThrow(/Parse error/);
  });

  it('ids are fixed words and labels stay on one line', () => {
    const text = renderMermaid({ ...graph, nodes: [{ ...graph.nodes[0], label: 'two\nlines' }, ...graph.nodes.slice(1)] });
    expect(text).toContain('vnetClient("two lines")');
    expect(mermaidText('a"b#c<d>e&f`g')).toBe('a#34;b#35;c#60;d#62;e#38;f#96;g');
  });
});

describe('DOT', () => {
  it('Graphviz lays it out and draws each name exactly as given', async () => {
    const svg = await dotToSvg(renderDot(graph));
    const texts = svgTexts(svg);
    expect(texts).toContain(`client in ${HOSTILE}`);
    expect(texts).toContain(`VNet ${HOSTILE}`);
    expect(texts).toContain(`A record ${HOSTILE} → 10.0.0.4`);
    // a detail line of its own
    expect(texts).toEqual(expect.arrayContaining(['privatelink.cognitiveservices.azure.com', 'private DNS zone', HOSTILE]));
  });

  it('blocked legs are dashed red with a bar end, allowed ones solid green, configuration dotted grey', async () => {
    const svg = await dotToSvg(renderDot(graph));
    const edges = svg.split('<g id="edge').slice(1).map((chunk) => {
      const title = /<title>([^<]*)<\/title>/.exec(chunk)![1].replace('&#45;&gt;', '->');
      const path = /<path([^>]*)>/.exec(chunk)![1];
      const dash = /stroke-dasharray="5,2"/.test(path) ? 'dashed' : /stroke-dasharray="1,5"/.test(path) ? 'dotted' : 'solid';
      return [title, /stroke="([^"]+)"/.exec(path)![1], dash];
    });
    expect(edges.sort()).toEqual([
      ['vnetClient->accountEndpoint', '#2e7d32', 'solid'],
      ['accountEndpoint->account', '#c62828', 'dashed'],
      ['publicClient->account', '#c62828', 'dashed'],
      ['identity->storage', '#2e7d32', 'solid'],
      ['account->identity', '#757575', 'dotted'],
      ['vnetClient->accountZone', '#757575', 'dotted'],
    ].sort());
  });

  it('unescaped, a quote in a name is a syntax error (what the escaping is for)', async () => {
    await expect(dotToSvg('digraph { a [label="rg "prod""]; }')).rejects.toThrow(/syntax error/);
  });
});
