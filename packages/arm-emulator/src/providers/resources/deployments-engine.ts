/**
 * Runs a resource-group deployment: each template resource is written with an internal PUT through
 * the router (the resource's own provider rules, api-version and the deploying caller's authorization),
 * in dependsOn order, waiting for each write's long-running operation. Like every emulator operation it
 * advances lazily: whenever the deployment, its status or its operations are read.
 * Other engines (policy remediation's DeployIfNotExists) start a deployment with `startDeployment`.
 */
import type { EmulatorContext } from '../../context.js';
import type { ArmResult, Caller } from '../../arm/router.js';
import { templateRefused } from './errors.js';
import { keyOf, parseResourceId, resourceGroupScope, resourceType } from '../../arm/ids.js';
import { settle } from '../../arm/lro.js';
import { prepareTemplate, TemplateError, type PreparedTemplate, type PlannedResource } from '../../template/template.js';

export const DEPLOYMENT_TYPE = 'Microsoft.Resources/deployments';

interface ResourceRun {
  index: number;
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  dependsOn: number[];
  state: 'waiting' | 'running' | 'Succeeded' | 'Failed';
  operationId: string;
  /** the emulator operation of the resource's long-running write */
  pendingOp?: string;
  /** a nested deployment still running (it advances as its parent is read) */
  pendingNested?: boolean;
  statusCode?: string;
  error?: { code: string; message: string; details?: unknown[] };
  timestamp?: string;
}

interface DeploymentRun {
  id: string;
  caller: Caller;
  template: unknown;
  parameters: unknown;
  statusOperationId: string;
  resources: ResourceRun[];
  startedAt: number;
}

const DEPLOYMENT_FAILED = 'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.';

function runs(ctx: EmulatorContext): Record<string, DeploymentRun> {
  const x = ctx.state.extras as Record<string, unknown>;
  x.deployments ??= {};
  return x.deployments as Record<string, DeploymentRun>;
}

/**
 * The emulator's state as the control endpoint shows it: a deployment run keeps its parameters (it
 * binds them again while it runs), but the values of its secureString/secureObject parameters are
 * masked, as a deployment's own GET leaves them out.
 */
export function maskSecureParameters(extras: Record<string, unknown>): Record<string, unknown> {
  const all = extras.deployments as Record<string, DeploymentRun> | undefined;
  if (!all) return extras;
  const masked = Object.fromEntries(Object.entries(all).map(([k, run]) => {
    const declared = ((run.template as { parameters?: Record<string, { type?: string }> })?.parameters ?? {}) as Record<string, { type?: string }>;
    const secure = new Set(Object.keys(declared).filter((n) => String(declared[n]?.type ?? '').toLowerCase().startsWith('secure')).map((n) => n.toLowerCase()));
    const parameters = Object.fromEntries(Object.entries(run.parameters as Record<string, unknown>).map(([n, v]) => [n, secure.has(n.toLowerCase()) ? { value: '***' } : v]));
    return [k, { ...run, parameters }];
  }));
  return { ...extras, deployments: masked };
}

