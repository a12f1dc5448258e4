/**
 * `audit` (read-only): every Document Intelligence / Azure AI services account of the subscriptions
 * (or management group) through Azure Resource Graph — a handful of paged queries whatever the number
 * of accounts — judged by validate's checks; with `--deep`, validate's own ARM reads per account
 * (RBAC as ARM reports it, private DNS zones, links and records, the subnet's policies), a few accounts
 * at a time. Exit 0 when every account passes, 1 when any fails.
 */
import { Slots } from '../core/slots.js';
import type { Runtime } from '../steps/context.js';
import { arm } from '../steps/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { GUID, rgOf, subscriptionOf } from '../core/resource-id.js';
import { pickSubscription, type SubscriptionEntry } from '../azure/subscription-by-name.js';
import { CallerAccess } from '../azure/caller-access.js';
import { RAW } from '../io/terminal.js';
import type { AccountPosture } from '../posture/model.js';
import { QUERIES, pageSize, queryAll, type GraphRow, type Scope } from './graph.js';
import { EstateIndex, endpointSubnet } from './estate-posture.js';
import { auditChecks } from './account-checks.js';
import { renderCsv, renderText, type AuditDocument, type AuditedAccount } from './render.js';

export interface AuditFlags {
  subscriptions: string[];
  managementGroup?: string;
  deep: boolean;
  concurrency: number;
}

export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

/** audit's own flags, checked before signing in. */
export function auditFlags(raw: Record<string, unknown>): AuditFlags {
  const given = ([] as unknown[]).concat(raw.subscription ?? []).map(String);
  const subscriptions = given.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const managementGroup = raw.managementGroup === undefined ? undefined : String(raw.managementGroup).trim();
  const problems: string[] = [];
  if (managementGroup !== undefined && !/^[\w().-]{1,90}$/.test(managementGroup)) problems.push(`--management-group '${managementGroup}' is not a management group id (letters, digits, - _ ( ) ., at most 90).`);
  if (managementGroup !== undefined && subscriptions.length) problems.push('--management-group conflicts with --subscription: audit one management group, or a list of subscriptions.');
  const concurrency = raw.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) problems.push(`--concurrency '${raw.concurrency}' is not a whole number from 1 to ${MAX_CONCURRENCY}.`);
  if (raw.concurrency !== undefined && !raw.deep) problems.push('--concurrency only applies to --deep (the per-account reads); Resource Graph queries need no concurrency.');
  if (problems.length) throw new UsageError(problems.join('\n'), 'Fix the flags above and run again; audit reads only.');
  return { subscriptions, managementGroup, deep: !!raw.deep, concurrency };
}

async function visibleSubscriptions(rt: Runtime): Promise<SubscriptionEntry[]> {
  const client = await rt.session.subscriptions();
  const subs: SubscriptionEntry[] = [];
  await arm('listing subscriptions', async () => {
    for await (const s of client.subscriptions.list()) if (s.subscriptionId && (s.state ?? 'Enabled') === 'Enabled') subs.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? '' });
  });
  return subs;
}

/** The subscriptions named (ids as given, names looked up once), or every enabled one the caller sees. */
async function scopeOf(rt: Runtime, flags: AuditFlags): Promise<Scope> {
  if (flags.managementGroup) return { managementGroup: flags.managementGroup };
  if (flags.subscriptions.length && flags.subscriptions.every((s) => GUID.test(s))) return { subscriptions: [...new Set(flags.subscriptions.map((s) => s.toLowerCase()))] };
  const visible = await visibleSubscriptions(rt);
  if (!flags.subscriptions.length) {
    if (!visible.length) throw new UsageError('The signed-in identity can see no enabled subscription, so there is nothing to audit.', 'Sign in to the right tenant, or pass --subscription / --management-group.');
    return { subscriptions: visible.map((s) => s.subscriptionId) };
  }
  const ids = flags.subscriptions.map((s) => (GUID.test(s) ? s : pickSubscription(s, visible)));
  return { subscriptions: [...new Set(ids.map((s) => s.toLowerCase()))] };
}

