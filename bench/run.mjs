#!/usr/bin/env node
/**
 * `npm run bench`: measures secure-docintel side by side with its references in one run and prints
 * a table (medians of several runs, ratios, targets from issue 5). Everything runs on loopback
 * against in-process ARM emulators; every loop is bounded and the whole run stops by itself.
 *
 *   start-up      `secure-docintel --help` vs `node -e 0`, in alternating pairs
 *   fresh setup   `setup --non-interactive --yes` against a fresh emulator (no long-running delay)
 *   Azure CLI     the same changes made with the equivalent `az` commands (when az is installed)
 *   LRO delay     the fresh setup with every long-running operation taking 1 s, vs the critical path
 *   re-run        setup again on the converged state: its writes, and its reads per resource involved
 *                 (rerunResources says what counts as one; the notes list each with its reads)
 *   audit         `audit -o json` over generated estates of 200 and 2,000 accounts in 50 subscriptions
 *   inventory     `setup --inventory` of 50 accounts in 5 subscriptions vs 50 sequential `setup` runs,
 *                 both against emulators throttling at Azure's limits (`node bench/run.mjs inventory`
 *                 runs this row alone)
 *
 * `node bench/run.mjs startup`, `… rerun`, `… audit` or `… inventory` runs only those rows (after `node scripts/build.mjs`);
 * `rerun` runs the fresh setups it re-runs, and prints the resources its reads-per-resource figure counts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator, DEMO, estate } from '@secure-docintel/arm-emulator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'secure-docintel.js');
const PRELOAD = join(ROOT, 'bench', 'rusage-preload.mjs');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const WORK = mkdtempSync(join(tmpdir(), 'secure-docintel-bench-'));
const STARTED = Date.now();
const BUDGET_MS = 20 * 60_000;
const CHILD_TIMEOUT_MS = 120_000;
const LRO_DELAY_MS = 1000;
const RUNS = { startup: 41, startupMemory: 3, fresh: 5, lro: 3, az: 1, audit: 3 };
const AUDIT_ESTATES = [200, 2000];
const AUDIT_SUBSCRIPTIONS = 50;
/** Resource Graph's page: the most rows one query request returns. */
const GRAPH_PAGE = 1000;
const ONLY = process.argv.slice(2);
/** the inventory row: its fleet, and how long each long-running operation takes there */
const FLEET = { subscriptions: 5, accountsPerSubscription: 10 };
const INVENTORY_LRO_DELAY_MS = 250;

const RG = DEMO.resourceGroup;
const SUB_ID = `/subscriptions/${DEMO.subscriptionId}`;
const ACCOUNT_ID = `${SUB_ID}/resourceGroups/${RG}/providers/Microsoft.CognitiveServices/accounts/${DEMO.account}`;
const STORAGE_ID = `${SUB_ID}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${DEMO.storage}`;

const log = (line) => process.stderr.write(`bench: ${line}\n`);
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const timeLeft = () => BUDGET_MS - (Date.now() - STARTED);

/**
 * Runs a command (never blocking the event loop: the emulators live in this process). With
 * `measure`, CPU time and peak memory come from /usr/bin/time, or for node from a preload that
 * reports process.resourceUsage() at exit; otherwise they are "not measured".
 */
function run(cmd, args, { env = process.env, measure = false, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
  const statFile = join(WORK, `stat-${process.hrtime.bigint()}`);
  let file = cmd;
  let argv = args;
  let childEnv = env;
  let how;
  if (measure && TIME) {
    file = TIME;
    argv = ['-f', '%U %S %M', '-o', statFile, cmd, ...args];
    how = 'time';
  } else if (measure && cmd === process.execPath) {
    childEnv = { ...env, BENCH_RUSAGE_FILE: statFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(PRELOAD).href}`.trim() };
    how = 'preload';
  }
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const r = { code, stdout, stderr, wallMs };
      try {
        if (how === 'time') {
          const [u, s, m] = readFileSync(statFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
          Object.assign(r, { cpuMs: (u + s) * 1000, maxRssKiB: m });
        } else if (how === 'preload') {
          const j = JSON.parse(readFileSync(statFile, 'utf8'));
          Object.assign(r, { cpuMs: (j.userS + j.sysS) * 1000, maxRssKiB: j.maxRssKiB });
        }
      } catch {
        /* not measured */
      }
      rmSync(statFile, { force: true });
      resolve(r);
    });
  });
}

/** GET/DELETE on the emulator's control endpoints (/_emulator/...), trusting its CA. */
function control(emu, method, path) {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}/_emulator/${path}`, { method, ca: emu.caCert }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body ? JSON.parse(body) : undefined));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('emulator control request timed out')));
    req.end();
  });
}

async function armLog(emu) {
  const { value } = await control(emu, 'GET', 'requests?kind=arm,poll');
  const arm = value.filter((e) => e.kind === 'arm');
  return {
    entries: value,
    reads: arm.filter((e) => e.method === 'GET' || e.method === 'HEAD').length,
    writes: arm.filter((e) => e.method !== 'GET' && e.method !== 'HEAD').length,
    polls: value.filter((e) => e.kind === 'poll').length,
    throttled: value.filter((e) => e.status === 429).length,
  };
}

