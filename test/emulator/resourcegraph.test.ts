/**
 * Resource Graph's query endpoint through @azure/arm-resourcegraph: the query subset the product sends,
 * paging as Resource Graph pages, results limited to the scope asked for and what the caller may read,
 * and anything outside the subset refused with Resource Graph's error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { RestError } from '@azure/core-rest-pipeline';
import { estate } from '../../packages/arm-emulator/src/index.js';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const ACCOUNTS = "resources | where type =~ 'microsoft.cognitiveservices/accounts' and kind in~ ('FormRecognizer', 'CognitiveServices', 'AIServices') | project id, name, kind | order by id asc";

/** The SDK types `data` as a dictionary, so rows arrive keyed "0", "1", … */
const rows = (data: unknown) => Object.values(data as object) as Record<string, unknown>[];

describe('Microsoft.ResourceGraph/resources', () => {
  const e = estate({ seed: 11, subscriptions: 4, accounts: 30 });
  const subs = e.scenario.subscriptions.map((s) => s.subscriptionId);
  let emu: TestEmulator;
  let graph: ResourceGraphClient;

  beforeAll(async () => {
    const scenario = structuredClone(e.scenario);
    // the reader may read only the first subscription
    scenario.roleAssignments = scenario.roleAssignments!.filter((a) => a.principalId !== DEMO.reader.objectId || a.scope === `/subscriptions/${subs[0]}`);
    emu = await startTestEmulator({ scenario });
    graph = new ResourceGraphClient(emu.owner, emu.clientOptions);
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('answers the subset: where =~ / in~ / and, project, order by; type in lower case as Resource Graph returns it', async () => {
    const r = await graph.resources({ subscriptions: subs, query: ACCOUNTS });
    const got = rows(r.data);
    expect(r.totalRecords).toBe(30);
    expect(r.count).toBe(30);
    expect(r.resultTruncated).toBe('false');
    expect(r.skipToken).toBeUndefined();
    expect(Object.keys(got[0])).toEqual(['id', 'name', 'kind']);
    expect(got.map((x) => x.id)).toEqual(e.accounts.map((a) => a.id).sort());
    const whole = rows((await graph.resources({ subscriptions: subs, query: "resources | where type =~ 'Microsoft.CognitiveServices/accounts' and kind == 'OpenAI'" })).data);
    expect(whole).toHaveLength(4);
    expect(whole[0].type).toBe('microsoft.cognitiveservices/accounts');
    expect(whole[0]).toHaveProperty('subscriptionId');
    expect(whole[0]).toHaveProperty('properties');
  });

  it('pages by $top and $skipToken, the token carrying the page size', async () => {
    const seen: unknown[] = [];
    let r = await graph.resources({ subscriptions: subs, query: ACCOUNTS, options: { top: 12 } });
    const pages = [r.count];
    seen.push(...rows(r.data).map((x) => x.id));
    while (r.skipToken) {
      expect(r.totalRecords).toBe(30);
      expect(r.resultTruncated).toBe('false');
      r = await graph.resources({ subscriptions: subs, query: ACCOUNTS, options: { skipToken: r.skipToken } });
      pages.push(r.count);
      seen.push(...rows(r.data).map((x) => x.id));
    }
    expect(pages).toEqual([12, 12, 6]);
    expect(seen).toEqual(e.accounts.map((a) => a.id).sort());
  });

  it('without an id column, a result longer than $top is truncated, with no skip token', async () => {
    const r = await graph.resources({ subscriptions: subs, query: "resources | where type =~ 'microsoft.cognitiveservices/accounts' | project name", options: { top: 5 } });
    expect(r.count).toBe(5);
    expect(r.resultTruncated).toBe('true');
    expect(r.skipToken).toBeUndefined();
  });

  it('limits results to the subscriptions asked for, a management group, and what the caller may read', async () => {
    const one = rows((await graph.resources({ subscriptions: [subs[1]], query: ACCOUNTS })).data);
    expect(one.length).toBe(e.accounts.filter((a) => a.subscriptionId === subs[1]).length);
    expect(one.every((x) => String(x.id).includes(subs[1]))).toBe(true);
    const group = Object.keys(e.scenario.extras!.managementGroups as object)[0];
    expect((await graph.resources({ managementGroups: [group], query: ACCOUNTS })).totalRecords).toBe(30);
    await expect(graph.resources({ managementGroups: ['mg-nowhere'], query: ACCOUNTS })).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest' });
    // the scenario's shorthand is a Microsoft.Management resource once loaded, the one model policy reads too
    const state = (await emu.control('GET', 'state')) as { resources: { type: string; name: string }[]; extras: Record<string, unknown> };
    expect(state.extras.managementGroups).toBeUndefined();
    expect(state.resources.filter((r) => r.type === 'Microsoft.Management/managementGroups').map((r) => r.name)).toEqual([group]);
    const reader = new ResourceGraphClient(emu.reader, emu.clientOptions);
    const visible = rows((await reader.resources({ subscriptions: subs, query: ACCOUNTS })).data);
    expect(visible.length).toBe(e.accounts.filter((a) => a.subscriptionId === subs[0]).length);
    // at tenant scope (no subscriptions): every subscription the caller may read
    expect((await reader.resources({ query: ACCOUNTS })).totalRecords).toBe(visible.length);
    expect((await graph.resources({ query: ACCOUNTS })).totalRecords).toBe(30);
  });

  it('serves role assignments and the built-in role definitions in authorizationresources', async () => {
    const assignments = rows((await graph.resources({ subscriptions: subs, query: "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' and properties.principalType =~ 'ServicePrincipal' | project id, properties" })).data);
    expect(assignments.some((a) => (a.properties as { roleDefinitionId: string }).roleDefinitionId.endsWith('2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'))).toBe(true);
    const defs = rows((await graph.resources({ subscriptions: subs, query: "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' and name in~ ('acdd72a7-3385-48ef-bd42-f606fba81ae7') | project id, name, properties" })).data);
    expect(defs.map((d) => (d.properties as { roleName: string }).roleName)).toEqual(['Reader']);
  });

  it('refuses what is outside the subset with BadRequest, InvalidQuery and ParserFailure naming the token', async () => {
    for (const [query, token] of [
      ["resources | where name contains 'x'", 'contains'],
      ['resources | summarize count() by type', 'summarize'],
      ['resourcecontainers', 'resourcecontainers'],
      ["resources | where name =~ 'x' or name =~ 'y'", 'or'],
    ]) {
      const err = await graph.resources({ subscriptions: subs, query }).then(() => undefined, (x: RestError) => x);
      expect(err, query).toBeInstanceOf(RestError);
      expect(err!.statusCode).toBe(400);
      const body = (err!.response?.bodyAsText && JSON.parse(err!.response.bodyAsText)) as { error: { code: string; message: string; details: { code: string; token?: string }[] } };
      expect(body.error.code).toBe('BadRequest');
      expect(body.error.message).toMatch(/^Please provide below info when asking for support: timestamp = .*, correlationId = .*\.$/);
      expect(body.error.details.map((d) => d.code)).toEqual(['InvalidQuery', 'ParserFailure']);
      expect(body.error.details[1].token, query).toBe(token);
    }
  });

  it('refuses $top above 1000 and a skip token it did not issue', async () => {
    const status = (p: Promise<unknown>) => p.then(() => 200, (x: RestError) => x.statusCode);
    expect(await status(graph.resources({ subscriptions: subs, query: ACCOUNTS, options: { top: 1001 } }))).toBe(400);
    expect(await status(graph.resources({ subscriptions: subs, query: ACCOUNTS, options: { skipToken: 'bm90IGEgdG9rZW4=' } }))).toBe(400);
  });
});

describe('Resource Graph and policy see one model of management groups', () => {
  let emu: TestEmulator;
  let graph: ResourceGraphClient;
  beforeAll(async () => {
    emu = await startTestEmulator();
    graph = new ResourceGraphClient(emu.owner, emu.clientOptions);
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('scopes a query to a group placed as a Microsoft.Management resource, through its child group, as policy does', async () => {
    const group = (name: string, children: { id: string }[]) => ({ id: `/providers/Microsoft.Management/managementGroups/${name}`, name, type: 'Microsoft.Management/managementGroups', properties: { displayName: name, children } });
    await emu.control('PUT', 'state', { resources: [group('mg-root', [{ id: '/providers/Microsoft.Management/managementGroups/mg-leaf' }]), group('mg-leaf', [{ id: `/subscriptions/${DEMO.subscriptionId}` }])] });
    const query = "resources | where type =~ 'microsoft.cognitiveservices/accounts' | project id";
    const byGroup = rows((await graph.resources({ managementGroups: ['mg-root'], query })).data);
    const bySubscription = rows((await graph.resources({ subscriptions: [DEMO.subscriptionId], query })).data);
    expect(byGroup.length).toBeGreaterThan(0);
    expect(byGroup).toEqual(bySubscription);
  });
});
