/** Command handlers: each builds its steps' plans and hands them to the change runner. */
import { bootstrap, stepContext, type Runtime } from './bootstrap.js';
import { runChangeCommand, interrupt } from './apply.js';
import { planIdentity } from '../steps/identity.js';
import { planStorageLockdown } from '../steps/storage-lockdown.js';
import { planGrant } from '../steps/grant.js';
import { planPrivateEndpoints } from '../steps/private-endpoint.js';
import { planSubnetPolicies } from '../steps/subnet-policies.js';
import { planVirtualNetwork } from '../steps/virtual-network.js';
import type { StepPlan } from '../plan/types.js';
import type { RawOptions } from '../core/settings.js';
import { describeError, errorBody, reportError } from '../cli/report-error.js';
import type { ValidateResult } from '../validate/types.js';
import { styleFor } from '../io/terminal.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { Need } from '../steps/targets.js';
import { needsOf, type CommandName } from '../posture/commands.js';
import type { StepContext } from '../steps/context.js';
import type { IoHost } from '../io/host.js';
import { subdomainDeclined } from '../wizard/subdomain-declined.js';

export interface CommandDeps {
  env?: NodeJS.ProcessEnv;
  stdinIsTty?: boolean;
  host?: IoHost;
}

async function phasesFor(kind: string, ctx: StepContext): Promise<StepPlan[][]> {
  switch (kind) {
    case 'identity':
      return [[planIdentity(ctx)]];
    case 'storage-lockdown':
      return [[await planStorageLockdown(ctx)]];
    case 'grant': {
      const principalId = ctx.targets.account!.identity?.principalId;
      if (!principalId) {
        throw new UsageError(
          `Account '${ctx.targets.account!.name}' has no system-assigned managed identity yet, so there is no principal to grant storage access to. Nothing was written.`,
          'Run `secure-docintel identity` first, or `secure-docintel setup`, which does both in order.',
        );
      }
      return [[await planGrant(ctx, principalId)]];
    }
    case 'private-endpoint': {
      const network = planVirtualNetwork(ctx);
      return [...(network ? [[network]] : []), [planSubnetPolicies(ctx)], [await planPrivateEndpoints(ctx)]];
    }
    case 'setup': {
      const identity = planIdentity(ctx);
      const [storage, grant, pe] = await Promise.all([
        planStorageLockdown(ctx),
        planGrant(ctx, identity.apply ? undefined : ctx.targets.account!.identity?.principalId),
        planPrivateEndpoints(ctx),
      ]);
      const network = planVirtualNetwork(ctx);
      const subnet = planSubnetPolicies(ctx);
      // The subnet's policies go beside the identity unless this run creates the VNet first; the account's
      // endpoint chain then starts as soon as its identity is on, beside the grant.
      return network ? [[identity, storage, network], [grant, subnet], [pe]] : [[identity, storage, subnet], [grant, pe]];
    }
    default:
      throw new Error(`unknown command ${kind}`);
  }
}

