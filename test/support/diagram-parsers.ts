/**
 * The maintained parsers the graph tests check `validate --graph` output with, both running in Node:
 * Mermaid's own (the `mermaid` package: its flowchart grammar and database, loaded under a jsdom
 * window because its sanitiser, DOMPurify, binds to one at import time) and Graphviz itself (WebAssembly build).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

export interface MermaidFlowchart {
  /** node id → its label as parsed (Mermaid's entity codes still encoded) */
  vertices: Map<string, { text: string }>;
  edges: { start: string; end: string; text: string; type: string; stroke: string; style: string[] }[];
  subgraphs: { id: string; nodes: string[] }[];
}

interface MermaidApi {
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: { getVertices(): Map<string, { text: string }>; getEdges(): MermaidFlowchart['edges']; getSubGraphs(): MermaidFlowchart['subgraphs'] } }> };
}

let mermaid: Promise<MermaidApi> | undefined;

function loadMermaid(): Promise<MermaidApi> {
  mermaid ??= (async () => {
    const { JSDOM } = await import('jsdom');
    const g = globalThis as { window?: unknown };
    const { window } = new JSDOM('');
    // DOMPurify binds to the window it finds when mermaid is imported; the global is removed right after,
    // so other code in this worker never sees a browser.
    g.window = window;
    try {
      return (await import('mermaid')).default as unknown as MermaidApi;
    } finally {
      delete g.window;
    }
  })();
  return mermaid;
}

/** Parses a Mermaid flowchart the way Mermaid does before drawing it; throws Mermaid's parse error. */
export async function parseMermaid(text: string): Promise<MermaidFlowchart> {
  const api = await loadMermaid();
  await api.parse(text);
  const { db } = await api.mermaidAPI.getDiagramFromText(text);
  return { vertices: db.getVertices(), edges: db.getEdges(), subgraphs: db.getSubGraphs() };
}

let graphviz: Promise<Graphviz> | undefined;

/** Lays a DOT graph out with Graphviz's `dot` engine and returns the SVG; throws Graphviz's syntax error. */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).layout(dot, 'svg', 'dot');
}

/** The text Graphviz drew, line by line, XML entities decoded. */
export function svgTexts(svg: string): string[] {
  const decode = (s: string) => s.replace(/&(#\d+|#x[0-9a-f]+|quot|amp|lt|gt|apos);/gi, (_, e: string) => {
    const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()];
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]));
}
