/**
 * Drives the real Azure CLI (`az`) against a running emulator: a private config directory,
 * the emulator registered as a custom cloud (ADFS-style authority, so MSAL skips instance
 * discovery), the emulator's CA trusted through REQUESTS_CA_BUNDLE, and a service-principal login.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator/index.js';

export const EMULATOR_CLOUD = 'SecureDocintelEmulator';
/** az starts in 1-2 s; long-running operations it polls add a few more. */
const AZ_TIMEOUT_MS = 45_000;

/**
 * Debian's azure-cli 2.45 ships with azure-mgmt-authorization 3.0.0, whose operation classes keep
 * their configuration in `_config` while the CLI's role module reads `.config`
 * (Azure/azure-cli#24959): `az role assignment create` crashes before sending anything. This
 * sitecustomize exposes `config` so the CLI's own code path runs unchanged against the emulator.
 */
const DEBIAN_AUTHORIZATION_SHIM = `# Debian's azure-cli 2.45 ships with azure-mgmt-authorization 3.0.0, whose operation classes
# keep their configuration in \`_config\`; the CLI's role module still reads \`.config\`
# (Azure/azure-cli#24959). Expose \`config\` so \`az role assignment create\` runs its real code path.
import sys, importlib.abc, importlib.util

_SUFFIXES = ('._role_assignments_operations', '._role_definitions_operations')


class _ExposeConfig(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if not name.startswith('azure.mgmt.authorization.') or not name.endswith(_SUFFIXES):
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            for cls in vars(module).values():
                if isinstance(cls, type) and cls.__name__.endswith('Operations') and not hasattr(cls, 'config'):
                    cls.config = property(lambda self: self._config)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _ExposeConfig())
`;

export interface AzResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON */
  json?: any;
}

/** The `az` executable on PATH, if installed. */
export function findAzureCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'az');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export class AzureCli {
  private readonly configDir = mkdtempSync(join(tmpdir(), 'secure-docintel-az-'));
  private readonly shimDir = join(this.configDir, 'python-shim');

  constructor(
    private readonly az: string,
    private readonly emulator: Pick<RunningEmulator, 'url' | 'caFile'>,
  ) {
    mkdirSync(this.shimDir);
    writeFileSync(join(this.shimDir, 'sitecustomize.py'), DEBIAN_AUTHORIZATION_SHIM);
  }

  /** Runs `az <args> --only-show-errors -o json` and never throws on a non-zero exit. */
  run(args: string[], timeoutMs = AZ_TIMEOUT_MS): Promise<AzResult> {
    const env = {
      ...process.env,
      AZURE_CONFIG_DIR: this.configDir,
      REQUESTS_CA_BUNDLE: this.emulator.caFile,
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_NO_COLOR: 'true',
      AZURE_CORE_SURVEY_MESSAGE: 'false',
      AZURE_EXTENSION_USE_DYNAMIC_INSTALL: 'no',
      PYTHONPATH: [this.shimDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    };
    return new Promise((resolve) => {
      execFile(this.az, [...args, '--only-show-errors', '-o', 'json'], { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        const exitCode = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        let json: any;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ exitCode, stdout, stderr: err && err.killed ? `${stderr}\n(az timed out after ${timeoutMs} ms)` : stderr, json });
      });
    });
  }

  /** Runs a command that must succeed and returns its JSON output. */
  async ok(args: string[]): Promise<any> {
    const r = await this.run(args);
    if (r.exitCode !== 0) throw new Error(`az ${args.join(' ')} exited ${r.exitCode}:\n${r.stderr}`);
    return r.json;
  }

  /** Registers the emulator as a cloud, makes it active and logs in as a service principal. */
  async login(tenantId: string, clientId: string, secret: string): Promise<any> {
    const url = this.emulator.url;
    await this.ok([
      'cloud', 'register', '-n', EMULATOR_CLOUD,
      '--endpoint-resource-manager', `${url}/`,
      '--endpoint-active-directory', `${url}/adfs`,
      '--endpoint-active-directory-resource-id', 'https://management.core.windows.net/',
      '--endpoint-active-directory-graph-resource-id', `${url}/`,
      '--endpoint-management', `${url}/`,
    ]);
    await this.ok(['cloud', 'set', '-n', EMULATOR_CLOUD]);
    return this.ok(['login', '--service-principal', '-u', clientId, '-p', secret, '--tenant', tenantId]);
  }

  dispose(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