async function readEstate(rt: Runtime, scope: Scope): Promise<EstateIndex> {
  const top = pageSize(rt.env);
  const [accounts, storage, privateEndpoints, roleAssignments] = await Promise.all([
    queryAll(rt.session, QUERIES.accounts, scope, top),
    queryAll(rt.session, QUERIES.storage, scope, top),
    queryAll(rt.session, QUERIES.privateEndpoints, scope, top),
    queryAll(rt.session, QUERIES.roleAssignments, scope, top),
  ]);
  const principals = new Set(accounts.map((a) => String(a.identity?.principalId ?? '').toLowerCase()).filter(Boolean));
  const unknown = EstateIndex.unknownRoles(roleAssignments, principals);
  const roleDefinitions = new Map<string, GraphRow>();
  if (unknown.length) for (const d of await queryAll(rt.session, QUERIES.roleDefinitions(unknown), scope, top)) roleDefinitions.set(String(d.name).toLowerCase(), d);
  return new EstateIndex({ accounts, storage, privateEndpoints, roleAssignments, roleDefinitions });
}

/**
 * validate itself for one account whose storage and endpoint subnet audit found: the posture reader
 * reads its targets through ARM (the account, the storage, the VNet with its subnets: each once) and
 * everything validate judges beyond them.
 */
async function deepChecks(rt: Runtime, access: CallerAccess, p: AccountPosture) {
  if (!p.storage || !p.vnet || !p.subnet) return undefined;
  const { readPosture } = await import('../posture/read.js');
  const { postureChecks } = await import('../validate/index.js');
  const targets = { account: p.account, storage: p.storage, vnet: p.vnet, subnet: p.subnet };
  return postureChecks(rt.settings, await readPosture({ settings: rt.settings, session: rt.session, access, targets }, true));
}

/** Runs `work` over `items`, at most `limit` at a time, results in the items' order. */
export async function runAudit(rt: Runtime, flags: AuditFlags): Promise<number> {
  const scope = await scopeOf(rt, flags);
  const where = 'managementGroup' in scope ? `management group ${scope.managementGroup}` : `${scope.subscriptions.length} subscription(s)`;
  rt.host.info(`Auditing ${where} through Azure Resource Graph${flags.deep ? `, then each account's deeper checks through ARM (${flags.concurrency} at a time)` : ''}.`);
  const index = await readEstate(rt, scope);
  const postures = index.rows.accounts.map((row) => index.posture(row, rt.settings.cloud));
  const access = new CallerAccess(rt.session);
  const slots = new Slots(flags.concurrency);
  const checks = flags.deep
    ? await Promise.all(postures.map((p) => slots.run(async () => (await deepChecks(rt, access, p)) ?? auditChecks(rt.settings, p, true))))
    : postures.map((p) => auditChecks(rt.settings, p));
  const accounts: AuditedAccount[] = postures.map((p, i) => ({
    id: p.account.id,
    name: p.account.name,
    subscriptionId: subscriptionOf(p.account.id),
    resourceGroup: rgOf(p.account.id),
    kind: p.account.kind ?? '',
    location: p.account.location ?? '',
    storage: p.storage?.id ?? null,
    subnet: endpointSubnet(p),
    ok: !checks[i].some((c) => c.status === 'fail'),
    checks: checks[i],
  }));
  const subscriptions = 'subscriptions' in scope ? scope.subscriptions.length : new Set(accounts.map((a) => a.subscriptionId.toLowerCase())).size;
  const failed = accounts.filter((a) => !a.ok).length;
  const doc: AuditDocument = {
    ok: failed === 0,
    accounts,
    summary: { accounts: accounts.length, failed, subscriptions },
    armRequests: { ...rt.session.counts },
  };
  const output = rt.settings.output as string;
  if (output === 'json') rt.host.result(JSON.stringify(doc, null, 2));
  else if (output === 'csv') rt.host.result(renderCsv(doc));
  else rt.host.result(renderText(doc, rt.host.textStyle?.('out') ?? RAW));
  return doc.ok ? EXIT.ok : EXIT.failed;
}

