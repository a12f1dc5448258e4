/**
 * `validate --probe`: live probes of the data planes, each reported as a check whose status says whether
 * the outcome agrees with the reachability computed from the configuration. Against the emulator the
 * probes can stand inside the VNet, at a public IP or at the Studio's IP; on Azure they stand where this
 * machine is (inside the VNet when the account's name resolves to a private address).
 */
import { promises as dns } from 'node:dns';
import type { Runtime } from '../../steps/context.js';
import type { StepContext } from '../../steps/context.js';
import { arm } from '../../steps/context.js';
import { STUDIO_IP } from '../../core/settings.js';
import { isPrivateOrReserved } from '../../core/ip.js';
import { rgOf, subscriptionOf } from '../../core/resource-id.js';
import { STUDIO_ORIGINS } from '../../posture/studio.js';
import type { Check, Reachability } from '../types.js';
import { fail, pass, skip, warn } from '../types.js';
import type { Posture } from '../../posture/model.js';
import { ROUTES } from '../reachability.js';
import { dataPlaneRoute, type DataPlaneRoute } from './data-plane-route.js';
import { httpsRequest } from './https-request.js';
import { analyzeRead, type AnalyzeOutcome, type ProbeAuth } from './read-analyze.js';
import { SAMPLE_TEXT, sampleDocumentBase64 } from './sample-document.js';

/** Emulator headers that place a data-plane caller (packages/arm-emulator/src/dataplane/position.ts). */
import { SOURCE_SUBNET_HEADER as SOURCE_SUBNET, CLIENT_IP_HEADER as CLIENT_IP } from '@secure-docintel/arm-emulator/protocol';
/** Stands for "an unknown public client" when --from-ip is not given (TEST-NET-2, never on an allowlist). */
const UNKNOWN_PUBLIC_IP = '198.51.100.1';

interface Viewpoint {
  id: string;
  label: string;
  row: Reachability;
  headers: Record<string, string>;
}

interface ProbeEnv {
  rt: Runtime;
  ctx: StepContext;
  p: Posture;
  route: DataPlaneRoute;
  rows: Map<string, Reachability>;
  key?: string;
}

export async function runProbes(rt: Runtime, ctx: StepContext, p: Posture, rows: Reachability[], fromIp: string | undefined, probeBlob?: string): Promise<Check[]> {
  const env: ProbeEnv = { rt, ctx, p, route: dataPlaneRoute(rt), rows: new Map(rows.map((r) => [r.id, r])) };
  const accountHost = p.privateLinks.account.host;
  const blobHost = p.privateLinks.blob.host!;
  const checks: Check[] = [];

  const accountDns = accountHost ? await dnsProbe(env, 'probe.dns.account', accountHost, 'account') : skip('probe.dns.account', p.account.id, 'No custom subdomain: nothing to resolve.');
  checks.push(accountDns, await dnsProbe(env, 'probe.dns.storage', blobHost, 'blob'));
  checks.push(accountHost ? await httpsProbe(env, 'probe.https.account', accountHost) : skip('probe.https.account', p.account.id, 'No custom subdomain.'), await httpsProbe(env, 'probe.https.storage', blobHost));

  const viewpoints = viewpointsOf(env, fromIp, accountDns);
  if (!accountHost) {
    checks.push(skip('probe.read', p.account.id, 'No custom subdomain: Entra ID authentication and private endpoints need one.'));
    return checks;
  }
  const document = sampleDocumentBase64();
  const reached: Viewpoint[] = [];
  for (const v of viewpoints) {
    const outcome: AnalyzeOutcome = await analyzeWithFallback(env, accountHost, { base64Source: document }, v.headers);
    const c = compare(`probe.read.${v.id}`, p.account.id, v, outcome, (o) => o.kind === 'succeeded' && !o.content.includes(SAMPLE_TEXT) ? `the Read result lacks "${SAMPLE_TEXT}"` : undefined);
    if (outcome.kind === 'succeeded' || outcome.kind === 'failed') reached.push(v);
    checks.push(c);
  }

  const blob = await probeBlobOf(env, probeBlob, viewpoints);
  checks.push(await studioStorageProbe(env, blob?.container));
  checks.push(await identityProbe(env, accountHost, blob, reached));
  return checks;
}

function viewpointsOf(env: ProbeEnv, fromIp: string | undefined, accountDns: Check): Viewpoint[] {
  const row = (id: string) => env.rows.get(id)!;
  if (env.route.emulated) {
    return [
      vnetViewpoint(env, row(ROUTES.vnetClient)),
      { id: 'public', label: `a public client (${fromIp ?? 'unknown IP'})`, row: row(ROUTES.publicClient), headers: { [CLIENT_IP]: fromIp ?? UNKNOWN_PUBLIC_IP } },
      { id: 'studio', label: `the Studio (${STUDIO_IP})`, row: row(ROUTES.studioAccount), headers: { [CLIENT_IP]: STUDIO_IP } },
    ];
  }
  const inside = /private address/.test(accountDns.message);
  return [{ id: 'this-machine', label: inside ? 'this machine (inside the VNet)' : 'this machine (public)', row: row(inside ? ROUTES.vnetClient : ROUTES.publicClient), headers: {} }];
}

