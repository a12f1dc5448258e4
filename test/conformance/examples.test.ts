/**
 * Replays every vendored x-ms-example whose operation the emulator routes: the example's request
 * (its names, subscription, body) over HTTPS with an emulator token, against a scenario holding what
 * the request needs. The status must be one the example lists and the response must have the
 * example's property paths with the same value types (values are not compared).
 *
 * Paths the emulator returns beyond the example's are not failures here: the examples are abbreviated
 * (e.g. the 2024-10-01 CreateAccount example has no `systemData`, which the spec declares and Azure
 * returns). Every response in this file is also validated against the spec by the test fixture, which
 * rejects undeclared properties, so extra paths are held to the spec instead of to the example.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Router } from '../../packages/arm-emulator/src/arm/router.js';
import { providers } from '../../packages/arm-emulator/src/providers/index.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { specCatalog, type SpecExample } from '../support/spec-validator.js';
import {
  exampleRequest, exampleScenario, resourceLibrary, seedAs, ancestors, referencedIds, writableProjection,
  compareShapes, send, pollToCompletion, isResourceId, type HttpResult,
} from '../support/spec-example-replay.js';

/** Examples not replayed, with the reason (beyond "no operation" and "not routed", found automatically). */
const NOT_REPLAYED: Record<string, string> = {
  'network/resource-manager/Microsoft.Network/Network/stable/2025-07-01/examples/PrivateEndpointCreate.json':
    'connects to a Private Link service (Microsoft.Network/privateLinkServices) in the canary region eastus2euap with an edge zone and static IP configurations; the emulator models private endpoints to accounts only (the product\'s case, tested in test/emulator/network.test.ts)',
};

const STORAGE_ACCOUNT_IGNORES = [
  { paths: ['.properties.geoReplicationStats', '.properties.geoPriorityReplicationStatus', '.properties.accountMigrationInProgress', '.properties.isSkuConversionBlocked'], why: 'geo-replication, account migration and SKU conversion are not modeled (geoReplicationStats comes only with $expand=geoReplicationStats on geo-redundant accounts)' },
  { paths: ['.properties.primaryEndpoints.internetEndpoints', '.properties.primaryEndpoints.microsoftEndpoints'], why: 'routing-preference endpoints (routingPreference.publishInternetEndpoints/publishMicrosoftEndpoints) are not modeled' },
];

/**
 * Response property paths not compared, per example ('*' = all), and why. Paths are dotted from the
 * body root (`.properties.x`), `[]` for array items.
 */
const IGNORED: Record<string, { paths: string[]; why: string }[]> = {
  '*': [
    { paths: ['.nextLink'], why: 'every list in a replay fits one page (page size 100), so there is no next page to link' },
  ],
  'resources/resource-manager/Microsoft.Resources/subscriptions/examples/2022-12-01/GetSubscription.json': subscriptionIgnores(),
  'resources/resource-manager/Microsoft.Resources/subscriptions/examples/2022-12-01/GetSubscriptions.json': subscriptionIgnores(),
  'storage/resource-manager/Microsoft.Storage/stable/2025-08-01/examples/StorageAccountGetProperties.json': STORAGE_ACCOUNT_IGNORES,
  'storage/resource-manager/Microsoft.Storage/stable/2025-08-01/examples/StorageAccountUpdate.json': STORAGE_ACCOUNT_IGNORES,
  'storage/resource-manager/Microsoft.Storage/stable/2025-08-01/examples/StorageAccountCreate.json': STORAGE_ACCOUNT_IGNORES,
  'storage/resource-manager/Microsoft.Storage/stable/2025-08-01/examples/StorageAccountCreateDisallowPublicNetworkAccess.json': STORAGE_ACCOUNT_IGNORES,
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/VirtualNetworkGet.json': [
    { paths: ['.properties.subnets[].properties.ipConfigurations'], why: 'a subnet lists ipConfigurations only while network interfaces use it; the replay attaches none' },
    { paths: ['.properties.defaultPublicNatGateway'], why: 'default outbound access through a platform NAT gateway (2026-01-01) is not modeled' },
  ],
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/PrivateEndpointDnsZoneGroupCreate.json': [
    { paths: ['.properties.privateDnsZoneConfigs[].properties.recordSets[]'], why: 'record sets come from the endpoint\'s target FQDNs; the example\'s endpoint is seeded from PrivateEndpointGet, which points at a Private Link service the emulator does not model, so there are no records' },
  ],
  'resources/resource-manager/Microsoft.Resources/subscriptions/stable/2022-12-01/examples/GetLocations.json': [
    { paths: ['.availabilityZoneMappings'], why: 'the emulator models no availability zones (deviation, see BEHAVIOR.conformance.md)' },
    { paths: ['.metadata.pairedRegion', '.metadata.geography', '.metadata.geographyGroup', '.metadata.longitude', '.metadata.latitude', '.metadata.physicalLocation'], why: 'the emulator lists regions by name and category only: no paired regions, geography or coordinates (deviation, see BEHAVIOR.conformance.md)' },
  ],
};