function setupArgs(emu) {
  return [
    BIN, 'setup', '--non-interactive', '--yes', '--output', 'json',
    '--subscription', DEMO.subscriptionId, '--resource-group', RG, '--docintel', DEMO.account, '--storage', DEMO.storage,
    '--vnet', DEMO.vnet, '--subnet', DEMO.subnet, '--arm-endpoint', emu.url, '--ca-cert', emu.caFile,
  ];
}

/** The journals the measured runs write go to a folder of this bench run, not the user's ~/.local/state. */
const BENCH_STATE_HOME = mkdtempSync(join(tmpdir(), 'secure-docintel-bench-state-'));
process.on('exit', () => rmSync(BENCH_STATE_HOME, { recursive: true, force: true }));

function setupEnv(emu) {
  return { ...process.env, XDG_STATE_HOME: BENCH_STATE_HOME, AZURE_TENANT_ID: DEMO.tenantId, AZURE_CLIENT_ID: DEMO.owner.clientId, AZURE_CLIENT_SECRET: DEMO.owner.secret, AZURE_AUTHORITY_HOST: emu.url, NO_COLOR: '1' };
}

function parseJson(stdout) {
  const i = stdout.indexOf('{');
  if (i < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(i));
  } catch {
    return undefined;
  }
}

async function runSetup(emu, measure = true) {
  await control(emu, 'DELETE', 'requests');
  const r = await run(process.execPath, setupArgs(emu), { env: setupEnv(emu), measure });
  const out = parseJson(r.stdout);
  const em = await armLog(emu);
  if (r.code !== 0 || !out) log(`setup exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  return { ...r, out, em };
}

const norm = (id) => id.toLowerCase().replace(/\/+$/, '');

/** What the plan changes: the non-no-op changes and the resources they name. */
function planChanges(out) {
  const changes = (out?.steps ?? []).flatMap((s) => s.changes ?? []).filter((c) => c.action !== 'no-op');
  return { changes, resources: new Set(changes.map((c) => norm(c.resourceId))) };
}

/** Every write goes to a resource the plan changes (or below it: a role assignment on the storage account). */
function writesWithinPlan(entries, planned) {
  const writes = entries.filter((e) => e.kind === 'arm' && e.method !== 'GET' && e.method !== 'HEAD');
  const stray = writes.filter((w) => ![...planned].some((p) => norm(w.path) === p || norm(w.path).startsWith(`${p}/`)));
  return { writes: writes.length, stray };
}

/**
 * The critical path: the longest chain of dependent long-running writes in the plan. Make before break
 * (DESIGN.md) fixes the order of the private-endpoint step:
 *   first:    the identity PATCH (one write at a time on an account) beside the subnet's endpoint policies
 *   then, side by side:
 *     account:  subdomain PATCH -> account private endpoint -> its DNS zone group
 *     blob:     storage private endpoint -> its DNS zone group
 *     DNS:      private DNS zone -> VNet link -> zone group
 *   last:     the account's network restriction PATCH, once every branch is done
 * The storage PATCH and the role assignment are not long-running.
 */
function criticalPath(out) {
  const { changes } = planChanges(out);
  const has = (pred) => (changes.some(pred) ? 1 : 0);
  const onAccount = (c) => /Microsoft\.CognitiveServices\/accounts\/[^/]+$/i.test(c.resourceId);
  const identityPatch = has((c) => c.property === 'identity.type');
  const subnet = has((c) => c.property === 'privateEndpointNetworkPolicies');
  const subdomain = has((c) => onAccount(c) && (c.property === 'properties.customSubDomainName' || c.property === 'properties.provisioningState'));
  const restriction = has((c) => onAccount(c) && /^properties\.(networkAcls|publicNetworkAccess)/.test(c.property));
  const pe = (svc) => has((c) => c.property === 'privateEndpoint' && c.resourceId.endsWith(`-${svc}`));
  const group = (svc) => has((c) => c.property === 'privateDnsZoneConfigs' && c.resourceId.includes(`-${svc}/privateDnsZoneGroups`));
  const zone = has((c) => c.property === 'privateDnsZone');
  const link = has((c) => c.property === 'virtualNetworkLink');
  const chains = {
    first: Math.max(identityPatch, subnet),
    account: subdomain + pe('account') + group('account'),
    blob: pe('blob') + group('blob'),
    dns: zone + link + Math.max(group('account'), group('blob')),
    last: restriction,
  };
  const length = chains.first + Math.max(chains.account, chains.blob, chains.dns) + chains.last;
  return { chains, length };
}

/**
 * The resources a converged re-run involves, each with the reads that answered it. They are what the
 * posture consists of: every resource the plan names (changed or not), and those validate judges beyond
 * them — the VNet (whose GET carries the subnet), each private endpoint's network interfaces (its
 * address), the A records in the plan's zones, the account identity's role assignments on the storage
 * account, and the storage account's blob service (CORS). A read answers a resource when its path is the
 * resource's id, or a list that returns it: its own collection, or a subscription-wide list of its type.
 * Reads that answer none of them are listed apart (`unattributed`): each is a read more than the count.
 */
function rerunResources(out, state, entries) {
  const byId = new Map((state?.resources ?? []).map((r) => [norm(r.id), r]));
  const ids = new Set((out?.steps ?? []).flatMap((s) => s.changes ?? []).map((c) => norm(c.resourceId)));
  const planned = [...ids];
  for (const id of planned.filter((i) => /\/virtualnetworks\/[^/]+\/subnets\/[^/]+$/.test(i))) ids.add(id.replace(/\/subnets\/[^/]+$/, ''));
  for (const id of planned.filter((i) => /\/privateendpoints\/[^/]+$/.test(i))) {
    for (const nic of byId.get(id)?.properties?.networkInterfaces ?? []) if (nic.id) ids.add(norm(nic.id));
  }
  const zones = planned.filter((i) => /\/privatednszones\/[^/]+$/.test(i));
  for (const r of state?.resources ?? []) if (zones.some((z) => norm(r.id).startsWith(`${z}/a/`))) ids.add(norm(r.id));
  const storage = planned.find((i) => /\/microsoft\.storage\/storageaccounts\/[^/]+$/.test(i));
  const account = planned.find((i) => /\/microsoft\.cognitiveservices\/accounts\/[^/]+$/.test(i));
  const principal = byId.get(account)?.identity?.principalId;
  for (const r of state?.resources ?? []) {
    if (/roleassignments/i.test(r.type ?? '') && principal && r.properties?.principalId === principal && norm(r.properties?.scope ?? '') === storage) ids.add(norm(r.id));
  }
  if (storage) ids.add(`${storage}/blobservices/default`);

  const reads = entries.filter((e) => e.kind === 'arm' && (e.method === 'GET' || e.method === 'HEAD')).map((e) => norm(e.path));
  const answers = (path, id) => {
    if (path === id) return true;
    if (id.startsWith(`${path}/`) && !id.slice(path.length + 1).includes('/')) return true;
    const wide = /^(\/subscriptions\/[^/]+)\/providers\/([^/]+\/[^/]+)$/.exec(path);
    return !!wide && id.startsWith(`${wide[1]}/resourcegroups/`) && new RegExp(`/providers/${wide[2].replace('.', '\\.')}/[^/]+$`).test(id) && id.split('/').length === 9;
  };
  const resources = [...ids].sort().map((id) => ({ id, reads: reads.filter((p) => answers(p, id)) }));
  for (const r of resources) if (!r.reads.length && /\/subnets\/[^/]+$/.test(r.id) && reads.includes(r.id.replace(/\/subnets\/[^/]+$/, ''))) r.carriedBy = 'its VNet\'s GET';
  const unattributed = reads.filter((p) => !resources.some((r) => answers(p, r.id)));
  return { resources, unattributed, reads: reads.length };
}

// ---------------------------------------------------------------- measurements

/**
 * `--help` against `node -e 0` in alternating pairs (issue 9), the ratio taken pair by pair: a change
 * in the machine's load moves both sides of a pair alike, where two separate medians would each catch
 * it differently. The median of 41 ratios moves by a few hundredths between runs on a loaded machine,
 * where 15 moved it by a tenth; all 41 pairs take a few seconds.
 */
async function measureStartup() {
  log(`start-up: node -e 0 vs secure-docintel --help, ${RUNS.startup} pairs`);
  // warm the file cache and the code cache of both sides before the pairs that count
  for (let i = 0; i < 2; i++) {
    await run(process.execPath, ['-e', '0']);
    await run(process.execPath, [BIN, '--help']);
  }
  const base = [];
  const ours = [];
  const ratios = [];
  for (let i = 0; i < RUNS.startup; i++) {
    const b = (await run(process.execPath, ['-e', '0'])).wallMs;
    const r = await run(process.execPath, [BIN, '--help']);
    if (r.code !== 0) throw new Error(`secure-docintel --help exited ${r.code}: ${r.stderr}`);
    base.push(b);
    ours.push(r.wallMs);
    ratios.push(r.wallMs / b);
  }
  const memBase = [];
  const memOurs = [];
  for (let i = 0; i < RUNS.startupMemory; i++) {
    memBase.push((await run(process.execPath, ['-e', '0'], { measure: true })).maxRssKiB);
    memOurs.push((await run(process.execPath, [BIN, '--help'], { measure: true })).maxRssKiB);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const quartiles = [sorted[Math.floor(sorted.length / 4)], sorted[Math.floor((3 * sorted.length) / 4)]];
  return { pairs: ratios.length, base: median(base), ours: median(ours), ratio: median(ratios), quartiles, memBase: median(memBase), memOurs: median(memOurs) };
}

function startupRows(st, rows, notes) {
  rows.push([`start-up: --help wall (${st.pairs} pairs alternating with node -e 0; median of the pairs' ratios)`, ms(st.ours), `node -e 0: ${ms(st.base)}`, fmtRatio(st.ratio), '≤ 1.3× node -e 0', verdict(st.ratio === undefined ? undefined : st.ratio <= 1.3)]);
  rows.push(['start-up: --help peak memory', mib(st.memOurs), `node -e 0: ${mib(st.memBase)}`, fmtRatio(ratio(st.memOurs, st.memBase)), '', '']);
  notes.push(`start-up: ${st.pairs} pairs, each \`node -e 0\` then \`secure-docintel --help\`; the pairs' ratios have quartiles ${st.quartiles.map(fmtRatio).join(' and ')} (medians of each side: ${ms(st.ours)} and ${ms(st.base)}).`);
}

async function measureSetup() {
  log(`fresh setup and re-run: ${RUNS.fresh} fresh emulators`);
  const fresh = [];
  const rerun = [];
  for (let i = 0; i < RUNS.fresh && timeLeft() > 5 * 60_000; i++) {
    const emu = await startEmulator({ port: 0, host: '127.0.0.1', caFile: join(WORK, `ca-fresh-${i}.pem`) });
    try {
      fresh.push(await runSetup(emu));
      const again = await runSetup(emu);
      // the converged state: which network interfaces, A records and role assignments the re-run's posture has
      again.state = await control(emu, 'GET', 'state');
      rerun.push(again);
    } finally {
      await emu.stop();
    }
  }
  return { fresh, rerun };
}

async function measureLro() {
  log(`long-running delay ${LRO_DELAY_MS} ms: ${RUNS.lro} fresh emulators`);
  const runs = [];
  for (let i = 0; i < RUNS.lro && timeLeft() > 3 * 60_000; i++) {
    const emu = await startEmulator({ port: 0, host: '127.0.0.1', lroDelayMs: LRO_DELAY_MS, caFile: join(WORK, `ca-lro-${i}.pem`) });
    try {
      runs.push(await runSetup(emu));
    } finally {
      await emu.stop();
    }
  }
  return runs;
}

/** The same changes made with the Azure CLI, through the test harness (cloud registration, login, Debian shim). */
async function measureAzureCli() {
  let harness;
  try {
    const { tsImport } = await import('tsx/esm/api');
    harness = await tsImport('../test/support/azure-cli.ts', import.meta.url);
  } catch (e) {
    return { skipped: `cannot load the Azure CLI harness (${e.message})` };
  }
  const az = harness.findAzureCli();
  if (!az) return { skipped: 'az is not installed' };
  log('Azure CLI: the same setup, one command at a time');
  // A wrapper that runs az under /usr/bin/time so each command's CPU time and peak memory are recorded.
  const statFile = join(WORK, 'az-stats');
  let azExe = az;
  if (TIME) {
    azExe = join(WORK, 'az-timed');
    writeFileSync(azExe, `#!/bin/sh\nexec ${TIME} -f '%U %S %M' -a -o '${statFile}' '${az}' "$@"\n`);
    chmodSync(azExe, 0o755);
  }
  const ZONES = { account: 'privatelink.cognitiveservices.azure.com', blob: 'privatelink.blob.core.windows.net' };
  const result = { commands: [], loginMs: 0 };
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', caFile: join(WORK, 'ca-az.pem') });
  const cli = new harness.AzureCli(azExe, emu);
  try {
    let t = Date.now();
    await cli.login(DEMO.tenantId, DEMO.owner.clientId, DEMO.owner.secret);
    result.loginMs = Date.now() - t;
    rmSync(statFile, { force: true });
    await control(emu, 'DELETE', 'requests');
    let principalId = '';
    const steps = [
      ['cognitiveservices', 'account', 'identity', 'assign', '-g', RG, '-n', DEMO.account],
      ['storage', 'account', 'update', '-g', RG, '-n', DEMO.storage, '--default-action', 'Deny', '--bypass', 'AzureServices'],
      () => ['role', 'assignment', 'create', '--assignee-object-id', principalId, '--assignee-principal-type', 'ServicePrincipal', '--role', 'Storage Blob Data Reader', '--scope', STORAGE_ID],
      ['cognitiveservices', 'account', 'update', '-g', RG, '-n', DEMO.account, '--custom-domain', DEMO.account],
      // No cognitiveservices command sets the account's default action: az resource update (GET + PUT) does.
      ['resource', 'update', '--ids', ACCOUNT_ID, '--api-version', '2024-10-01', '--set', 'properties.networkAcls={"defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]}'],
      ...[['account', ACCOUNT_ID, DEMO.account], ['blob', STORAGE_ID, DEMO.storage]].flatMap(([svc, target, name]) => [
        ['network', 'private-endpoint', 'create', '-g', RG, '-n', `pe-${name}-${svc}`, '--vnet-name', DEMO.vnet, '--subnet', DEMO.subnet,
          '--private-connection-resource-id', target, '--group-id', svc, '--connection-name', `pe-${name}-${svc}`, '-l', DEMO.location],
        ['network', 'private-dns', 'zone', 'create', '-g', RG, '-n', ZONES[svc]],
        ['network', 'private-dns', 'link', 'vnet', 'create', '-g', RG, '-z', ZONES[svc], '-n', `${DEMO.vnet}-link`, '-v', DEMO.vnet, '--registration-enabled', 'false'],
        ['network', 'private-endpoint', 'dns-zone-group', 'create', '-g', RG, '--endpoint-name', `pe-${name}-${svc}`, '-n', 'default',
          '--private-dns-zone', ZONES[svc], '--zone-name', ZONES[svc].replace(/\./g, '-')],
      ]),
    ];
    for (const step of steps) {
      const args = typeof step === 'function' ? step() : step;
      t = Date.now();
      const r = await cli.run(args);
      const entry = { name: args.slice(0, args.findIndex((a) => a.startsWith('-'))).join(' '), wallMs: Date.now() - t, exitCode: r.exitCode };
      if (r.exitCode !== 0) entry.error = r.stderr.trim().split('\n').slice(0, 2).join(' ');
      if (args[1] === 'account' && args[2] === 'identity') principalId = r.json?.principalId ?? '';
      result.commands.push(entry);
    }
    const em = await armLog(emu);
    Object.assign(result, { reads: em.reads, writes: em.writes, polls: em.polls });
    if (TIME && existsSync(statFile)) {
      const stats = readFileSync(statFile, 'utf8').trim().split('\n').filter((l) => /^[\d.]+ [\d.]+ \d+$/.test(l)).map((l) => l.split(' ').map(Number));
      result.cpuMs = stats.reduce((s, [u, y]) => s + (u + y) * 1000, 0);
      result.maxRssKiB = Math.max(...stats.map(([, , m]) => m));
    }
  } finally {
    cli.dispose();
    await emu.stop();
  }
  return result;
}

/**
 * audit over a generated estate: wall (median of RUNS.audit), ARM requests from the emulator's log, and
 * the pages they should be — one subscriptions list, then per query ceil(rows / 1,000) — so requests
 * that grew with accounts would show as more requests than pages.
 */
async function measureAudit() {
  const results = [];
  for (const accounts of AUDIT_ESTATES) {
    log(`audit: ${accounts} accounts in ${AUDIT_SUBSCRIPTIONS} subscriptions, ${RUNS.audit} runs`);
    const e = estate({ seed: 1, subscriptions: AUDIT_SUBSCRIPTIONS, accounts });
    const emu = await startEmulator({ port: 0, host: '127.0.0.1', scenario: e.scenario, caFile: join(WORK, `ca-audit-${accounts}.pem`) });
    try {
      const runs = [];
      for (let i = 0; i < RUNS.audit && timeLeft() > 60_000; i++) {
        await control(emu, 'DELETE', 'requests');
        const r = await run(process.execPath, [BIN, 'audit', '--output', 'json', '--arm-endpoint', emu.url, '--ca-cert', emu.caFile], { env: setupEnv(emu), measure: true });
        const out = parseJson(r.stdout);
        const em = await armLog(emu);
        const queries = em.entries.filter((x) => x.kind === 'arm' && x.method === 'POST' && /ResourceGraph\/resources$/i.test(x.path)).length;
        if (r.code !== 1 || !out) log(`audit exited ${r.code}:\n${r.stderr.slice(-2000)}`);
        runs.push({ ...r, out, requests: em.entries.filter((x) => x.kind === 'arm').length, queries });
      }
      const state = await control(emu, 'GET', 'state');
      const count = (type) => state.resources.filter((x) => String(x.type).toLowerCase() === type).length;
      const assignments = state.resources.filter((x) => /roleAssignments$/i.test(String(x.type)) && x.properties?.principalType === 'ServicePrincipal').length;
      const rows = [count('microsoft.cognitiveservices/accounts') - AUDIT_SUBSCRIPTIONS, count('microsoft.storage/storageaccounts'), count('microsoft.network/privateendpoints'), assignments];
      const pages = 1 + rows.reduce((sum, n) => sum + Math.max(1, Math.ceil(n / GRAPH_PAGE)), 0);
      const ok = runs.filter((r) => r.out);
      const truthFailed = e.accounts.filter((a) => a.failing.length).length;
      results.push({
        accounts,
        wall: median(runs.map((r) => r.wallMs)),
        cpu: median(runs.map((r) => r.cpuMs)),
        rss: median(runs.map((r) => r.maxRssKiB)),
        requests: median(runs.map((r) => r.requests)),
        queries: median(runs.map((r) => r.queries)),
        pages,
        found: ok.length ? ok[0].out.summary.failed : undefined,
        truthFailed,
        runs: runs.length,
      });
    } finally {
      await emu.stop();
    }
  }
  return results;
}

function auditRows(rows, notes, results) {
  for (const a of results) {
    rows.push([`audit ${a.accounts} accounts / ${AUDIT_SUBSCRIPTIONS} subscriptions: wall (median of ${a.runs})`, ms(a.wall), `CPU ${ms(a.cpu)}, peak ${mib(a.rss)}`, '', '', '']);
    rows.push([
      `audit ${a.accounts} accounts: ARM requests (emulator log)`,
      `${a.requests} (${a.queries} Resource Graph queries)`,
      `${a.pages} pages (1 subscriptions list + ceil(rows / ${GRAPH_PAGE}) per query)`,
      fmtRatio(ratio(a.requests, a.pages)),
      'requests = pages',
      verdict(a.requests === undefined ? undefined : a.requests === a.pages),
    ]);
    rows.push([`audit ${a.accounts} accounts: failing accounts found`, String(a.found ?? 'n/a'), `generator broke ${a.truthFailed}`, '', 'equal', verdict(a.found === undefined ? undefined : a.found === a.truthFailed)]);
  }
  if (results.length === 2) {
    const [small, big] = results;
    rows.push([
      `audit: requests ${big.accounts} vs ${small.accounts} accounts`,
      `${big.requests} vs ${small.requests}`,
      `accounts ×${big.accounts / small.accounts}`,
      fmtRatio(ratio(big.requests, small.requests)),
      'grows with pages, not accounts',
      verdict(big.requests === undefined || small.requests === undefined ? undefined : big.requests === big.pages && small.requests === small.pages),
    ]);
    notes.push(`audit: the queries are accounts, storage accounts, private endpoints and service-principal role assignments (role definitions only for roles other than the built-in blob roles), each paged ${GRAPH_PAGE} rows at a time.`);
  }
}

// ---------------------------------------------------------------- report

const ms = (x) => (x === undefined ? 'not measured' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const mib = (kib) => (kib === undefined ? 'not measured' : `${(kib / 1024).toFixed(1)} MiB`);
const ratio = (a, b) => (a === undefined || b === undefined || !b ? undefined : a / b);
const fmtRatio = (r) => (r === undefined ? 'n/a' : `${r.toFixed(r < 0.1 ? 3 : 2)}×`);
const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');

/**
 * `setup --inventory` of the fleet vs the same accounts set up by one `setup` after another, each on
 * a fresh emulator with the same fleet, the same long-running delay and the same write budget: ARM's
 * throttling at Azure's published limits (writes 200, refill 10/s per subscription).
 */
async function measureInventory() {
  const { tsImport } = await import('tsx/esm/api');
  const { fleetScenario, inventoryCsv } = await tsImport('../test/support/fleet-scenario.ts', import.meta.url);
  const fleet = fleetScenario(FLEET);
  const start = (name) => startEmulator({ port: 0, host: '127.0.0.1', scenario: fleet.scenario, throttling: 'azure', lroDelayMs: INVENTORY_LRO_DELAY_MS, caFile: join(WORK, `ca-${name}.pem`) });
  const connection = (emu) => ['--arm-endpoint', emu.url, '--ca-cert', emu.caFile, '--non-interactive', '--yes', '--output', 'json'];

  log(`inventory: ${fleet.accounts.length} sequential setup runs`);
  const seq = { codes: [], wallMs: 0 };
  const emuSeq = await start('sequential');
  try {
    const t0 = process.hrtime.bigint();
    for (const a of fleet.accounts) {
      // a loaded machine may not fit fifty runs in the bench's budget: then the rest are extrapolated, and said so
      if (timeLeft() < 90_000) break;
      const vnet = a.subnet.replace(/\/subnets\/[^/]+$/, '');
      const r = await run(process.execPath, [BIN, 'setup', '--subscription', a.subscriptionId, '--resource-group', a.resourceGroup, '--docintel', a.name, '--storage', a.storage, '--vnet', vnet, '--subnet', DEMO.subnet, ...connection(emuSeq)], { env: setupEnv(emuSeq) });
      seq.codes.push(r.code);
      if (r.code !== 0) log(`sequential setup of ${a.name} exited ${r.code}: ${r.stderr.slice(-500)}`);
    }
    seq.wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    seq.em = await armLog(emuSeq);
  } finally {
    await emuSeq.stop();
  }

  log(`inventory: setup --inventory of ${fleet.accounts.length} accounts`);
  const emuInv = await start('inventory');
  let inv;
  try {
    const file = join(WORK, 'fleet.csv');
    writeFileSync(file, inventoryCsv(fleet.accounts));
    inv = await run(process.execPath, [BIN, 'setup', '--inventory', file, ...connection(emuInv)], { env: setupEnv(emuInv), measure: true, timeoutMs: 600_000 });
    inv.out = parseJson(inv.stdout);
    inv.em = await armLog(emuInv);
    if (inv.code !== 0) log(`setup --inventory exited ${inv.code}: ${inv.stderr.slice(-2000)}`);
  } finally {
    await emuInv.stop();
  }
  return { fleet, seq, inv };
}

function inventoryRows(m, rows, notes) {
  const n = m.fleet.accounts.length;
  const ran = m.seq.codes.length;
  const seqOk = m.seq.codes.filter((c) => c === 0).length;
  const invOk = m.inv.code === 0 && m.inv.out?.summary?.converged === n;
  const seqWall = ran && ran < n ? (m.seq.wallMs / ran) * n : m.seq.wallMs;
  const r = ratio(m.inv.wallMs, seqWall);
  rows.push([
    `setup --inventory of ${n} accounts / ${FLEET.subscriptions} subscriptions vs ${n} sequential setup runs (wall; LRO ${INVENTORY_LRO_DELAY_MS} ms, throttled at Azure's limits)`,
    ms(m.inv.wallMs),
    ran < n ? `sequential: ${ms(seqWall)} extrapolated from ${ran} runs (time budget; ${seqOk} succeeded)` : `sequential: ${ms(m.seq.wallMs)} (${seqOk}/${n} succeeded)`,
    fmtRatio(r),
    '≤ 0.2× sequential',
    !invOk || seqOk < ran ? 'NOT met (runs failed)' : verdict(r === undefined ? undefined : r <= 0.2),
  ]);
  rows.push([
    'setup --inventory: ARM writes / reads / 429s (emulator log)',
    `${m.inv.em.writes} / ${m.inv.em.reads} / ${m.inv.em.throttled}`,
    `sequential: ${m.seq.em.writes} / ${m.seq.em.reads} / ${m.seq.em.throttled}`,
    '',
    'same writes',
    ran < n ? 'not comparable (sequential runs cut short)' : verdict(m.inv.em.writes === m.seq.em.writes),
  ]);
  rows.push(['setup --inventory: CPU / peak memory', `${ms(m.inv.cpuMs)} / ${mib(m.inv.maxRssKiB)}`, '', '', '', '']);
  notes.push(`Inventory: ${n} accounts, ${FLEET.accountsPerSubscription} per subscription, 4 at once per subscription (the default), every long-running operation ${INVENTORY_LRO_DELAY_MS} ms; both emulators throttle at Azure's limits (reads 250 + 25/s, writes 200 + 10/s per subscription and principal).`);
}

/** The re-run rows: its wall beside the fresh setup's, its writes, and its reads per resource (rerunResources). */
function rerunRows(rows, notes, rerun, freshWall) {
  const rok = rerun.filter((r) => r.code === 0 && r.out);
  const rr = {
    wall: median(rerun.map((r) => r.wallMs)),
    reads: median(rerun.map((r) => r.em.reads)),
    writes: median(rerun.map((r) => r.em.writes)),
    cliReads: median(rok.map((r) => r.out.armRequests?.reads)),
  };
  // The resources involved, counted as rerunResources says, and printed so the figure can be checked.
  const counted = rok.length ? rerunResources(rok[0].out, rok[0].state, rok[0].em.entries) : undefined;
  const involved = counted?.resources.length;
  if (counted) {
    const short = (id) => id.replace(/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\//, '');
    notes.push(
      `Re-run: ${counted.reads} reads for ${involved} resources (the plan's, the VNet, each endpoint's NICs, the A records in its zones, the identity's role assignments on storage, the blob service):\n` +
        counted.resources.map((r) => `    ${short(r.id)}: ${r.reads.length ? `${r.reads.length} read(s)${r.reads.some((p) => p !== r.id) ? ' (a list)' : ''}` : r.carriedBy ? `in ${r.carriedBy}` : 'not read'}`).join('\n') +
        (counted.unattributed.length ? `\n    reads answering none of them: ${counted.unattributed.map(short).join(', ')}` : ''),
    );
  }
  const perResource = involved ? rr.reads / involved : undefined;
  rows.push([`re-run (converged): wall (median of ${rerun.length})`, ms(rr.wall), `fresh: ${ms(freshWall)}`, fmtRatio(ratio(rr.wall, freshWall)), '', '']);
  rows.push(['re-run: ARM writes', String(rr.writes), '', '', '0', verdict(rr.writes === undefined ? undefined : rr.writes === 0 && rok.length === rerun.length)]);
  rows.push(['re-run: ARM reads per resource involved', `${rr.reads} reads (CLI counted ${rr.cliReads})`, `${involved ?? '?'} resources`, perResource === undefined ? 'n/a' : perResource.toFixed(2), '≤ 1 read per resource', verdict(perResource === undefined ? undefined : perResource <= 1)]);
  if (rok.length) {
    const byPath = new Map();
    for (const e of rok[0].em.entries.filter((x) => x.kind === 'arm' && x.method === 'GET')) byPath.set(e.path, (byPath.get(e.path) ?? 0) + 1);
    const repeated = [...byPath].filter(([, n]) => n > 1);
    if (repeated.length) notes.push(`Re-run reads the same path more than once: ${repeated.map(([p, n]) => `${p} ×${n}`).join(', ')}`);
  }

}

function table(rows) {
  const head = ['measure', 'secure-docintel', 'reference', 'ratio', 'target', 'verdict'];
  const all = [head, ...rows.map((r) => head.map((_, i) => String(r[i] ?? '')))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...all.slice(1).map(line)].join('\n');
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `node scripts/build.mjs` first (npm run bench does).');
  const rows = [];
  const notes = [];
  if (ONLY.length) {
    const known = ['startup', 'rerun', 'audit', 'inventory'];
    if (ONLY.some((o) => !known.includes(o))) throw new Error(`unknown bench section(s) ${ONLY.join(', ')}: the selectable ones are ${known.join(', ')}`);
    if (ONLY.includes('rerun')) {
      const { fresh, rerun } = await measureSetup();
      rerunRows(rows, notes, rerun, median(fresh.map((r) => r.wallMs)));
    }
    if (ONLY.includes('startup')) startupRows(await measureStartup(), rows, notes);
    if (ONLY.includes('audit')) auditRows(rows, notes, await measureAudit());
    if (ONLY.includes('inventory')) inventoryRows(await measureInventory(), rows, notes);
    process.stdout.write(`\nsecure-docintel benchmark (${ONLY.join(', ')} only) — node ${process.version}; ${Math.round((Date.now() - STARTED) / 1000)} s\n\n${table(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
    return;
  }

  startupRows(await measureStartup(), rows, notes);

  const { fresh, rerun } = await measureSetup();
  const ok = fresh.filter((r) => r.code === 0 && r.out);
  const f = {
    wall: median(fresh.map((r) => r.wallMs)),
    cpu: median(fresh.map((r) => r.cpuMs)),
    rss: median(fresh.map((r) => r.maxRssKiB)),
    reads: median(fresh.map((r) => r.em.reads)),
    writes: median(fresh.map((r) => r.em.writes)),
    polls: median(fresh.map((r) => r.em.polls)),
    cliReads: median(ok.map((r) => r.out.armRequests?.reads)),
    cliWrites: median(ok.map((r) => r.out.armRequests?.writes)),
  };
  const plan = ok.length ? planChanges(ok[0].out) : undefined;
  const within = ok.length ? writesWithinPlan(ok[0].em.entries, plan.resources) : undefined;
  const writesOk = within ? within.stray.length === 0 && within.writes <= plan.changes.length && ok.length === fresh.length : undefined;
  rows.push([`fresh setup: wall (median of ${fresh.length}; ${ok.length} succeeded)`, ms(f.wall), '', '', '', '']);
  rows.push(['fresh setup: CPU time (user+sys)', ms(f.cpu), '', '', '', '']);
  rows.push(['fresh setup: peak memory (maxRSS)', mib(f.rss), '', '', '≤ 90 MiB', verdict(f.rss === undefined ? undefined : f.rss <= 90 * 1024)]);
  rows.push(['fresh setup: ARM reads / writes (emulator log)', `${f.reads} / ${f.writes} (+${f.polls} LRO polls)`, `CLI counted: ${f.cliReads} / ${f.cliWrites} (reads incl. polls)`, '', '', '']);
  rows.push([
    'fresh setup: writes vs changes in its plan',
    within ? `${within.writes} writes` : 'n/a',
    plan ? `${plan.changes.length} changes on ${plan.resources.size} resources` : '',
    '',
    'writes = plan, nothing more',
    verdict(writesOk),
  ]);
  if (within?.stray.length) notes.push(`Writes outside the plan: ${within.stray.map((w) => `${w.method} ${w.path}`).join(', ')}`);
  if (plan && within && within.writes < plan.changes.length) {
    notes.push(`Fresh setup: ${plan.changes.length} planned changes land in ${within.writes} writes (several changes to one resource share one PATCH); every write targets a planned resource.`);
  }

  rerunRows(rows, notes, rerun, f.wall);

  const azr = await measureAzureCli();
  if (azr.skipped) {
    rows.push(['Azure CLI: same setup', 'skipped', azr.skipped, '', '≤ 0.1', 'not measured']);
  } else {
    const total = azr.commands.reduce((s, c) => s + c.wallMs, 0);
    const failed = azr.commands.filter((c) => c.exitCode !== 0);
    const r = ratio(f.wall, total);
    rows.push([`Azure CLI: same setup, ${azr.commands.length} commands (wall, sum)`, ms(f.wall), `az: ${ms(total)}${failed.length ? ` (${failed.length} failed)` : ''}`, fmtRatio(r), '≤ 0.1 (ours / az)', verdict(r === undefined ? undefined : r <= 0.1 && !failed.length)]);
    rows.push(['Azure CLI: CPU time (sum) / peak memory (max)', `${ms(f.cpu)} / ${mib(f.rss)}`, `az: ${ms(azr.cpuMs)} / ${mib(azr.maxRssKiB)}`, fmtRatio(ratio(f.cpu, azr.cpuMs)), '', '']);
    rows.push(['Azure CLI: ARM reads / writes', `${f.reads} / ${f.writes}`, `az: ${azr.reads} / ${azr.writes} (+${azr.polls} polls)`, '', '', '']);
    notes.push(`Azure CLI login (cloud register, cloud set, login; not in the total): ${ms(azr.loginMs)}.`);
    notes.push(`Azure CLI commands: ${azr.commands.map((c) => `${c.name} ${ms(c.wallMs)}${c.exitCode ? ` [exit ${c.exitCode}: ${c.error}]` : ''}`).join('; ')}.`);
  }

  const lro = await measureLro();
  const lok = lro.filter((r) => r.code === 0 && r.out);
  // The plan with the delay is the fresh plan: derive the chain from a successful fresh run.
  const cp = ok.length ? criticalPath(ok[0].out) : lok.length ? criticalPath(lok[0].out) : undefined;
  const lroWall = median(lro.map((r) => r.wallMs));
  const cpMs = cp ? cp.length * LRO_DELAY_MS : undefined;
  const lroRatio = ratio(lroWall, cpMs);
  rows.push([
    `LRO delay ${LRO_DELAY_MS} ms: wall (median of ${lro.length}; ${lok.length} succeeded)`,
    ms(lroWall),
    cp ? `critical path ${cp.length} × ${LRO_DELAY_MS} ms = ${ms(cpMs)}` : 'n/a',
    fmtRatio(lroRatio),
    '≤ 1.15× critical path',
    lok.length < lro.length ? 'NOT met (runs failed)' : verdict(lroRatio === undefined ? undefined : lroRatio <= 1.15),
  ]);
  rows.push(['LRO delay: CPU / peak memory / polls', `${ms(median(lro.map((r) => r.cpuMs)))} / ${mib(median(lro.map((r) => r.maxRssKiB)))} / ${median(lro.map((r) => r.em.polls))}`, '', '', '', '']);
  if (cp) {
    notes.push(
      `Critical path = longest chain of dependent long-running writes in the plan, in make-before-break order: identity PATCH beside the subnet's policies (${cp.chains.first}); ` +
        `then the longest of subdomain PATCH → account private endpoint → its zone group (${cp.chains.account}), storage private endpoint → its zone group (${cp.chains.blob}), ` +
        `private DNS zone → VNet link → zone group (${cp.chains.dns}); then the account's network restriction (${cp.chains.last}). ` +
        'The storage PATCH and the role assignment are not long-running.',
    );
  }
  if (timeLeft() > 2 * 60_000) auditRows(rows, notes, await measureAudit());
  else notes.push('audit rows skipped: the bench ran out of its time budget');
  if (timeLeft() > 4 * 60_000) inventoryRows(await measureInventory(), rows, notes);
  else rows.push(['setup --inventory vs sequential setup runs', 'skipped', 'time budget spent (run `node bench/run.mjs inventory`)', '', '≤ 0.2× sequential', 'not measured']);
  for (const r of [...fresh, ...rerun, ...lro].filter((x) => x.code !== 0)) notes.push(`A setup run exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);

  const measured = TIME ? 'CPU and memory from /usr/bin/time' : 'CPU and memory of node children from process.resourceUsage() (no /usr/bin/time; az not measured)';
  process.stdout.write(`\nsecure-docintel benchmark — node ${process.version}, ${measured}; ${Math.round((Date.now() - STARTED) / 1000)} s\n\n${table(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}

try {
  await main();
} finally {
  rmSync(WORK, { recursive: true, force: true });
}
// Nothing should keep the process alive; make sure of it.
process.exit(process.exitCode ?? 0);
