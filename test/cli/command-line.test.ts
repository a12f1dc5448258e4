/**
 * The command line as a user or a pipeline meets it: each command's own flags (others refused), -o
 * and enum values in any case, the JSON error document for parse errors, exit 4 from --dry-run
 * --detailed-exitcode, colour only on a terminal (NO_COLOR, FORCE_COLOR), and text wrapped at word
 * boundaries. The cases run the command line in-process (`commandLine`: the same commander program,
 * command and error report as the bin, into pipes); "the bundled bin" below runs the installed copy
 * in a child process for each kind of outcome and checks it prints exactly the same, and the
 * terminal case needs the bin under a pseudo-terminal.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { commandLine, credentialsEnv, installedCopy, ROOT } from '../support/cli.js';
import { startTestEmulator, DEMO, type TestEmulator } from '../support/emulator.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/** the environment of a pipeline: none of the variables under test unless a test sets them */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'COLUMNS', 'AZURE_SUBSCRIPTION_ID', 'TERM']) delete env[k];
  return env;
}

// The read-only and dry-run cases run against this file's emulator (the demo), named as a pipeline
// names it: endpoint, CA, credentials and targets in the environment. `--emulator` itself is the bin's
// below (and test/cli/bin.test.ts).
let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

function pipeline(): NodeJS.ProcessEnv {
  return {
    ...credentialsEnv(emu),
    SECURE_DOCINTEL_ARM_ENDPOINT: emu.url,
    SECURE_DOCINTEL_CA_CERT: emu.caFile,
    AZURE_SUBSCRIPTION_ID: DEMO.subscriptionId,
    SECURE_DOCINTEL_RESOURCE_GROUP: DEMO.resourceGroup,
    SECURE_DOCINTEL_ACCOUNT: DEMO.account,
    SECURE_DOCINTEL_STORAGE: DEMO.storage,
    SECURE_DOCINTEL_VNET: DEMO.vnet,
    SECURE_DOCINTEL_SUBNET: DEMO.subnet,
  };
}

/** the command line in-process, as the bin runs it into a pipe */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return commandLine(args, { ...baseEnv(), ...env });
}

/** the same in a pipeline's environment for the demo on this file's emulator */
function onDemo(args: string[], env: NodeJS.ProcessEnv = {}) {
  return cli(args, { ...pipeline(), ...env });
}

/** the installed bin in a child process, stdout and stderr into pipes */
function bin(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [installedCopy(), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...baseEnv(), ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** the bin on a terminal (a pseudo-terminal from util-linux `script`): stdout and stderr together */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, installedCopy(), ...args].map((a) => `'${a}'`).join(' ');
  // no CI variable here: Node (tty getColorDepth) gives an unknown CI two colours, that is none
  const { CI: _ci, ...terminalEnv } = baseEnv();
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...terminalEnv, TERM: 'xterm-256color', ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  return { code: r.status, text: r.stdout };
}