function subscriptionIgnores() {
  return [
    { paths: ['.managedByTenants[]'], why: 'managedByTenants lists Azure Lighthouse managing tenants; scenario subscriptions have none, so the array is empty' },
    { paths: ['.tags'], why: 'a subscription shows tags only when it has some; scenario subscriptions have none' },
  ];
}

const catalog = specCatalog();
const router = new Router();
for (const p of providers) p.register(router);
const examples = catalog.examples();
const library = resourceLibrary(examples);

function skipReason(ex: SpecExample): string | undefined {
  if (!ex.operation) return 'no operation in the vendored specs names this example';
  if (NOT_REPLAYED[ex.name]) return NOT_REPLAYED[ex.name];
  const req = exampleRequest(ex);
  if (!router.match(req.method, req.path).route) return `the emulator does not route ${req.method} ${ex.operation.template}`;
  return undefined;
}

const plans = examples.map((ex) => ({ ex, skip: skipReason(ex) }));
const replayed = plans.filter((p) => !p.skip);

let emu: TestEmulator;
let token: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  token = (await emu.owner.getToken('https://management.azure.com/.default'))!.token;
});
afterAll(async () => {
  process.stdout.write(`[examples] replayed ${replayed.length}/${plans.length}\n`);
  for (const p of plans.filter((x) => x.skip)) process.stdout.write(`[examples] skipped ${p.ex.name}: ${p.skip}\n`);
  await emu?.stop();
});

describe('spec examples replayed against the emulator', () => {
  it('replays at least the examples of every routed operation', () => {
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) if (p.skip) expect(p.skip, p.ex.name).toMatch(/\S/);
  });

  for (const { ex } of replayed) {
    it(`${ex.operation!.operationId}: ${ex.name}`, async () => {
      const req = exampleRequest(ex);
      const id = decodeURIComponent(req.path);
      const op = ex.operation!;
      const route = router.match(req.method, req.path).route!;
      const apiVersion = route.api.versions.includes(req.apiVersion) ? req.apiVersion : route.api.versions.includes(op.apiVersion) ? op.apiVersion : route.api.versions[route.api.versions.length - 1];
      const statuses = Object.keys(ex.body.responses);

      await emu.control('POST', 'reset', { scenario: exampleScenario(ex, id, prerequisites(id, req.body)) });
      const call = (method: string, path: string, body?: unknown, query = '') => send(emu.url, emu.caCert, token, method, `${path}?api-version=${apiVersion}${query}`, body);

      if (req.method !== 'PUT') await ensureTarget(ex, id, call);
      const query = [...req.query].map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('');
      let res = await call(req.method, req.path, req.body, query);
      if (req.method === 'PUT' && res.status === 404) {
        // The operation updates a resource that only arises from another (e.g. a connection made by a private endpoint).
        await seed([seedFrom(ex.body.responses['200']?.body, id) ?? seedAs(id, library)]);
        res = await call(req.method, req.path, req.body, query);
      }

      expect(statuses, `status ${res.status} ${JSON.stringify(res.body)}`).toContain(String(res.status));
      const ignored = [...(IGNORED['*'] ?? []), ...(IGNORED[ex.name] ?? [])].flatMap((i) => i.paths);
      const problems: string[] = [];
      const expected = ex.body.responses[String(res.status)]?.body;
      if (expected !== undefined && res.body !== undefined) problems.push(...describe$(`initial ${res.status}`, compareShapes(expected, res.body, ignored)));
      const final = ex.body.responses['200']?.body;
      if ((res.status === 201 || res.status === 202) && final !== undefined && (req.method === 'PUT' || req.method === 'PATCH')) {
        await pollToCompletion(emu.url, emu.caCert, token, res);
        const got = await call('GET', req.path);
        expect(got.status).toBe(200);
        problems.push(...describe$('final 200', compareShapes(final, got.body, ignored)));
      }
      expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
    });
  }
});

