/**
 * What every command does first: check the flags, start the embedded emulator when asked,
 * open the ARM session, pick the I/O host and find the target resources.
 */
import type { IoHost } from '../io/host.js';
import { InteractiveHost, NonInteractiveHost } from '../io/stream-host.js';
import { resolveSettings, wideRanges, type RawOptions } from '../core/settings.js';
import { ArmSession } from '../azure/session.js';
import { subscriptionFromAzureCli } from '../azure/az-profile.js';
import { CallerAccess } from '../azure/caller-access.js';
import { resolveTargets, type Need, type Targets } from '../steps/targets.js';
import type { Runtime, StepContext } from '../steps/context.js';

export type { Runtime } from '../steps/context.js';
import { DeclinedError, InterruptedError, UsageError } from '../core/errors.js';
import { interrupt } from './apply.js';

/** After Ctrl-C no new write starts; the ones already sent finish. */
function stopIfInterrupted(): void {
  if (interrupt.requested) throw new InterruptedError();
}


export interface BootstrapDeps {
  env?: NodeJS.ProcessEnv;
  stdinIsTty?: boolean;
  host?: IoHost;
  /** where the host writes when none is given (default: the process's stdout and stderr) */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** false: leave the subscription unset rather than take the Azure CLI's default (audit spans many) */
  subscriptionFromCli?: boolean;
}

export async function bootstrap(raw: RawOptions, deps: BootstrapDeps = {}): Promise<Runtime> {
  const env = deps.env ?? process.env;
  const settings = resolveSettings(raw, env, deps.stdinIsTty ?? !!process.stdin.isTTY);
  const hostOptions = { verbose: settings.verbose, env, json: settings.output === 'json', stdout: deps.stdout, stderr: deps.stderr };
  const host = deps.host ?? (settings.interactive ? new InteractiveHost(hostOptions) : new NonInteractiveHost(hostOptions));
  const wide = wideRanges(settings.allowIps);
  if (wide.length && settings.interactive && !settings.yes) {
    const ok = await host.confirm({ id: 'wideAllowIp', message: `--allow-ip ${wide.join(', ')} admits more than 256 addresses. Allow ${wide.length > 1 ? 'these ranges' : 'this range'} on the firewalls?`, default: false });
    if (!ok) throw new DeclinedError('Nothing was written. Pass a narrower --allow-ip (/24 or longer), or --yes to allow the wide range.');
  }
  let close = async () => {};
  let emulatorUrl: string | undefined;
  let session: ArmSession;
  const retryDelayMs = Number(env.SECURE_DOCINTEL_RETRY_DELAY_MS) || undefined;
  if (settings.emulator) {
    const { startEmulator, DEMO } = await import('@secure-docintel/arm-emulator');
    const emu = await startEmulator({ port: 0, lroDelayMs: Number(env.SECURE_DOCINTEL_EMULATOR_LRO_DELAY_MS ?? 0) });
    emulatorUrl = emu.url;
    close = () => emu.stop();
    host.info(`Started the ARM emulator at ${emu.url} with the demo scenario (CA: ${emu.caFile}).`);
    // The demo's names are the defaults, so `setup --emulator` needs no other input.
    if (!settings.interactive && deps.subscriptionFromCli !== false) {
      settings.subscription ??= DEMO.subscriptionId;
      // Nothing real changes in the emulator, so with no one to ask, its confirmations are accepted.
      settings.yes = true;
      settings.resourceGroup ??= DEMO.resourceGroup;
      settings.docintel ??= DEMO.account;
      settings.storage ??= DEMO.storage;
      settings.vnet ??= DEMO.vnet;
      settings.subnet ??= DEMO.subnet;
    }
    settings.armEndpoint = emu.url;
    settings.caCert = emu.caFile;
    session = await ArmSession.create({
      cloud: settings.cloud,
      armEndpoint: emu.url,
      caCertFile: emu.caFile,
      env: { ...env, AZURE_TENANT_ID: DEMO.tenantId, AZURE_CLIENT_ID: DEMO.owner.clientId, AZURE_CLIENT_SECRET: DEMO.owner.secret, AZURE_AUTHORITY_HOST: emu.url },
      trace: settings.verbose ? (l) => host.debug(l) : undefined,
      retryDelayMs,
      beforeWrite: stopIfInterrupted,
    });
  } else {
    session = await ArmSession.create({
      cloud: settings.cloud,
      armEndpoint: settings.armEndpoint,
      caCertFile: settings.caCert,
      env,
      trace: settings.verbose ? (l) => host.debug(l) : undefined,
      retryDelayMs,
      beforeWrite: stopIfInterrupted,
    });
    if (!settings.subscription && deps.subscriptionFromCli !== false) {
      const fromAz = subscriptionFromAzureCli(session.signIn, env);
      if (fromAz) {
        settings.subscription = fromAz.id;
        host.info(`Using the Azure CLI's default subscription '${fromAz.name}' (${fromAz.id}); pass --subscription to choose another.`);
      }
    }
  }
  return { settings, host, session, close, emulatorUrl, env };
}

/** Resolves targets and the caller's IP into a step context. */
export async function stepContext(rt: Runtime, needs: Need[]): Promise<StepContext> {
  const targets: Targets = await resolveTargets(rt.settings, rt.session, rt.host, needs);
  let clientIp: string | undefined;
  if (rt.settings.allowClientIp) {
    clientIp = rt.settings.clientIp ?? (rt.settings.emulator ? (await import('@secure-docintel/arm-emulator')).DEMO.publicClientIp : undefined);
    if (!clientIp) {
      throw new UsageError('--allow-client-ip needs this machine\'s public IP, and secure-docintel does not call IP-echo services.', 'Pass it with --client-ip <address> (e.g. the address `curl https://api.ipify.org` prints).');
    }
  }
  return { settings: rt.settings, session: rt.session, host: rt.host, targets, clientIp, env: rt.env, access: new CallerAccess(rt.session) };
}
