/**
 * `validate --graph` on the demo: the picture shows exactly the connections reachability reports,
 * leg by leg (before setup, after it, and with the account's endpoint Pending); Mermaid's parser and
 * Graphviz read what it prints; the text run prints the picture alone on stdout; the README's picture
 * is what the tool prints for the converged demo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cli, IDS, ROOT, type ValidateJson } from '../support/cli.js';
import { dotToSvg, parseMermaid, svgTexts } from '../support/diagram-parsers.js';
import type { GraphDocument } from '../../src/validate/graph.js';

type GraphJson = ValidateJson & { graph: GraphDocument };

let cli: Cli;
beforeAll(async () => {
  cli = await Cli.start();
});
afterAll(async () => {
  await cli.emu.stop();
});

async function validateGraph(format: 'mermaid' | 'dot'): Promise<{ code: number; json: GraphJson }> {
  const { code, json } = await cli.validate({ graph: format });
  return { code, json: json as GraphJson };
}

/** The connections the picture draws: each route's legs chained from its first node to its last, allowed when every leg is. */
function drawnConnections(g: GraphDocument) {
  const label = (id: string) => g.nodes.find((n) => n.id === id)!.label;
  const routes = [...new Set(g.edges.flatMap((e) => (e.route ? [e.route] : [])))];
  return routes.map((route) => {
    const legs = g.edges.filter((e) => e.route === route);
    legs.slice(1).forEach((leg, i) => expect(leg.from, `${route} is one chain`).toBe(legs[i].to));
    return { from: label(legs[0].from), to: label(legs[legs.length - 1].to), ok: legs.every((l) => l.status === 'allowed'), blockedLegs: legs.filter((l) => l.status === 'blocked').length };
  });
}

/** Every leg of a connection reachability allows is drawn allowed; a connection it blocks has a blocked leg; nothing else is allowed or blocked. */
function expectSameConnections(json: GraphJson) {
  const drawn = drawnConnections(json.graph);
  expect(drawn.map(({ from, to, ok }) => ({ from, to, ok }))).toEqual(json.reachability.map(({ from, to, ok }) => ({ from, to, ok })));
  for (const d of drawn) expect(d.blockedLegs > 0).toBe(!d.ok);
  for (const e of json.graph.edges.filter((x) => !x.route)) expect(e.status).toBe('configuration');
}

async function expectParsersAgree(json: GraphJson) {
  const mermaid = await parseMermaid(json.graph.source);
  expect(mermaid.vertices.size).toBe(json.graph.nodes.length);
  expect(mermaid.edges.map((e) => [e.start, e.end, e.type === 'arrow_cross'])).toEqual(json.graph.edges.map((e) => [e.from, e.to, e.status === 'blocked']));
  const dot = await validateGraph('dot');
  expect({ ...dot.json.graph, source: '', format: '' }).toEqual({ ...json.graph, source: '', format: '' });
  const texts = svgTexts(await dotToSvg(dot.json.graph.source));
  for (const n of json.graph.nodes) expect(texts).toContain(n.label);
  for (const e of json.graph.edges) expect(texts).toContain(e.label);
}

describe('validate --graph on the demo, before setup', () => {
  let run: { code: number; json: GraphJson };
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
    run = await validateGraph('mermaid');
  });

  it('draws exactly the connections reachability reports, blocked where it blocks', () => {
    expect(run.code).toBe(1);
    expectSameConnections(run.json);
    const blocked = run.json.graph.edges.filter((e) => e.status === 'blocked').map((e) => `${e.from}->${e.to}`);
    expect(blocked).toEqual(['studio->storage', 'identity->storage']);
    // no custom subdomain yet: the VNet client goes to the public endpoint, which admits everyone
    expect(run.json.graph.edges[0]).toMatchObject({ from: 'vnetClient', to: 'account', status: 'allowed', label: expect.stringContaining('no custom subdomain') });
  });

  it('Mermaid and Graphviz read what it prints', async () => {
    await expectParsersAgree(run.json);
  });
});

