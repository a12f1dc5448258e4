/**
 * `secure-docintel policy`: the guide's posture as one Azure Policy initiative of built-in
 * definitions, assigned at a subscription or management group, with the identity's roles and
 * remediation tasks, planned and applied like every change command, then compliance read back.
 */
import type { PolicyDefinition } from '@azure/arm-policy';
import type { Runtime } from './bootstrap.js';
import { runChangeCommand } from './apply.js';
import type { StepContext } from '../steps/context.js';
import { arm } from '../steps/context.js';
import { withoutManagementGroupChecks, type NamedPlace, type StepPlan } from '../plan/types.js';
import { CallerAccess } from '../azure/caller-access.js';
import { subscriptionIdOf } from '../azure/subscription-by-name.js';
import { UsageError, EXIT, InterruptedError } from '../core/errors.js';
import { openJournal, plannedResources } from '../journal/run-journal.js';
import { looksLikeId, resourceGroupId, resourceId, subscriptionScope } from '../core/resource-id.js';
import { privateDnsZoneName } from '../posture/dns.js';
import { initiativeMembers, managementGroupScope, type InitiativeChoices, type PolicyEffectChoice } from '../posture/policy-initiative.js';
import { describeError, errorBody } from '../cli/report-error.js';
import { RAW } from '../io/terminal.js';
import type { PolicyContext, PolicyScope } from '../steps/policy-context.js';
import { needsIdentity, planAssignment, planInitiative, readAssignment, readInitiative } from '../steps/policy-initiative.js';
import { planPolicyRoles } from '../steps/policy-roles.js';
import { planRemediations } from '../steps/policy-remediation.js';
import { readCompliance, readNonCompliant, renderCompliance, type Compliance } from '../steps/policy-compliance.js';
import { askIdentityLocation, askPolicyChoices, type PolicyAnswers } from '../wizard/policy-questions.js';

const MANAGEMENT_GROUP_NAME = /^[A-Za-z0-9\-_().]{1,90}$/;

interface PolicyOptions {
  managementGroup?: string;
  effect?: string;
}

async function scopeOf(rt: Runtime, o: PolicyOptions): Promise<PolicyScope> {
  const subscriptionId = await subscriptionIdOf(rt.settings.subscription, rt.session);
  if (o.managementGroup !== undefined) {
    if (!MANAGEMENT_GROUP_NAME.test(o.managementGroup)) throw new UsageError(`--management-group '${o.managementGroup}' is not a management group name (1-90 letters, digits, - _ ( ) .).`, 'Pass the group\'s name (its id\'s last segment), e.g. --management-group mg-platform.');
    return { kind: 'managementGroup', id: managementGroupScope(o.managementGroup), managementGroup: o.managementGroup, subscriptionId };
  }
  if (!subscriptionId) throw new UsageError('policy needs a scope: a subscription or a management group.', 'Pass --subscription <id or name> (or AZURE_SUBSCRIPTION_ID) or --management-group <name>.');
  return { kind: 'subscription', id: subscriptionScope(subscriptionId), subscriptionId };
}

/** The user's answers, as the initiative's choices: zone ids from the DNS flags, the subnet from --vnet/--subnet. */
function choicesOf(rt: Runtime, scope: PolicyScope, answers: PolicyAnswers): InitiativeChoices {
  const s = rt.settings;
  const effect = (answers.effect ?? 'audit').toLowerCase() === 'deny' ? 'Deny' : 'Audit';
  const choices: InitiativeChoices = { effect: effect as PolicyEffectChoice, disablePublicAccess: answers.disablePublicAccess };
  if (s.dnsZoneResourceGroup) {
    const sub = s.dnsZoneSubscription ?? scope.subscriptionId;
    if (!sub) throw new UsageError('--dns-zone-resource-group at a management group needs the zones\' subscription.', 'Pass --dns-zone-subscription <id> too.');
    choices.accountZoneId = resourceId(sub, s.dnsZoneResourceGroup, 'Microsoft.Network/privateDnsZones', privateDnsZoneName(s.cloud, 'account'));
    choices.blobZoneId = resourceId(sub, s.dnsZoneResourceGroup, 'Microsoft.Network/privateDnsZones', privateDnsZoneName(s.cloud, 'blob'));
  } else if (s.dnsZoneSubscription) {
    throw new UsageError('--dns-zone-subscription names the zones\' subscription but not their resource group.', 'Pass --dns-zone-resource-group <name> too.');
  }
  // Flags only: `--emulator` fills in the demo's VNet for the other commands, which is no answer here.
  const vnet = s.given.has('vnet') ? s.vnet : undefined;
  const subnet = s.given.has('subnet') ? s.subnet : undefined;
  if (vnet || subnet) {
    if (!vnet || !subnet) throw new UsageError('The private endpoint policy needs both --vnet and --subnet.', 'Pass --vnet <name or id> and --subnet <name>, or neither.');
    let vnetId = vnet;
    if (!looksLikeId(vnetId)) {
      if (!scope.subscriptionId || !s.resourceGroup) throw new UsageError(`--vnet '${vnet}' is a name, and policy needs the VNet's resource group to find it.`, 'Pass --vnet as a resource id, or --resource-group with it.');
      vnetId = resourceId(scope.subscriptionId, s.resourceGroup, 'Microsoft.Network/virtualNetworks', vnet);
    }
    choices.privateEndpointSubnetId = `${vnetId}/subnets/${subnet}`;
  }
  return choices;
}

