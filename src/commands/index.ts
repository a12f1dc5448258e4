/** Command handlers: each builds its steps' plans and hands them to the change runner. */
import { bootstrap, stepContext, type Runtime } from './bootstrap.js';
import { runChangeCommand, interrupt } from './apply.js';
import { phasesFor } from './phases.js';
import type { RawOptions } from '../core/settings.js';
import { describeError, errorBody, reportError } from '../cli/report-error.js';
import type { ValidateResult } from '../validate/types.js';
import { styleFor } from '../io/terminal.js';
import { EXIT, InterruptedError, UsageError } from '../core/errors.js';
import type { Need } from '../steps/targets.js';
import { needsOf, type CommandName } from '../posture/commands.js';
import type { IoHost } from '../io/host.js';
import { subdomainDeclined } from '../wizard/subdomain-declined.js';
import { openJournal, plannedResources, targetIds } from '../journal/run-journal.js';
import type { Journal } from '../journal/journal.js';
import { preloadSdk } from '../azure/session.js';

/** setup's validation and closing notes, loaded while its writes wait on Azure. */
function loadValidation(): void {
  import('../validate/index.js').catch(() => undefined);
  import('../wizard/next-steps.js').catch(() => undefined);
}


export interface CommandDeps {
  env?: NodeJS.ProcessEnv;
  stdinIsTty?: boolean;
  host?: IoHost;
  /** where results and progress go when no host is given (default: the process's) */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function runCommand(kind: string, opts: Record<string, unknown>, deps: CommandDeps = {}): Promise<number> {
  if (kind === 'emulator') return runEmulator(opts);
  if (kind === 'runs') return listRecordedRuns(opts, deps);
  let rt: Runtime | undefined;
  let journal: Journal | undefined;
  interrupt.requested = false;
  const onSigint = () => {
    if (interrupt.requested) process.exit(EXIT.interrupted);
    interrupt.requested = true;
    process.stderr.write('\nInterrupt: stopping after the write in progress (Ctrl-C again to stop now).\n');
  };
  process.on('SIGINT', onSigint);
  try {
    if (kind === 'audit') {
      const { auditFlags, runAudit } = await import('../audit/index.js');
      const flags = auditFlags(opts);
      rt = await bootstrap({ ...(opts as RawOptions), subscription: undefined }, { ...deps, subscriptionFromCli: false });
      return await runAudit(rt, flags);
    }
    const inventory = kind === 'setup' ? await inventoryOf(opts as RawOptions, deps.env ?? process.env) : undefined;
    if (kind === 'export') (await import('./export.js')).exportFormat(opts.format);
    rt = await bootstrap(opts as RawOptions, deps);
    if (inventory) {
      const { runInventory } = await import('../inventory/run-inventory.js');
      return await runInventory(rt, inventory.accounts, inventory.options);
    }
    if (kind === 'policy') {
      const { runPolicy } = await import('./policy.js');
      return await runPolicy(rt, opts);
    }
    if (kind === 'undo') return await undo(rt, opts);
    const { askBeforeTargets, askGuideChoices } = await import('../wizard/questions.js');
    await askBeforeTargets(rt.settings, rt.host, kind);
    const needs: Need[] = needsOf(kind as CommandName, rt.settings.accessRule);
    // setup reads and writes through every one of these: load them while it signs in and reads.
    if (kind === 'setup') preloadSdk(['cognitive', 'storage', 'network', 'privateDns', 'authorization', ...(rt.settings.dryRun ? [] : ['resources' as const])]);
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
    journal = openJournal(rt, kind, targetIds(ctx.targets));
    journal?.expect(plannedResources(phases));
    const outcome = { stoppedBeforeEndpoints: false };
    const onDecline = subdomainDeclined(ctx, kind, async () => (phases = await phasesFor(kind, ctx)), () => phases, outcome);
    const { output, exitCode, failure } = await runChangeCommand(rt, ctx, kind, phases, kind === 'setup' ? phases.flat().length + 1 : undefined, async (change) => {
      const next = await onDecline(change);
      if (next) {
        phases = next;
        journal?.expect(plannedResources(next));
      }
      return next;
    }, kind === 'setup' ? loadValidation : undefined);
    // Nothing more is written: the journal's read-back and the validation share their reads.
    rt.session.readOnceFromNow();
    await journal?.finish(exitCode === EXIT.ok ? 'succeeded' : 'failed');
    const recorded = journal?.recorded;
    if (recorded && journal!.doc.writes.length) rt.host.info(`Recorded as run ${recorded.id} (${recorded.path}); to restore what it changed: secure-docintel undo --run ${recorded.id}`);
    journal = undefined;
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
      rt.host.result(JSON.stringify({ ...output, armRequests: { ...rt.session.counts }, ...(recorded ? { journal: recorded } : {}), ...(validation ? { validation } : {}), ...(error ? { error } : {}) }, null, 2));
    }
    if (exitCode === EXIT.ok && !rt.settings.dryRun) {
      const { nextSteps } = await import('../wizard/next-steps.js');
      rt.host.info(nextSteps({ command: kind, settings: rt.settings, targets: ctx.targets, created, subdomainSetHere, stoppedBeforeEndpoints: outcome.stoppedBeforeEndpoints }));
    }
    return code;
  } catch (e) {
    await journal?.finish(e instanceof InterruptedError ? 'interrupted' : 'failed').catch(() => undefined);
    const host = rt?.host ?? deps.host;
    const json = (rt?.settings.output ?? String(opts.output ?? 'text').toLowerCase()) === 'json';
    const stdout = deps.stdout ?? process.stdout;
    const stderr = deps.stderr ?? process.stderr;
    return reportError(e, {
      write: host ? (text) => host.info(text.trimEnd()) : (text) => stderr.write(text),
      json: json ? (doc) => (host ? host.result(doc) : stdout.write(doc + '\n')) : undefined,
      style: host ? host.textStyle?.('err') : styleFor(stderr as Partial<import('node:tty').WriteStream>, deps.env ?? process.env, json),
    });
  } finally {
    process.off('SIGINT', onSigint);
    await rt?.close();
  }
}