const ANSI = /\u001b\[/;

/** DESIGN.md's flags, by the command that uses them */
const RUN = ['--subscription', '--cloud', '--arm-endpoint', '--ca-cert', '--emulator', '--non-interactive', '--output', '--verbose'];
const CHANGE = ['--yes', '--dry-run', '--detailed-exitcode', '--journal'];
const ACCOUNT = ['--resource-group', '--docintel'];
const NETWORK = ['--vnet', '--subnet', '--location'];
const FIREWALL = ['--allow-ip', '--allow-client-ip', '--client-ip', '--allow-studio'];
const DNS = ['--dns-zone-subscription', '--dns-zone-resource-group'];
const ENDPOINTS = ['--skip-dns', '--disable-public-access', '--custom-subdomain', '--keep-subnet-policies'];
const CREATE_NETWORK = ['--create-vnet', '--vnet-address-prefix', '--subnet-address-prefix'];
const FLAGS: Record<string, string[]> = {
  setup: [...RUN, ...CHANGE, ...ACCOUNT, '--storage', ...NETWORK, ...CREATE_NETWORK, ...DNS, ...ENDPOINTS, ...FIREWALL, '--access-rule', '--role', '--inventory', '--concurrency'],
  identity: [...RUN, ...CHANGE, ...ACCOUNT],
  'storage-lockdown': [...RUN, ...CHANGE, '--storage', '--access-rule', ...ACCOUNT, ...FIREWALL],
  grant: [...RUN, ...CHANGE, ...ACCOUNT, '--storage', '--role'],
  'private-endpoint': [...RUN, ...CHANGE, ...ACCOUNT, '--storage', ...NETWORK, ...CREATE_NETWORK, ...DNS, ...ENDPOINTS, ...FIREWALL],
  validate: [...RUN, ...ACCOUNT, '--storage', ...NETWORK, ...DNS, '--allow-studio', '--from-ip', '--explain', '--probe', '--probe-blob', '--graph'],
  audit: [...RUN, '--management-group', '--deep', '--concurrency'],
  // the journal names the resources: no subscription or targets
  undo: [...RUN.filter((f) => f !== '--subscription'), ...CHANGE, '--run', '--last', '--force'],
  runs: ['--output'],
  export: [...RUN, ...ACCOUNT, '--storage', ...NETWORK, ...DNS, '--allow-studio', '--format', '--output-file'],
};
const ALL = [...new Set(Object.values(FLAGS).flat())];

describe('each command takes its own flags', () => {
  it.each(Object.keys(FLAGS))('`%s --help` lists exactly the flags it uses', async (command) => {
    const help = await cli([command, '--help']);
    expect(help.code).toBe(0);
    const listed = [...help.out.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]).filter((f) => f !== '--help');
    expect(listed.sort()).toEqual([...FLAGS[command]].sort());
    for (const flag of ALL.filter((f) => !FLAGS[command].includes(f))) expect(help.out).not.toContain(`${flag} `);
  });

  it('`identity --vnet x` is refused with exit 2, naming the flags identity takes; nothing on stdout', async () => {
    const run = await cli(['identity', '--vnet', 'x', '--emulator']);
    expect(run.code).toBe(2);
    expect(run.err).toContain("unknown option '--vnet': `identity` takes --subscription, --resource-group, --docintel");
    expect(run.err).toContain('--help');
    expect(run.out).toBe('');
  });

  it('`export --dry-run` and `export --format bicep` are refused with exit 2, the latter naming the Bicep route', async () => {
    expect((await cli(['export', '--format', 'arm', '--dry-run'])).code).toBe(2);
    const bicep = await cli(['export', '--format', 'bicep', '--emulator']);
    expect(bicep.code).toBe(2);
    expect(bicep.err).toContain("--format 'bicep' is not supported");
    expect(bicep.err).toContain('az bicep decompile');
    expect(bicep.out).toBe('');
  });

  it('`audit --docintel x` is refused: audit takes the estate, not one account', async () => {
    const run = await cli(['audit', '--docintel', 'x']);
    expect(run.code).toBe(2);
    expect(run.err).toContain("unknown option '--docintel': `audit` takes --subscription, --management-group, --deep, --concurrency");
  });

  it('`validate --dry-run`, `setup --graph` and `grant --allow-studio` are refused too', async () => {
    expect((await cli(['validate', '--dry-run'])).code).toBe(2);
    expect((await cli(['setup', '--graph', 'mermaid'])).err).toContain("unknown option '--graph': `setup` takes");
    expect((await cli(['grant', '--allow-studio'])).err).toContain("unknown option '--allow-studio': `grant` takes");
    expect((await cli(['undo', '--last', '--subscription', 'x'])).err).toContain("unknown option '--subscription': `undo` takes --yes, --dry-run");
    expect((await cli(['runs', '--yes'])).code).toBe(2);
  });

  it('environment variables stay readable: SECURE_DOCINTEL_VNET does not stop identity, AZURE_SUBSCRIPTION_ID is read', async () => {
    const run = await onDemo(['identity', '--dry-run'], { SECURE_DOCINTEL_VNET: 'vnet-demo', AZURE_SUBSCRIPTION_ID: 'No such subscription' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/'No\s+such\s+subscription'\s+is\s+neither\s+a\s+subscription\s+id\s+\(a\s+GUID\)\s+nor\s+the\s+name/);
  });
});

describe('Azure CLI conventions on the command line', () => {
  it('-o JSON, --role Reader, --access-rule Resource-Instance, --cloud azurecloud; --detailed-exitcode exits 4 with changes pending', async () => {
    const run = await onDemo(['setup', '--dry-run', '--detailed-exitcode', '-o', 'JSON', '--role', 'Reader', '--access-rule', 'Resource-Instance', '--cloud', 'azurecloud']);
    expect(run.code, run.err).toBe(4);
    const doc = JSON.parse(run.out);
    expect(doc.dryRun).toBe(true);
    expect(doc.steps.every((s: { status: string }) => s.status === 'planned')).toBe(true);
  });

  it('--subscription by name: "demo subscription" is the demo subscription', async () => {
    const run = await onDemo(['identity', '--dry-run', '--subscription', 'demo subscription', '-o', 'json']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out).steps[0].changes[0].resourceId).toMatch(/^\/subscriptions\/22222222-2222-2222-2222-222222222222\//);
  });

  it('--detailed-exitcode without --dry-run: exit 2 and, with -o json, the error document alone on stdout', async () => {
    const run = await cli(['identity', '--emulator', '--detailed-exitcode', '--output=json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.out);
    expect(Object.keys(doc)).toEqual(['error']);
    expect(doc.error).toMatchObject({ code: 'BadInput', message: expect.stringContaining('--detailed-exitcode only applies to --dry-run'), fix: expect.any(String) });
  });

  it('errors the parser finds are JSON too: an unknown flag, a bad choice', async () => {
    const unknown = await cli(['identity', '--vnet', 'x', '-o', 'json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error).toMatchObject({ code: 'UnknownOption', message: expect.stringContaining("'--vnet'") });
    const role = await cli(['grant', '-ojson', '--role', 'admin']);
    expect(role.code).toBe(2);
    expect(JSON.parse(role.out).error).toMatchObject({ code: 'InvalidOptionValue', message: expect.stringContaining('Allowed choices are reader, contributor') });
    const graph = await cli(['validate', '--graph', 'svg', '-o', 'json']);
    expect(graph.code).toBe(2);
    expect(JSON.parse(graph.out).error).toMatchObject({ code: 'InvalidOptionValue', message: expect.stringContaining('Allowed choices are mermaid, dot') });
  });

  it('`validate --emulator --graph DOT`: the picture alone on stdout, any case', async () => {
    const run = await onDemo(['validate', '--graph', 'DOT']);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^digraph connections \{\n[^]*\}\n$/);
    expect(run.err).toContain('Connections (from the configuration)');
  });
});

describe('colour', () => {
  it('none into a pipe; FORCE_COLOR=1 colours the plan marks; never in JSON', async () => {
    expect(ANSI.test((await onDemo(['identity', '--dry-run'])).err)).toBe(false);
    const forced = await onDemo(['identity', '--dry-run'], { FORCE_COLOR: '1' });
    expect(forced.err).toContain('\u001b[33m~\u001b[39m accounts/docintel-demo');
    const json = await onDemo(['identity', '--dry-run', '-o', 'json'], { FORCE_COLOR: '1' });
    expect(ANSI.test(json.out + json.err)).toBe(false);
  });

  it.skipIf(!hasScript)('on a terminal the plan marks are coloured, and NO_COLOR turns that off', () => {
    const coloured = onTerminal(['identity', '--emulator', '--dry-run', '--non-interactive']);
    expect(coloured.text).toContain('\u001b[33m~\u001b[39m accounts/docintel-demo');
    const plain = onTerminal(['identity', '--emulator', '--dry-run', '--non-interactive'], { NO_COLOR: '1' });
    expect(plain.text).toContain('~ accounts/docintel-demo');
    expect(ANSI.test(plain.text)).toBe(false);
  });
});

describe('wrapping', () => {
  const words = (text: string) => text.split(/\s+/).filter(Boolean);
  /** lines a user reads, without the emulator's start line (its port differs per run) */
  const body = (text: string) => text.split('\n').filter((l) => !l.startsWith('Started the ARM emulator')).join('\n');

  function expectWrapped(narrow: string, wide: string, width: number) {
    expect(words(narrow), 'no word broken, none lost').toEqual(words(wide));
    const lines = narrow.split('\n');
    const marks = /^[-+~=✓✗!·]$/;
    for (const l of lines) if (l.length > width) expect(words(l).filter((w) => !marks.test(w)), `only a single long word overflows: ${l}`).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(wide.split('\n').length);
  }

  it('the plan at 80 columns (COLUMNS=80): no word broken, continuation lines indented', async () => {
    const narrow = body((await onDemo(['setup', '--dry-run'], { COLUMNS: '80' })).err);
    const wide = body((await onDemo(['setup', '--dry-run'], { COLUMNS: '1000' })).err);
    expectWrapped(narrow, wide, 80);
    const plan = narrow.split('\n').filter((l) => l && !/^Step /.test(l));
    for (const l of plan) expect(l).toMatch(/^ {2}[+~=-] | {6}\S/);
  });

  it("validate's check and fix lines at 80 columns, and without COLUMNS in a pipe", async () => {
    const narrow = await onDemo(['validate'], { COLUMNS: '80' });
    expect(narrow.code).toBe(1);
    const wide = await onDemo(['validate'], { COLUMNS: '1000' });
    expectWrapped(narrow.out, wide.out, 80);
    expect(narrow.out).toMatch(/\n {6}fix: secure-docintel identity/);
    expect((await onDemo(['validate'])).out).toBe(narrow.out);
  });
});

describe('the bundled bin prints what the in-process command line prints', () => {
  beforeAll(() => installedCopy(), 120_000);
  /** the emulator's start line names its port, which differs per run */
  const withoutPort = (text: string) => text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/\/tmp\/[^)\s]+/g, 'CA');

  it.each([
    ['--help of a command', ['validate', '--help']],
    ['a refused flag: exit 2, the message on stderr', ['identity', '--vnet', 'x', '--emulator']],
    ['a parse error in JSON mode: the error document on stdout', ['grant', '-ojson', '--role', 'admin']],
    ['an error found while running, in JSON mode', ['identity', '--emulator', '--detailed-exitcode', '--output=json']],
    ['changes pending: exit 4 and the plan as JSON', ['setup', '--emulator', '--dry-run', '--detailed-exitcode', '-o', 'JSON']],
    ['a plan in text at 80 columns, FORCE_COLOR', ['identity', '--emulator', '--dry-run'], { COLUMNS: '80', FORCE_COLOR: '1' }],
  ] as [string, string[], NodeJS.ProcessEnv?][])('%s', async (_what, args, env = {}) => {
    const child = bin(args, env);
    const inProcess = await cli(args, env);
    expect(child.code).toBe(inProcess.code);
    expect(withoutPort(child.out)).toBe(withoutPort(inProcess.out));
    expect(withoutPort(child.err)).toBe(withoutPort(inProcess.err));
  });
});
