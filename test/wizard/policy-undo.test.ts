/**
 * `policy` is journaled like every change command, and `undo` of a policy run removes what it made,
 * in the order Azure lets it go — remediation tasks, the identity's role assignments, the assignment
 * (its identity with it), the set definition — reporting what a remediation changed as staying; a
 * second undo writes nothing; an assignment changed by hand since the run is refused without --force.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyClient } from '@azure/arm-policy';
import { PolicyInsightsClient } from '@azure/arm-policyinsights';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';
import { runCli, IDS, STATE_HOME } from '../support/cli.js';
import { SECRET_PATTERNS } from '../reliability/support.js';

const SUB = `/subscriptions/${DEMO.subscriptionId}`;
const ASSIGNMENT = `${SUB}/providers/Microsoft.Authorization/policyAssignments/secure-docintel`;
const INITIATIVE = `${SUB}/providers/Microsoft.Authorization/policySetDefinitions/secure-docintel-posture`;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

/** Each test records its runs in a state directory of its own, so `--last` sees only them. */
function stateHome(): NodeJS.ProcessEnv {
  return { SECURE_DOCINTEL_RETRY_DELAY_MS: '10', SECURE_DOCINTEL_REMEDIATION_WAIT_SECONDS: '5', XDG_STATE_HOME: mkdtempSync(join(STATE_HOME, 'policy-undo-')) };
}

async function fresh(): Promise<void> {
  await emu.control('POST', 'reset');
  await emu.clearLog();
}

async function policy(env: NodeJS.ProcessEnv): Promise<{ id: string; path: string; journal: any; principalId: string }> {
  const r = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId, yes: true, disablePublicAccess: true, location: 'eastus', output: 'json' }, { env });
  expect(r.code, r.err).toBe(0);
  const { id, path } = r.json().journal;
  const principalId = byId(await state(), ASSIGNMENT).identity.principalId;
  return { id, path, journal: JSON.parse(readFileSync(path, 'utf8')), principalId };
}

const undo = (env: NodeJS.ProcessEnv, options: Record<string, unknown>) => runCli(emu, 'undo', { yes: true, output: 'json', ...options }, { env });

async function state(): Promise<{ resources: any[]; principals: any[] }> {
  return emu.control('GET', 'state');
}
const byId = (s: { resources: any[] }, id: string) => s.resources.find((r) => r.id.toLowerCase() === id.toLowerCase());

/** ARM writes in the request log (Policy Insights' query POSTs only read). */
async function writes(): Promise<string[]> {
  return (await emu.armRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !/\/(queryResults|summarize|listDeployments)$/i.test(r.path)).map((r) => `${r.method} ${r.path}`);
}

/** A policy run on the reset demo, in a state directory of its own: what each test of the story below starts from. */
async function policyRun(): Promise<{ env: NodeJS.ProcessEnv; run: Awaited<ReturnType<typeof policy>> }> {
  const env = stateHome();
  await fresh();
  return { env, run: await policy(env) };
}

/** A policy run and its first undo (`--last`), the log cleared just before the undo so it holds the undo's requests alone. */
async function policyThenUndo(): Promise<{ env: NodeJS.ProcessEnv; run: Awaited<ReturnType<typeof policy>>; u: Awaited<ReturnType<typeof undo>> }> {
  const { env, run } = await policyRun();
  await emu.clearLog();
  const u = await undo(env, { last: true });
  expect(u.code, u.err).toBe(0);
  return { env, run, u };
}