/** `setup --inventory FILE`: the accounts and how many at once, every problem found before signing in. */
async function inventoryOf(raw: RawOptions, env: NodeJS.ProcessEnv) {
  if (raw.inventory === undefined) {
    if (raw.concurrency !== undefined) throw new UsageError('--concurrency only applies to setup --inventory.', 'Pass --inventory FILE, or leave out --concurrency.');
    return undefined;
  }
  const clashing = (['subscription', 'resourceGroup', 'docintel', 'storage', 'createVnet', 'customSubdomain', 'journal'] as const).filter((k) => raw[k] !== undefined);
  if (clashing.length) {
    const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`--inventory names the accounts, their subscriptions and storage: ${clashing.map(flag).join(', ')} cannot be given with it.`, 'Leave those flags out (each row gives its account; each account\'s run is recorded in a journal of its own), or run setup without --inventory for one account.');
  }
  const { readInventory } = await import('../inventory/read-inventory.js');
  const { DEFAULT_CONCURRENCY } = await import('../inventory/run-inventory.js');
  const concurrency = raw.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency '${raw.concurrency}' is not a whole number from 1 to 64.`, 'Pass how many accounts of one subscription to set up at once (default 4).');
  const accounts = readInventory(raw.inventory, { vnet: raw.vnet ?? env.SECURE_DOCINTEL_VNET, subnet: raw.subnet ?? env.SECURE_DOCINTEL_SUBNET });
  return { accounts, options: { file: raw.inventory, concurrency } };
}

async function undo(rt: Runtime, opts: Record<string, unknown>): Promise<number> {
  const { runUndo } = await import('./undo.js');
  const { output, exitCode, failure } = await runUndo(rt, { run: opts.run as string | undefined, last: !!opts.last });
  if (rt.settings.output === 'json') {
    const error = failure ? errorBody(describeError(failure)) : undefined;
    rt.host.result(JSON.stringify({ ...output, armRequests: { ...rt.session.counts }, ...(error ? { error } : {}) }, null, 2));
  }
  return exitCode;
}

async function listRecordedRuns(opts: Record<string, unknown>, deps: CommandDeps): Promise<number> {
  const json = String(opts.output ?? 'text').toLowerCase() === 'json';
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const out = (text: string) => (deps.host ? deps.host.result(text) : stdout.write(text + '\n'));
  try {
    const { runRuns } = await import('./runs.js');
    return runRuns(opts, deps.env ?? process.env, out, deps.host);
  } catch (e) {
    return reportError(e, { write: deps.host ? (text) => deps.host!.info(text.trimEnd()) : (text) => stderr.write(text), json: json ? out : undefined });
  }
}

async function runEmulator(opts: Record<string, unknown>): Promise<number> {
  const { startEmulator } = await import('@secure-docintel/arm-emulator');
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