export function deploymentId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${resourceGroupScope(subscriptionId, resourceGroup)}/providers/${DEPLOYMENT_TYPE}/${name}`;
}

/** Binds and checks a template for a deployment into a resource group (no writes). Throws ArmError InvalidTemplate. */
export function prepare(ctx: EmulatorContext, id: string, template: unknown, parameters: unknown): PreparedTemplate {
  const p = parseResourceId(id);
  const rg = ctx.state.get(resourceGroupScope(p.subscriptionId!, p.resourceGroup!));
  try {
    return prepareTemplate(template, parameters, {
      subscriptionId: p.subscriptionId!,
      tenantId: ctx.state.tenantId,
      resourceGroup: { id: rg?.id ?? resourceGroupScope(p.subscriptionId!, p.resourceGroup!), name: rg?.name ?? p.resourceGroup!, location: String(rg?.location ?? '') },
      deploymentName: id.split('/').pop()!,
    });
  } catch (e) {
    if (e instanceof TemplateError) throw templateRefused(e);
    throw e;
  }
}

/** Records a deployment (Accepted) and its plan; the writes start at the next read. */
export function startDeployment(ctx: EmulatorContext, id: string, body: Record<string, any>, caller: Caller): Record<string, unknown> {
  const props = body.properties;
  const prepared = prepare(ctx, id, props.template, props.parameters);
  const now = ctx.now();
  const run: DeploymentRun = {
    id,
    caller,
    template: props.template,
    parameters: props.parameters ?? {},
    statusOperationId: ctx.newGuid().replace(/-/g, '').toUpperCase().slice(0, 16),
    startedAt: now,
    resources: prepared.order.map((r) => ({ ...r, state: 'waiting', operationId: ctx.newGuid().replace(/-/g, '').toUpperCase().slice(0, 16) })),
  };
  runs(ctx)[keyOf(id)] = run;
  const name = id.split('/').pop()!;
  return ctx.state.put({
    id,
    name,
    type: DEPLOYMENT_TYPE,
    ...(body.tags ? { tags: body.tags } : {}),
    properties: {
      templateHash: String(Math.abs(hash(JSON.stringify(props.template)))),
      parameters: prepared.boundParameters,
      mode: props.mode,
      provisioningState: 'Accepted',
      timestamp: new Date(now).toISOString(),
      duration: 'PT0S',
      correlationId: ctx.newGuid(),
      providers: providersOf(run.resources),
      dependencies: run.resources.filter((r) => r.dependsOn.length).map((r) => ({
        id: r.id,
        resourceType: r.type,
        resourceName: r.name,
        dependsOn: r.dependsOn.map((d) => run.resources.find((x) => x.index === d)!).map((d) => ({ id: d.id, resourceType: d.type, resourceName: d.name })),
      })),
      outputResources: [],
    },
  } as never);
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function providersOf(resources: ResourceRun[]) {
  const byNs = new Map<string, Set<string>>();
  for (const r of resources) {
    const [ns, ...rest] = r.type.split('/');
    if (!byNs.has(ns)) byNs.set(ns, new Set());
    byNs.get(ns)!.add(rest.join('/'));
  }
  return [...byNs].map(([namespace, types]) => ({ namespace, resourceTypes: [...types].map((resourceType) => ({ resourceType, locations: [] })) }));
}

/** Passes in progress, per emulator (tests run several in one process, with the same deployment names). */
const advancingIn = new WeakMap<EmulatorContext, Map<string, Promise<void>>>();

/** Moves a deployment on as far as it can go now; concurrent readers share one pass. */
export async function advanceDeployment(ctx: EmulatorContext, id: string): Promise<void> {
  const key = keyOf(id);
  let advancing = advancingIn.get(ctx);
  if (!advancing) advancingIn.set(ctx, (advancing = new Map()));
  const running = advancing.get(key);
  if (running) return running;
  const pass = advance(ctx, key).finally(() => advancing.delete(key));
  advancing.set(key, pass);
  return pass;
}

async function advance(ctx: EmulatorContext, key: string): Promise<void> {
  const run = runs(ctx)[key];
  const dep = ctx.state.get(key);
  if (!run || !dep?.properties) return;
  const props = dep.properties as Record<string, any>;
  if (props.provisioningState === 'Succeeded' || props.provisioningState === 'Failed') return;
  props.provisioningState = 'Running';
  const prepared = prepare(ctx, run.id, run.template, run.parameters);
  for (;;) {
    settle(ctx);
    let progressed = false;
    for (const r of run.resources.filter((x) => x.state === 'running' && x.pendingNested)) {
      if (await followNested(ctx, r)) progressed = true;
    }
    for (const r of run.resources.filter((x) => x.state === 'running' && x.pendingOp)) {
      const op = ctx.state.operations.get(r.pendingOp!);
      if (op && op.status === 'InProgress') continue;
      finish(ctx, r, op?.status === 'Failed' ? { code: op.failWith?.code ?? 'InternalServerError', message: op.failWith?.message ?? 'The operation failed.' } : undefined);
      progressed = true;
    }
    const anyFailed = run.resources.some((r) => r.state === 'Failed');
    if (!anyFailed) {
      for (const r of run.resources.filter((x) => x.state === 'waiting')) {
        const deps = r.dependsOn.map((d) => run.resources.find((x) => x.index === d)!);
        if (!deps.every((d) => d.state === 'Succeeded')) continue;
        await write(ctx, run, prepared, r);
        progressed = true;
        if (r.state === 'Failed') break;
      }
    }
    const busy = run.resources.some((r) => r.state === 'running');
    if (!busy && run.resources.some((r) => r.state === 'Failed')) {
      const failed = run.resources.filter((r) => r.state === 'Failed');
      complete(ctx, run, props, 'Failed', {
        code: 'DeploymentFailed',
        message: DEPLOYMENT_FAILED,
        details: failed.map((r) => ({ code: r.error!.code, message: r.error!.message, ...(r.error!.details ? { details: r.error!.details } : {}) })),
      });
      return;
    }
    if (run.resources.every((r) => r.state === 'Succeeded')) {
      complete(ctx, run, props, 'Succeeded');
      return;
    }
    if (!progressed) return;
  }
}

function complete(ctx: EmulatorContext, run: DeploymentRun, props: Record<string, any>, state: 'Succeeded' | 'Failed', error?: Record<string, unknown>): void {
  props.provisioningState = state;
  props.timestamp = new Date(ctx.now()).toISOString();
  props.duration = `PT${((ctx.now() - run.startedAt) / 1000).toFixed(3)}S`;
  props.outputResources = run.resources.filter((r) => r.state === 'Succeeded').map((r) => ({ id: r.id }));
  props.outputs = {};
  if (error) props.error = error;
}

function finish(ctx: EmulatorContext, r: ResourceRun, error?: ResourceRun['error']): void {
  r.state = error ? 'Failed' : 'Succeeded';
  r.pendingOp = undefined;
  r.timestamp = new Date(ctx.now()).toISOString();
  if (error) r.error = error;
}

/** The resource's PUT, as ARM sends it to its provider: the template body at the resource's id. */
async function write(ctx: EmulatorContext, run: DeploymentRun, prepared: PreparedTemplate, r: ResourceRun): Promise<void> {
  r.state = 'running';
  let body: Record<string, unknown>;
  try {
    body = prepared.body(r as PlannedResource, (id, apiVersion, full) => reference(ctx, run, id, apiVersion, full));
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    r.statusCode = 'BadRequest';
    return finish(ctx, r, { code: 'InvalidTemplate', message: e.message });
  }
  const result: ArmResult = await ctx.internalRequest('PUT', r.id, body, run.caller, r.apiVersion, { log: 'deployment' });
  r.statusCode = statusName(result.status);
  if (result.status >= 400) {
    const err = (result.body as { error?: { code: string; message: string } } | undefined)?.error;
    return finish(ctx, r, { code: err?.code ?? 'InternalServerError', message: err?.message ?? `The resource write answered ${result.status}.` });
  }
  if (r.type.toLowerCase() === DEPLOYMENT_TYPE.toLowerCase()) {
    r.pendingNested = true;
    await followNested(ctx, r);
    return;
  }
  const poll = result.headers?.['azure-asyncoperation'] ?? result.headers?.location;
  const opId = poll ? new URL(poll).pathname.split('/').pop() : undefined;
  if (opId && ctx.state.operations.get(opId)?.status === 'InProgress') r.pendingOp = opId;
  else finish(ctx, r);
}

/** Advances a nested deployment; true once it has ended (its failure is the resource's, as ARM reports it). */
async function followNested(ctx: EmulatorContext, r: ResourceRun): Promise<boolean> {
  await advanceDeployment(ctx, r.id);
  const props = ctx.state.get(r.id)?.properties as { provisioningState?: string; error?: { code: string; message: string; details?: unknown[] } } | undefined;
  const state = props?.provisioningState;
  if (state !== 'Succeeded' && state !== 'Failed') return false;
  r.pendingNested = false;
  if (state === 'Failed') {
    const e = props?.error;
    finish(ctx, r, { code: e?.code ?? 'DeploymentFailed', message: e?.message ?? DEPLOYMENT_FAILED, ...(e?.details ? { details: e.details } : {}) });
  } else finish(ctx, r);
  return true;
}

function statusName(status: number): string {
  return ({ 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'NoContent', 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict' } as Record<number, string>)[status] ?? String(status);
}

/** `reference()`: the resource as its GET returns it, read with the deploying caller's rights. */
function reference(ctx: EmulatorContext, run: DeploymentRun, id: string, _apiVersion: string | undefined, full: boolean): unknown {
  const res = ctx.state.get(id);
  const type = resourceType(id);
  if (!res) {
    throw new TemplateError(`The Resource '${type}/${id.split('/').pop()}' under resource group '${parseResourceId(id).resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  }
  if (!ctx.authorizer.can(run.caller, `${type}/read`, id)) {
    throw new TemplateError(`The client '${run.caller.objectId}' does not have authorization to perform action '${type}/read' over scope '${id}'.`);
  }
  const copy = JSON.parse(JSON.stringify(res)) as Record<string, unknown>;
  return full ? copy : (copy.properties ?? {});
}

/** Deployment operations as `GET .../deployments/{name}/operations` lists them. */
export function deploymentOperations(ctx: EmulatorContext, id: string): Record<string, unknown>[] {
  const run = runs(ctx)[keyOf(id)];
  if (!run) return [];
  return run.resources.filter((r) => r.state !== 'waiting').map((r) => ({
    id: `${id}/operations/${r.operationId}`,
    operationId: r.operationId,
    properties: {
      provisioningOperation: 'Create',
      provisioningState: r.state === 'running' ? 'Running' : r.state,
      timestamp: r.timestamp ?? new Date(ctx.now()).toISOString(),
      duration: 'PT0S',
      trackingId: r.operationId,
      serviceRequestId: r.operationId,
      ...(r.statusCode ? { statusCode: r.statusCode } : {}),
      ...(r.error ? { statusMessage: { status: 'Failed', error: r.error } } : {}),
      targetResource: { id: r.id, resourceType: r.type, resourceName: r.name },
    },
  }));
}

export function deploymentStatusOperationId(ctx: EmulatorContext, id: string): string | undefined {
  return runs(ctx)[keyOf(id)]?.statusOperationId;
}