async function readDefinitions(rt: Runtime, scope: PolicyScope, guids: string[]): Promise<Map<string, PolicyDefinition>> {
  const client = await rt.session.policy(scope.subscriptionId);
  const read = await Promise.all(guids.map((g) => arm(`reading the built-in policy definition ${g}`, () => client.policyDefinitions.getBuiltIn(g))));
  return new Map(read.map((d, i) => [guids[i].toLowerCase(), d]));
}

export async function runPolicy(rt: Runtime, opts: Record<string, unknown>): Promise<number> {
  const o: PolicyOptions = { managementGroup: opts.managementGroup as string | undefined, effect: opts.effect as string | undefined };
  const scope = await scopeOf(rt, o);
  // the answers are values: nothing shared (the settings) is patched with them
  const answers = await askPolicyChoices(rt.host, rt.settings, o);
  const choices = choicesOf(rt, scope, answers);
  const members = initiativeMembers(choices);
  const definitions = await readDefinitions(rt, scope, members.map((m) => m.guid));
  for (const m of members) {
    const shown = definitions.get(m.guid)?.displayName;
    if (shown && shown !== m.displayName) rt.host.debug(`built-in ${m.guid} is now named '${shown}'`);
  }
  const access = new CallerAccess(rt.session);
  const ctx: PolicyContext = { settings: rt.settings, session: rt.session, host: rt.host, env: rt.env, access, scope, choices, members, definitions, location: '' };
  if (needsIdentity(ctx)) ctx.location = (await askIdentityLocation(rt.host, rt.settings))?.trim().toLowerCase() ?? '';
  if (needsIdentity(ctx) && !ctx.location) {
    throw new UsageError("The initiative remediates (Modify or DeployIfNotExists), so its assignment gets a managed identity, and an identity needs a region. Nothing was written.", 'Pass --location <region> (e.g. eastus) for the assignment\'s identity.');
  }

  const [initiative, assignment] = await Promise.all([readInitiative(ctx), readAssignment(ctx)]);
  const referencesBefore = (initiative?.policyDefinitions ?? []).map((r) => r.policyDefinitionReferenceId ?? '');
  // asked once: the remediation plan and the compliance report read the same answer
  const nonCompliant = assignment ? await readNonCompliant(ctx) : undefined;
  const places: NamedPlace[] = [
    ...(scope.kind === 'subscription' ? [{ kind: 'subscription' as const, id: scope.id, flag: '--subscription' }] : []),
    ...(choices.accountZoneId ? [{ kind: 'resourceGroup' as const, id: resourceGroupId(choices.accountZoneId.split('/')[2], rt.settings.dnsZoneResourceGroup!), flag: '--dns-zone-resource-group' }] : []),
  ];
  const planned: StepPlan[] = [
    { ...planInitiative(ctx, initiative), places },
    planAssignment(ctx, assignment),
    await planPolicyRoles(ctx, assignment?.identity?.principalId),
    await planRemediations(ctx, !!assignment, referencesBefore, nonCompliant ?? new Map()),
  ];
  const phases = planned.map((p) => [scope.kind === 'managementGroup' ? withoutManagementGroupChecks(p) : p]);

  const stepCtx = { settings: rt.settings, session: rt.session, host: rt.host, env: rt.env, access, targets: { subscriptionId: scope.subscriptionId ?? '', resourceGroup: '', location: ctx.location } } as StepContext;
  // Journaled like every change command, so `undo` can remove what this run made.
  const journal = openJournal(rt, 'policy', [scope.id]);
  journal?.expect(plannedResources(phases));
  let result: Awaited<ReturnType<typeof runChangeCommand>>;
  try {
    result = await runChangeCommand(rt, stepCtx, 'policy', phases);
  } catch (e) {
    await journal?.finish(e instanceof InterruptedError ? 'interrupted' : 'failed').catch(() => undefined);
    throw e;
  }
  const { output, exitCode, failure } = result;
  await journal?.finish(exitCode === EXIT.ok ? 'succeeded' : 'failed');
  const recorded = journal?.recorded;
  if (recorded && journal!.doc.writes.length) rt.host.info(`Recorded as run ${recorded.id} (${recorded.path}); to remove what it made: secure-docintel undo --run ${recorded.id}`);

  let compliance: Compliance | undefined;
  if (assignment || (!rt.settings.dryRun && exitCode === EXIT.ok)) {
    // read back after a write; otherwise nothing changed since it was read for the plan
    const wrote = output.steps.some((st) => st.status === 'applied' || st.status === 'failed');
    compliance = await readCompliance(ctx, wrote ? undefined : nonCompliant);
    if (rt.settings.output === 'text') rt.host.result(renderCompliance(compliance, rt.host.textStyle?.('out') ?? RAW));
  }
  if (rt.settings.output === 'json') {
    const error = failure ? errorBody(describeError(failure)) : undefined;
    rt.host.result(JSON.stringify({ ...output, armRequests: { ...rt.session.counts }, scope: scope.id, ...(recorded ? { journal: recorded } : {}), ...(compliance ? { compliance } : {}), ...(error ? { error } : {}) }, null, 2));
  }
  return exitCode;
}