export async function runCommand(kind: string, opts: Record<string, unknown>, deps: CommandDeps = {}): Promise<number> {
  if (kind === 'emulator') return runEmulator(opts);
  let rt: Runtime | undefined;
  interrupt.requested = false;
  const onSigint = () => {
    if (interrupt.requested) process.exit(EXIT.interrupted);
    interrupt.requested = true;
    process.stderr.write('\nInterrupt: stopping after the write in progress (Ctrl-C again to stop now).\n');
  };
  process.on('SIGINT', onSigint);
  try {
    if (kind === 'export') (await import('./export.js')).exportFormat(opts.format);
    rt = await bootstrap(opts as RawOptions, deps);
    const { askBeforeTargets, askGuideChoices } = await import('../wizard/questions.js');
    await askBeforeTargets(rt.settings, rt.host, kind);
    const needs: Need[] = needsOf(kind as CommandName, rt.settings.accessRule);
    const ctx = await stepContext(rt, needs);
    if (kind === 'validate') {
      const { runValidate } = await import('../validate/index.js');
      return await runValidate(rt, ctx, { ...opts, output: rt.settings.output });
    }
    if (kind === 'export') {
      const { runExport } = await import('./export.js');
      return await runExport(rt, ctx, opts);
    }
    await askGuideChoices(ctx, kind);
    const created = ctx.targets.createNetwork;
    const subdomainSetHere = !!ctx.targets.account && !ctx.targets.account.properties?.customSubDomainName;
    let phases = await phasesFor(kind, ctx);
    const outcome = { stoppedBeforeEndpoints: false };
    const onDecline = subdomainDeclined(ctx, kind, async () => (phases = await phasesFor(kind, ctx)), () => phases, outcome);
    const { output, exitCode, failure } = await runChangeCommand(rt, ctx, kind, phases, kind === 'setup' ? phases.flat().length + 1 : undefined, async (change) => {
      const next = await onDecline(change);
      if (next) phases = next;
      return next;
    });
    let code = exitCode;
    let validation: ValidateResult | undefined;
    if (kind === 'setup' && exitCode === EXIT.ok && !rt.settings.dryRun && !outcome.stoppedBeforeEndpoints) {
      const { runValidate } = await import('../validate/index.js');
      const n = phases.flat().length + 1;
      rt.host.info(`Step ${n}/${n} Validate the deployment`);
      code = await runValidate(rt, ctx, { ...opts, output: 'text', quietResult: rt.settings.output === 'json', onDocument: (doc: ValidateResult) => (validation = doc) });
    }
    if (rt.settings.output === 'json') {
      // a failed step: the change document, with the failure as the DESIGN.md error document's `error`
      const error = failure ? errorBody(describeError(failure)) : undefined;
      rt.host.result(JSON.stringify({ ...output, armRequests: { ...rt.session.counts }, ...(validation ? { validation } : {}), ...(error ? { error } : {}) }, null, 2));
    }
    if (exitCode === EXIT.ok && !rt.settings.dryRun) {
      const { nextSteps } = await import('../wizard/next-steps.js');
      rt.host.info(nextSteps({ command: kind, settings: rt.settings, targets: ctx.targets, created, subdomainSetHere, stoppedBeforeEndpoints: outcome.stoppedBeforeEndpoints }));
    }
    return code;
  } catch (e) {
    const host = rt?.host ?? deps.host;
    const json = (rt?.settings.output ?? String(opts.output ?? 'text').toLowerCase()) === 'json';
    return reportError(e, {
      write: host ? (text) => host.info(text.trimEnd()) : undefined,
      json: json ? (doc) => (host ? host.result(doc) : process.stdout.write(doc + '\n')) : undefined,
      style: host ? host.textStyle?.('err') : styleFor(process.stderr, deps.env ?? process.env, json),
    });
  } finally {
    process.off('SIGINT', onSigint);
    await rt?.close();
  }
}

async function runEmulator(opts: Record<string, unknown>): Promise<number> {
  const { startEmulator } = await import('../emulator/index.js');
  const port = Number(opts.port ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`Error: --port '${opts.port}' is not a port number (0-65535; 0 picks a free port).\n`);
    return EXIT.usage;
  }
  try {
    const emu = await startEmulator({
      port,
      host: String(opts.host ?? '127.0.0.1'),
      scenario: String(opts.scenario ?? 'demo'),
      stateFile: opts.state ? String(opts.state) : undefined,
      lroDelayMs: Number(opts.lroDelayMs ?? 0),
      replicationDelayMs: Number(opts.replicationDelayMs ?? 0),
      caFile: opts.caFile ? String(opts.caFile) : undefined,
    });
    // Listen for the stop signals before announcing readiness: whoever reads the ready line may signal at once.
    const stopped = new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.stdout.write(`ARM emulator listening on ${emu.url} (ca: ${emu.caFile})\n`);
    if (emu.controlToken) {
      process.stderr.write(
        `Warning: --host ${opts.host} is not a loopback address: anyone who can reach this port can call the emulator and sign in as its demo principals.\n` +
          `Its control endpoints (/_emulator/*) need this header: Authorization: Bearer ${emu.controlToken}\n`,
      );
    }
    await stopped;
    await emu.stop();
    return EXIT.ok;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`Error: port ${port} is in use.\nFix: pass another --port, or --port 0 to pick a free one.\n`);
      return EXIT.usage;
    }
    if (err.code === 'EUNSAFEPATH') {
      process.stderr.write(`Error: ${err.message}\nFix: pass --state/--ca-file the path of a regular file, not a link.\n`);
      return EXIT.usage;
    }
    if (err.code === 'ENOENT' || err instanceof SyntaxError) {
      process.stderr.write(`Error: cannot load the scenario '${opts.scenario}': ${err.message}\nFix: pass --scenario demo or a readable scenario JSON file.\n`);
      return EXIT.usage;
    }
    return reportError(e);
  }
}