describe('policy, then undo', () => {
  it('journals the policy run: the set definition, assignment, role assignment and remediation, each absent before, owner-only and without secrets', async () => {
    const { env, run } = await policyRun();
    const types = run.journal.resources.map((r: any) => r.type).sort();
    expect(types).toEqual(['Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/policySetDefinitions', 'Microsoft.Authorization/roleAssignments', 'Microsoft.PolicyInsights/remediations']);
    expect(run.journal.resources.every((r: any) => r.before.exists === false && r.after?.exists === true)).toBe(true);
    expect(run.journal.command).toBe('policy');
    expect((await state()).principals.some((p: any) => p.objectId.toLowerCase() === run.principalId.toLowerCase())).toBe(true);
    expect(run.journal.targets).toEqual([SUB]);
    // the queries that only read are not writes
    expect(run.journal.writes.map((w: any) => w.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT']);
    expect(statSync(run.path).mode & 0o777).toBe(0o600);
    const text = readFileSync(run.path, 'utf8');
    for (const [what, re] of SECRET_PATTERNS) expect(re.test(text), `the journal contains ${what}`).toBe(false);

    const listed = await runCli(emu, 'runs', { output: 'json' }, { env });
    expect(listed.json().runs.map((r: any) => [r.id, r.command, r.writes])).toEqual([[run.id, 'policy', 4]]);
  });

  it('undo removes the remediation, the role assignment, the assignment and its identity, then the set definition, and says the remediated account stays', async () => {
    const { run, u } = await policyThenUndo();
    const doc = u.json();
    expect(doc.undo.run).toBe(run.id);
    expect(doc.undo.refused).toEqual([]);
    expect(doc.steps.map((s: any) => `${s.id}:${s.status}`)).toEqual(['undo-policy-remediations:applied', 'undo-role-assignment:applied', 'undo-policy-assignment:applied', 'undo-policy-initiative:applied']);
    // in that order on the wire
    expect((await writes()).map((w) => w.split('/providers/').pop()!.split('/').slice(0, 2).join('/'))).toEqual([
      'Microsoft.PolicyInsights/remediations', 'Microsoft.Authorization/roleAssignments', 'Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/policySetDefinitions',
    ]);
    // what the Modify remediation changed on the account stays, and the plan says so
    expect(doc.undo.permanent).toEqual([expect.objectContaining({ resourceId: IDS.account, property: 'Modify: publicNetworkAccess' })]);
    expect(u.err).toMatch(/Modify: publicNetworkAccess of .*accounts\/docintel-demo stays 'as remediation secure-docintel-cognitive-disable-public-access-\w+ left it.*does not reverse/);
    expect(doc.undo.notes.join('\n')).toMatch(/Deleting a remediation task does not reverse what it changed/);

    const s = await state();
    for (const r of run.journal.resources) expect(byId(s, r.id), r.id).toBeUndefined();
    expect(s.resources.filter((x) => x.type === 'Microsoft.PolicyInsights/remediations')).toEqual([]);
    expect(s.resources.filter((x) => x.type === 'Microsoft.Authorization/roleAssignments' && x.properties.principalId === run.principalId)).toEqual([]);
    expect(s.principals.some((p: any) => p.objectId.toLowerCase() === run.principalId.toLowerCase())).toBe(false);
    expect(byId(s, IDS.account).properties.publicNetworkAccess).toBe('Disabled');

    // compliance no longer reports the assignment
    const insights = new PolicyInsightsClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const states: string[] = [];
    for await (const st of insights.policyStates.listQueryResultsForSubscription('latest', DEMO.subscriptionId)) states.push(String(st.policyAssignmentId).toLowerCase());
    expect(states).not.toContain(ASSIGNMENT.toLowerCase());
    const policies = new PolicyClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const assignments: string[] = [];
    for await (const a of policies.policyAssignments.list()) assignments.push(String(a.id).toLowerCase());
    expect(assignments).not.toContain(ASSIGNMENT.toLowerCase());
  });

  it('a second undo makes 0 writes', async () => {
    const { env, run } = await policyThenUndo();
    await emu.clearLog();
    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(0);
    expect(u.json().armRequests.writes).toBe(0);
    expect(u.json().steps.every((s: any) => s.status === 'unchanged')).toBe(true);
    expect(await writes()).toEqual([]);
  });

  it('--dry-run plans the deletions and writes nothing', async () => {
    const { env: dry, run: r } = await policyRun();
    await emu.clearLog();
    const u = await undo(dry, { run: r.id, dryRun: true, detailedExitcode: true });
    expect(u.code, u.err).toBe(4);
    expect(u.json().steps.flatMap((s: any) => s.changes).filter((c: any) => c.action === 'delete').length).toBe(4);
    expect(await writes()).toEqual([]);
  });
});

describe('undo of a policy run after someone changed the assignment', () => {
  it('refuses the assignment (and keeps the set definition it uses) without --force, removes the rest, and --force removes it too', async () => {
    const env = stateHome();
    await fresh();
    const run = await policy(env);
    const policies = new PolicyClient(emu.owner, DEMO.subscriptionId, emu.clientOptions as never);
    const now = await policies.policyAssignments.get(SUB, 'secure-docintel');
    await policies.policyAssignments.create(SUB, 'secure-docintel', { ...now, enforcementMode: 'DoNotEnforce' });

    const u = await undo(env, { run: run.id });
    expect(u.code, u.err).toBe(1);
    const doc = u.json();
    expect(doc.undo.refused).toEqual([expect.objectContaining({ resourceId: ASSIGNMENT, differences: [expect.objectContaining({ path: '/properties/enforcementMode', recorded: 'Default', now: 'DoNotEnforce' })] })]);
    expect(u.err).toMatch(/Not touched: .*policyAssignments\/secure-docintel changed since run/);
    let s = await state();
    expect(byId(s, ASSIGNMENT)).toBeDefined();
    expect(byId(s, INITIATIVE)).toBeDefined();
    expect(s.resources.filter((x) => x.type === 'Microsoft.PolicyInsights/remediations')).toEqual([]);

    const forced = await undo(env, { run: run.id, force: true });
    expect(forced.code, forced.err).toBe(0);
    s = await state();
    expect(byId(s, ASSIGNMENT)).toBeUndefined();
    expect(byId(s, INITIATIVE)).toBeUndefined();
  });
});

describe('undo of a policy run that updated the assignment', () => {
  it('puts the recorded "before" back', async () => {
    const env = stateHome();
    await fresh();
    // an Audit-only assignment first (no identity), then a run that adds the Modify member and its identity
    const first = await runCli(emu, 'policy', { subscription: DEMO.subscriptionId, yes: true, output: 'json' }, { env });
    expect(first.code, first.err).toBe(0);
    const before = byId(await state(), ASSIGNMENT);
    const initiativeBefore = byId(await state(), INITIATIVE);
    const second = await policy(env);
    expect(second.journal.resources.find((r: any) => r.type === 'Microsoft.Authorization/policyAssignments').before.exists).toBe(true);

    const u = await undo(env, { run: second.id });
    expect(u.code, u.err).toBe(0);
    const s = await state();
    const after = byId(s, ASSIGNMENT);
    expect(after.identity).toBeUndefined();
    expect(after.properties.parameters).toEqual(before.properties.parameters);
    expect(after.properties.policyDefinitionId).toBe(before.properties.policyDefinitionId);
    expect(byId(s, INITIATIVE).properties.policyDefinitions).toEqual(initiativeBefore.properties.policyDefinitions);
    expect(byId(s, INITIATIVE).properties.parameters).toEqual(initiativeBefore.properties.parameters);
  });
});

describe('undo of a policy run, without --yes', () => {
  it('a non-interactive undo names the assignment it would remove (shared) and writes nothing', async () => {
    const env = stateHome();
    await fresh();
    const run = await policy(env);
    await emu.clearLog();
    const u = await runCli(emu, 'undo', { run: run.id }, { env });
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/\[shared\] Remove the policy assignment 'secure-docintel' at \/subscriptions\/.* Azure Policy stops auditing the guide's posture for every account at that scope/);
    expect(await writes()).toEqual([]);
  });
});

describe('undo of a policy run at a management group', () => {
  // Audit only: the emulator serves no role assignments at a management group, which a remediating member's identity needs.
  it('removes the assignment and set definition made at the group; a second undo writes nothing', async () => {
    const env = stateHome();
    await fresh();
    const group = '/providers/Microsoft.Management/managementGroups/mg-platform';
    const owner = `${group}/providers/Microsoft.Authorization/roleAssignments/7c1e5b0a-2d3f-4e5a-8b6c-9d0e1f2a3b4c`;
    await emu.control('PUT', 'state', {
      resources: [
        { id: group, type: 'Microsoft.Management/managementGroups', name: 'mg-platform', properties: { displayName: 'Platform', children: [{ id: SUB, type: '/subscriptions', name: DEMO.subscriptionId }] } },
        { id: owner, type: 'Microsoft.Authorization/roleAssignments', name: owner.split('/').pop(), properties: { scope: group, principalId: DEMO.owner.objectId, principalType: 'ServicePrincipal', roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635' } },
      ],
    });
    const r = await runCli(emu, 'policy', { managementGroup: 'mg-platform', yes: true, output: 'json' }, { env });
    expect(r.code, r.err).toBe(0);
    const journal = JSON.parse(readFileSync(r.json().journal.path, 'utf8'));
    const made = journal.resources.map((x: any) => x.id);
    expect(made.length).toBe(2);
    expect(made.every((id: string) => id.startsWith(group))).toBe(true);

    const u = await undo(env, { last: true });
    expect(u.code, u.err).toBe(0);
    const s = await state();
    for (const id of made) expect(byId(s, id), id).toBeUndefined();
    expect(byId(s, owner)).toBeDefined();
    expect(u.json().steps.map((x: any) => `${x.id}:${x.status}`)).toEqual(['undo-policy-remediations:unchanged', 'undo-role-assignment:unchanged', 'undo-policy-assignment:applied', 'undo-policy-initiative:applied']);

    await emu.clearLog();
    const again = await undo(env, { last: true });
    expect(again.code, again.err).toBe(0);
    expect(await writes()).toEqual([]);
  });
});