/**
 * A client in the VNet: the emulator resolves the host name through the private DNS zones linked to the VNet,
 * as Azure DNS does, and routes the request (private endpoint, public egress, or nowhere) itself.
 */
function vnetViewpoint(env: ProbeEnv, row: Reachability): Viewpoint {
  return { id: 'vnet', label: `a client in ${env.p.vnet.name}`, row, headers: { [SOURCE_SUBNET]: env.p.subnet.id } };
}

async function dnsProbe(env: ProbeEnv, id: string, host: string, service: 'account' | 'blob'): Promise<Check> {
  const link = env.p.privateLinks[service];
  if (env.route.emulated) {
    // Offline the emulator's private DNS zone stands in for the resolver inside the VNet.
    const zone = link.zone;
    const linked = zone?.exists && zone.linkedVnetIds.some((v) => v.toLowerCase() === env.p.vnet.id.toLowerCase());
    const ips = linked ? zone!.recordIps ?? [] : [];
    return ips.length
      ? pass(id, zone!.zoneId, `${host} from ${env.p.vnet.name}: ${ips.join(', ')} (private address, A record in ${zone!.zoneName}); from the internet: its public address.`)
      : pass(id, link.targetId, `${host} resolves to its public address everywhere (no linked private DNS record for ${env.p.vnet.name}).`);
  }
  try {
    const found = await dns.lookup(host, { all: true });
    const addrs = found.map((a) => a.address);
    const priv = addrs.some((a) => isPrivateOrReserved(a));
    return pass(id, link.targetId, `${host} resolves to ${addrs.join(', ')} from this machine (${priv ? 'private address: through the private endpoint' : 'public address'}).`);
  } catch (e) {
    return fail(id, link.targetId, `${host} does not resolve from this machine: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Check this machine\'s DNS servers (inside the VNet they must forward to Azure DNS 168.63.129.16 or a resolver that knows the privatelink zones).');
  }
}

async function httpsProbe(env: ProbeEnv, id: string, host: string): Promise<Check> {
  try {
    const res = await httpsRequest(env.route, `https://${host}/`, { method: 'GET', timeoutMs: 8000 });
    return pass(id, undefined, `https://${host}/ answers over TLS (HTTP ${res.status}).`);
  } catch (e) {
    return fail(id, undefined, `https://${host}/ is unreachable from this machine: ${(e as Error).message}.`, 'Check that port 443 to the address above is open (NSG, firewall, proxy).');
  }
}

/** Entra ID first (the caller may lack a Cognitive Services data role); then an account key, unless local auth is off. */
async function analyzeWithFallback(env: ProbeEnv, host: string, source: { base64Source: string } | { urlSource: string }, headers: Record<string, string>): Promise<AnalyzeOutcome> {
  const token: ProbeAuth = { kind: 'token', credential: env.rt.session.credential };
  const first = env.key ? undefined : await analyzeRead(env.route, env.p.cloud, host, token, source, headers);
  if (first && first.kind !== 'auth-denied') return first;
  if (env.p.account.properties?.disableLocalAuth) return first!;
  if (!env.key) {
    const cog = await env.ctx.session.cognitive(subscriptionOf(env.p.account.id));
    const keys = await arm(`listing keys of ${env.p.account.id}`, () => cog.accounts.listKeys(rgOf(env.p.account.id), env.p.account.name));
    env.key = keys.key1;
  }
  return analyzeRead(env.route, env.p.cloud, host, { kind: 'key', key: env.key! }, source, headers);
}

function describe(o: AnalyzeOutcome): string {
  switch (o.kind) {
    case 'succeeded': return 'the analyze succeeded';
    case 'network-denied': return `refused by the firewall (${o.message})`;
    case 'auth-denied': return `reached, but the credential was refused (${o.code}: ${o.message})`;
    case 'failed': return `reached; the analyze failed (${o.code}: ${o.message})`;
    case 'unreachable': return `no connection (${o.message})`;
  }
}

function compare(id: string, resourceId: string, v: Viewpoint, o: AnalyzeOutcome, problem: (o: AnalyzeOutcome) => string | undefined): Check {
  if (o.kind === 'auth-denied') return warn(id, resourceId, `From ${v.label}: ${describe(o)}; cannot tell whether the network path works.`);
  const reached = o.kind === 'succeeded' || o.kind === 'failed';
  const expected = v.row.ok ? 'reachable' : 'blocked';
  if (reached !== v.row.ok) {
    return fail(id, resourceId, `From ${v.label}: ${describe(o)}, but the configuration says ${expected} (${v.row.reason}).`, 'Run validate again; if it persists, something outside the configuration validate reads (NSG, proxy, DNS forwarder, policy) changes the path.');
  }
  const issue = problem(o);
  if (issue) return fail(id, resourceId, `From ${v.label}: ${issue}.`, 'Check the account in the portal (Document Intelligence Studio → Read).');
  return pass(id, resourceId, `From ${v.label}: ${describe(o)}, as the configuration says (${expected}).`);
}

interface ProbeBlob {
  container: string;
  blob?: string;
}

/** The blob for the urlSource probe: --probe-blob, else the first blob this machine may list in the first container. */
async function probeBlobOf(env: ProbeEnv, given: string | undefined, viewpoints: Viewpoint[]): Promise<ProbeBlob | undefined> {
  const spec = given ?? process.env.SECURE_DOCINTEL_PROBE_BLOB;
  if (spec) {
    const [container, ...rest] = spec.replace(/^\/+/, '').split('/');
    return { container, blob: rest.join('/') || undefined };
  }
  const st = await env.ctx.session.storage(subscriptionOf(env.p.storage.id));
  const containers: string[] = [];
  await arm(`listing containers of ${env.p.storage.id}`, async () => {
    for await (const c of st.blobContainers.list(rgOf(env.p.storage.id), env.p.storage.name)) if (c.name) containers.push(c.name);
  });
  const container = containers.find((c) => c.toLowerCase() === 'training') ?? containers[0];
  if (!container) return undefined;
  const token = await env.rt.session.credential.getToken(env.p.cloud.storageAudience);
  for (const v of viewpoints) {
    try {
      const res = await httpsRequest(env.route, `https://${env.p.privateLinks.blob.host}/${encodeURIComponent(container)}?restype=container&comp=list&maxresults=1`, {
        headers: { authorization: `Bearer ${token?.token}`, 'x-ms-version': '2025-01-05', ...v.headers },
      });
      const name = /<Name>([^<]+)<\/Name>/.exec(res.body)?.[1];
      if (res.status === 200 && name) return { container, blob: name };
    } catch {
      // try the next position
    }
  }
  return { container };
}

async function studioStorageProbe(env: ProbeEnv, container: string | undefined): Promise<Check> {
  const id = 'probe.studio.storage';
  if (!env.route.emulated) return skip(id, env.p.storage.id, "The Studio's path to storage starts in Microsoft's network; it cannot be probed from this machine.");
  const row = env.rows.get(ROUTES.studioStorage)!;
  const v: Viewpoint = { id: 'studio', label: `the Studio (${STUDIO_IP})`, row, headers: { [CLIENT_IP]: STUDIO_IP } };
  const res = await httpsRequest(env.route, `https://${env.p.privateLinks.blob.host}/${encodeURIComponent(container ?? 'training')}?restype=container&comp=list`, {
    method: 'OPTIONS',
    headers: { origin: STUDIO_ORIGINS[0], 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-ms-version', ...v.headers },
  });
  const ok = res.status === 200;
  const what = ok ? 'the CORS preflight succeeded' : `the CORS preflight got HTTP ${res.status} (${/<Code>([^<]+)</.exec(res.body)?.[1] ?? 'no code'})`;
  return ok === row.ok
    ? pass(id, env.p.storage.id, `From ${v.label}: ${what}, as the configuration says (${row.ok ? 'reachable' : 'blocked'}).`)
    : fail(id, env.p.storage.id, `From ${v.label}: ${what}, but the configuration says ${row.ok ? 'reachable' : 'blocked'} (${row.reason}).`, 'Run validate again; if it persists, report it.');
}

async function identityProbe(env: ProbeEnv, accountHost: string, blob: ProbeBlob | undefined, reached: Viewpoint[]): Promise<Check> {
  const id = 'probe.identity.storage';
  const row = env.rows.get(ROUTES.identityStorage)!;
  if (!blob?.blob) {
    return skip(id, env.p.storage.id, `No blob to analyze by URL${blob ? ` (this machine may not list container '${blob.container}')` : ' (no container)'}: pass --probe-blob <container>/<blob>.`);
  }
  const from = reached[0];
  if (!from) return skip(id, env.p.storage.id, 'The account could not be reached from any probe position, so it could not be asked to fetch a blob.');
  const url = `https://${env.p.privateLinks.blob.host}/${blob.container}/${blob.blob.split('/').map(encodeURIComponent).join('/')}`;
  const o = await analyzeWithFallback(env, accountHost, { urlSource: url }, from.headers);
  const ok = o.kind === 'succeeded';
  const what = ok ? `the account read ${url} with its identity` : describe(o);
  if (o.kind === 'auth-denied' || o.kind === 'network-denied' || o.kind === 'unreachable') return warn(id, env.p.storage.id, `Analyze by URL from ${from.label}: ${what}; cannot tell.`);
  return ok === row.ok
    ? pass(id, env.p.storage.id, `Analyze by URL (no SAS): ${what}, as the configuration says (${row.ok ? 'reachable' : 'blocked'}).`)
    : fail(id, env.p.storage.id, `Analyze by URL (no SAS): ${what}, but the configuration says ${row.ok ? 'reachable' : 'blocked'} (${row.reason}).`, 'Check the blob exists and that no network rule outside validate\'s view (e.g. a network security perimeter) applies.');
}