describe('validate --graph on the demo, after setup', () => {
  let run: { code: number; json: GraphJson };
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
    await cli.setup();
    run = await validateGraph('mermaid');
  });

  it('draws exactly the connections reachability reports: the VNet client through the private endpoint, the public ones blocked', () => {
    expect(run.code).toBe(0);
    expectSameConnections(run.json);
    const legs = run.json.graph.edges.filter((e) => e.route).map((e) => [e.from, e.to, e.status]);
    expect(legs).toEqual([
      ['vnetClient', 'accountEndpoint', 'allowed'],
      ['accountEndpoint', 'account', 'allowed'],
      ['publicClient', 'account', 'blocked'],
      ['studio', 'account', 'blocked'],
      ['studio', 'storage', 'blocked'],
      ['identity', 'storage', 'allowed'],
    ]);
    expect(run.json.graph.edges.find((e) => e.from === 'identity')!.label).toBe('trusted-services exception + Storage Blob Data Reader');
    const configuration = run.json.graph.edges.filter((e) => e.status === 'configuration').map((e) => `${e.from}->${e.to}: ${e.label}`);
    expect(configuration).toEqual([
      'account->identity: system-assigned identity',
      'vnetClient->accountZone: VNet link',
      'accountZone->accountEndpoint: A docintel-demo',
      'blobEndpoint->storage: connection Approved',
      'vnetClient->blobZone: VNet link',
      'blobZone->blobEndpoint: A stdocinteldemo',
    ]);
  });

  it('Mermaid and Graphviz read what it prints', async () => {
    await expectParsersAgree(run.json);
  });

  it('as text, stdout is the picture alone and the report goes to stderr; the exit code is validate\'s', async () => {
    const text = await cli.run('validate', { graph: 'mermaid' });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${run.json.graph.source}\n`);
    expect(text.stderr).toContain('Connections (from the configuration)');
    expect(text.stderr).toContain('All checks passed');
    const dot = await cli.run('validate', { graph: 'DOT' });
    expect(dot.stdout).toMatch(/^digraph connections \{\n[^]*\}\n$/);
  });

  it('the README shows the picture the tool prints for the converged demo', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```mermaid\n([^]*?)\n```/.exec(readme);
    expect(block, 'README.md has a ```mermaid block').not.toBeNull();
    expect(block![1]).toBe(run.json.graph.source);
  });
});

describe('validate --graph with the account\'s private endpoint Pending', () => {
  let run: { code: number; json: GraphJson };
  beforeAll(async () => {
    await cli.emu.control('POST', 'reset');
    await cli.setup();
    const state = await cli.state();
    const conn = state.resources.find((r) => r.id.toLowerCase().startsWith(`${IDS.account}/privateEndpointConnections/`.toLowerCase()));
    conn.properties.privateLinkServiceConnectionState = { status: 'Pending', description: 'Awaiting approval', actionsRequired: 'None' };
    await cli.emu.control('PUT', 'state', { resources: [conn] });
    run = await validateGraph('mermaid');
  });

  it('the name still resolves to the endpoint; the leg from the endpoint to the account is the blocked one', async () => {
    expect(run.code).toBe(1);
    expectSameConnections(run.json);
    expect(run.json.graph.edges.slice(0, 2).map((e) => [e.from, e.to, e.status, e.label])).toEqual([
      ['vnetClient', 'accountEndpoint', 'allowed', expect.stringMatching(/^A record docintel-demo → 10\.10\.1\.\d+$/)],
      ['accountEndpoint', 'account', 'blocked', 'connection Pending, not Approved'],
    ]);
    await expectParsersAgree(run.json);
  });
});

describe('--graph is checked', () => {
  it('an unknown format is a usage error naming both, exit 2, in JSON too', async () => {
    const text = await cli.run('validate', { graph: 'svg' });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("--graph 'svg' is unknown: use mermaid");
    expect(text.stderr).toContain('--graph mermaid or --graph dot');
    const json = await cli.run('validate', { graph: 'png', output: 'json' });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ message: expect.stringContaining("--graph 'png'"), fix: expect.stringContaining('--graph dot') });
  });

  it('without --graph the JSON document has no graph field', async () => {
    const { json } = await cli.validate();
    expect(json).not.toHaveProperty('graph');
  });
});
