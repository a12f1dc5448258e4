import type { ArmSession } from '../azure/session.js';
import type { IoHost } from '../io/host.js';
import type { Settings } from '../core/settings.js';
import type { Targets } from './targets.js';
import type { CallerAccess } from '../azure/caller-access.js';

/** What a command starts from: inputs, I/O host, ARM session. */
export interface Runtime {
  settings: Settings;
  host: IoHost;
  session: ArmSession;
  /** stops the embedded emulator, if one was started */
  close(): Promise<void>;
  emulatorUrl?: string;
  env: NodeJS.ProcessEnv;
}

/** What every step gets: the inputs, the ARM session, the I/O host, and the resources read so far. */
export interface StepContext {
  settings: Settings;
  session: ArmSession;
  host: IoHost;
  targets: Targets;
  /** the caller's own public IP, when --allow-client-ip asked for it */
  clientIp?: string;
  env: NodeJS.ProcessEnv;
  /** the caller's effective permissions, read once per scope when a plan asks */
  access: CallerAccess;
}

/** Runs an SDK call; a failure becomes an explained AzureOperationError naming what was being done. */
export { arm } from '../posture/not-found.js';