function describe$(when: string, d: ReturnType<typeof compareShapes>): string[] {
  return [...d.missing.map((p) => `${when}: example has ${p}, emulator does not`), ...d.mistyped.map((p) => `${when}: ${p}`)];
}

/** Parents of the request's resource and the resources its body refers to, as GET shapes. */
function prerequisites(path: string, body: unknown): Record<string, any>[] {
  const ids = new Set<string>(ancestors(path));
  for (const id of referencedIds(body)) {
    ancestors(id).forEach((a) => ids.add(a));
    ids.add(id);
  }
  ids.delete(path);
  const seeds = new Map<string, Record<string, any>>();
  for (const id of [...ids].sort((a, b) => a.length - b.length)) {
    if (/\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(id)) continue; // embedded below
    seeds.set(id.toLowerCase(), seedAs(id, library));
  }
  // Subnets live inside their virtual network's body.
  for (const id of ids) {
    const m = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/([^/]+)$/i.exec(id);
    if (!m) continue;
    const vnet = seeds.get(m[1].toLowerCase()) ?? seedAs(m[1], library);
    seeds.set(m[1].toLowerCase(), vnet);
    vnet.properties.subnets ??= [];
    if (!vnet.properties.subnets.some((s: any) => s.name.toLowerCase() === m[2].toLowerCase())) vnet.properties.subnets.push(seedAs(id, library));
  }
  return [...seeds.values()];
}

/** The example's own resource re-identified at `id`, when the example shows one. */
function seedFrom(body: any, id: string): Record<string, any> | undefined {
  if (!body || typeof body !== 'object' || !body.id || Array.isArray(body.value)) return undefined;
  const r = JSON.parse(JSON.stringify(body).split(body.id).join(id));
  r.name = id.split('/').pop();
  return r;
}

async function seed(resources: Record<string, any>[]): Promise<void> {
  await emu.control('PUT', 'state', { resources });
}

/**
 * Makes the resource(s) a GET, PATCH, DELETE, POST or list needs: created through the emulator's
 * own PUT from the writable part of the example's resource when it routes one, else seeded.
 */
async function ensureTarget(ex: SpecExample, path: string, call: (m: string, p: string, b?: unknown) => Promise<HttpResult>): Promise<void> {
  const body = ex.body.responses['200']?.body;
  const wanted: [string, any][] = [];
  if (Array.isArray(body?.value)) {
    if (!router.match('PUT', `${path}/x`).route) return; // not a collection of resources the emulator creates
    for (const item of body.value) if (item?.name && item?.id) wanted.push([`${path}/${String(item.name).split('/').pop()}`, item]);
  } else if (isResourceId(path)) {
    wanted.push([path, seedFrom(body, path) ?? seedAs(path, library)]);
  }
  for (const [id, shape] of wanted) {
    const exists = (await call('GET', id)).status === 200;
    // A GET is compared after writing the example's writable properties, so what the example shows can be shown.
    if (exists && ex.operation!.method !== 'GET') continue;
    const put = catalog.find('PUT', id);
    if (put && router.match('PUT', id).route && !/\/privateEndpointConnections\//i.test(id)) {
      const created = await call('PUT', id, writableProjection(catalog, put, shape));
      if (created.status < 300) {
        await pollToCompletion(emu.url, emu.caCert, token, created);
        if ((await call('GET', id)).status === 200) continue;
      }
    }
    if (!exists) await seed([{ ...seedFrom(shape, id) ?? seedAs(id, library) }]);
  }
}
