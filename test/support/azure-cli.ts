/**
 * Drives the real Azure CLI (`az`) against a running emulator: a private config directory,
 * the emulator registered as a custom cloud (ADFS-style authority, so MSAL skips instance
 * discovery), the emulator's CA trusted through REQUESTS_CA_BUNDLE, and a service-principal login.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import type { RunningEmulator } from '../../packages/arm-emulator/src/index.js';

export const EMULATOR_CLOUD = 'SecureDocintelEmulator';
/** az starts in 1-2 s; long-running operations it polls add a few more. */
const AZ_TIMEOUT_MS = 45_000;

/**
 * Debian's azure-cli 2.45 is packaged with newer Azure SDKs than it was built for, which breaks
 * `az role assignment create` (Azure/azure-cli#24959) and every `az network` command before they send
 * a request. This sitecustomize (put on PYTHONPATH for az only) repairs both so the CLI's own code paths
 * run against the emulator; see its header for details.
 */
const DEBIAN_AZURE_CLI_SHIM = `# Debian's azure-cli 2.45 is packaged with newer Azure SDKs (python3-azure 20230112) than it was built for:
# - azure-mgmt-authorization 3.0.0 keeps operation configuration in \`_config\`, the role module reads
#   \`.config\` (Azure/azure-cli#24959), so \`az role assignment create\` crashes before any request;
# - azure-mgmt-network 23.0.0b1 has no 2022-01-01 models, the version the \`latest\` profile names, so every
#   \`az network ...\` command crashes while loading its arguments. Network commands generated with AAZ
#   keep their own api-versions; only SDK-model based ones (private-dns link) see the substitute.
# This shim fixes both at import time so the CLI's own code paths run unchanged against the emulator.
import importlib.abc
import importlib.util
import os
import sys

_AUTHZ_SUFFIXES = ('._role_assignments_operations', '._role_definitions_operations')
_PROFILES = 'azure.cli.core.profiles._shared'


def _expose_config(module):
    for cls in list(vars(module).values()):
        if isinstance(cls, type) and cls.__name__.endswith('Operations') and not hasattr(cls, 'config'):
            cls.config = property(lambda self: self._config)


def _installed_network_versions():
    spec = importlib.util.find_spec('azure.mgmt.network')
    if spec is None or not spec.submodule_search_locations:
        return []
    root = list(spec.submodule_search_locations)[0]
    return sorted(d[1:].replace('_', '-') for d in os.listdir(root) if d.startswith('v20') and d.count('_') == 2)


def _fit_network_profile(module):
    latest = module.AZURE_API_PROFILES['latest']
    wanted = latest[module.ResourceType.MGMT_NETWORK]
    installed = _installed_network_versions()
    if installed and wanted not in installed:
        latest[module.ResourceType.MGMT_NETWORK] = installed[-1]


class _DebianAzureCliShim(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == _PROFILES:
            patch = _fit_network_profile
        elif name.startswith('azure.mgmt.authorization.') and name.endswith(_AUTHZ_SUFFIXES):
            patch = _expose_config
        else:
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
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _DebianAzureCliShim())
`;

export interface AzResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON */
  json?: any;
}

/**
 * `az` for a file of Azure CLI tests, or undefined (then skip them). The tests are mandatory in CI:
 * there a missing `az` is a failing test; locally it is a warning.
 */
export function azureCliFor(suite: string): string | undefined {
  const az = findAzureCli();
  if (az) return az;
  if (process.env.CI === 'true') {
    describe(suite, () => {
      it('needs the Azure CLI', () => {
        throw new Error('azure-cli is required in CI: install it (Debian package azure-cli 2.45) so `az` is on PATH.');
      });
    });
  } else console.warn(`${suite}: \`az\` is not installed; skipping these tests (they are mandatory when CI=true).`);
  return undefined;
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
    writeFileSync(join(this.shimDir, 'sitecustomize.py'), DEBIAN_AZURE_CLI_SHIM);
  }

  /** The environment az runs with here; the product's AzureCliCredential needs it too. */
  environment(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      AZURE_CONFIG_DIR: this.configDir,
      REQUESTS_CA_BUNDLE: this.emulator.caFile,
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_NO_COLOR: 'true',
      AZURE_CORE_SURVEY_MESSAGE: 'false',
      AZURE_EXTENSION_USE_DYNAMIC_INSTALL: 'no',
      PYTHONPATH: [this.shimDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    };
  }

  /** Runs `az <args> --only-show-errors -o json` and never throws on a non-zero exit. */
  run(args: string[], timeoutMs = AZ_TIMEOUT_MS): Promise<AzResult> {
    const env = this.environment();
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
