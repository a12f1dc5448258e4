/**
 * secure-docintel: the command tree (DESIGN.md). This module loads commander only; each command's
 * handler and the Azure SDK clients it needs are imported when that command runs.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../core/errors.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A choice matched regardless of case, as the Azure CLI matches `--role Reader` or `-o JSON`; the canonical spelling is kept. */
function oneOf(values: readonly string[]) {
  return (value: string) => {
    const match = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!match) throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.`);
    return match;
  };
}

function choice(flags: string, description: string, values: readonly string[], fallback?: string): Option {
  const option = new Option(flags, description).choices(values).argParser(oneOf(values));
  return fallback === undefined ? option : option.default(fallback);
}

/**
 * The options of DESIGN.md in groups; each command takes only the groups it uses, so a flag it would
 * ignore (`identity --vnet x`) is refused rather than silently accepted.
 */
const OPTIONS = {
  account: (c: Command) =>
    c
      .option('--resource-group <name>', 'resource group of the account (env SECURE_DOCINTEL_RESOURCE_GROUP)')
      .option('--docintel <name-or-id>', 'the Document Intelligence account (env SECURE_DOCINTEL_ACCOUNT)'),
  storage: (c: Command) => c.option('--storage <name-or-id>', 'the storage account, any resource group (env SECURE_DOCINTEL_STORAGE)'),
  network: (c: Command) =>
    c
      .option('--vnet <name-or-id>', 'virtual network for the private endpoints (env SECURE_DOCINTEL_VNET)')
      .option('--subnet <name>', 'subnet for the private endpoints (env SECURE_DOCINTEL_SUBNET)')
      .option('--location <region>', "region of the private endpoints (env SECURE_DOCINTEL_LOCATION; default: the VNet's)"),
  dnsZones: (c: Command) =>
    c
      .option('--dns-zone-subscription <id>', 'subscription of the private DNS zones (hub)')
      .option('--dns-zone-resource-group <name>', "resource group of the private DNS zones (default: the VNet's)"),
  endpoints: (c: Command) =>
    c
      .option('--skip-dns', 'leave private DNS zones and zone groups to someone else (Azure Policy)')
      .option('--disable-public-access', 'account publicNetworkAccess Disabled instead of selected networks (breaks the Studio; asks first)')
      .option('--custom-subdomain <name>', 'custom subdomain for the account if it has none (default: the account name; permanent)')
      .option('--keep-subnet-policies', "leave the subnet's privateEndpointNetworkPolicies as they are (the guide enables them; asks first, as it affects every endpoint in the subnet)"),
  createNetwork: (c: Command) =>
    c
      .option('--create-vnet <name>', "use this virtual network in the account's resource group, creating it (and --subnet, default snet-pe) when it does not exist")
      .option('--vnet-address-prefix <cidr>', 'address space of a VNet created by --create-vnet (default: a free 10.N.0.0/16)')
      .option('--subnet-address-prefix <cidr>', 'address prefix of a subnet created by --create-vnet (default: the first free /24)'),
  firewall: (c: Command) =>
    c
      .option('--allow-ip <ip-or-cidr>', 'also allow this public IPv4 address or CIDR (repeatable)', collect, [])
      .option('--allow-client-ip', "also allow this machine's public IP (give it with --client-ip)")
      .option('--client-ip <ip>', "this machine's public IP, for --allow-client-ip"),
  studio: (c: Command) => c.option('--allow-studio', 'allow Document Intelligence Studio: its IP 20.3.165.95 on both firewalls and CORS for its origins on storage'),
  accessRule: (c: Command) => c.addOption(choice('--access-rule <rule>', "how storage admits the account's identity (default: trusted-services; asked when interactive)", ['trusted-services', 'resource-instance'])),
  role: (c: Command) => c.addOption(choice('--role <role>', 'data role to grant (default: reader; asked when interactive)', ['reader', 'contributor'])),
  inventory: (c: Command) =>
    c
      .option('--inventory <file>', 'set up every account listed in this JSON or CSV (what `audit` writes) instead of one')
      .option('--concurrency <n>', 'with --inventory: accounts set up at once per subscription (default 4; at most 16 in all)'),
  change: (c: Command) =>
    c
      .option('--yes', 'accept confirmations (needed with --non-interactive for permanent, lock-out, shared-subnet or, in undo, widening changes)')
      .option('--dry-run', 'print the plan, write nothing')
      .option('--detailed-exitcode', 'with --dry-run: exit 0 when nothing would change, 4 when changes are pending')
      .option('--journal <file>', 'record this run in this file (default: a new file in $XDG_STATE_HOME/secure-docintel/runs/, see `runs`)'),
} satisfies Record<string, (c: Command) => Command>;

type Group = keyof typeof OPTIONS;

/** The subscription and connection options every Azure command takes, then the command's own groups, then run control. */
function options(cmd: Command, groups: Group[], { outputs = ['text', 'json'], subscription = true }: { outputs?: string[]; subscription?: boolean } = {}): Command {
  if (subscription) cmd.option('--subscription <id-or-name>', "subscription id or name (env AZURE_SUBSCRIPTION_ID)");
  for (const g of groups) OPTIONS[g](cmd);
  cmd
    .addOption(choice('--cloud <name>', 'Azure cloud (env AZURE_CLOUD)', ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']))
    .option('--arm-endpoint <url>', 'another ARM endpoint, e.g. the emulator (env SECURE_DOCINTEL_ARM_ENDPOINT)')
    .option('--ca-cert <file>', "extra CA certificate to trust, e.g. the emulator's (env SECURE_DOCINTEL_CA_CERT)")
    .option('--emulator', 'start the ARM emulator in-process with the demo scenario and run against it')
    .option('--non-interactive', 'never prompt; missing inputs are errors (implied when stdin is not a TTY)')
    .addOption(choice('-o, --output <format>', 'results on stdout; progress on stderr', outputs, 'text'))
    .option('--verbose', 'log every ARM request (method and path)');
  return cmd;
}

/** Commander, with an unknown option's error naming the options the command does take. */
class CliCommand extends Command {
  override createCommand(name?: string): Command {
    return new CliCommand(name);
  }

  unknownOption(flag: string): void {
    if (!this.parent) return (Command.prototype as unknown as { unknownOption(f: string): void }).unknownOption.call(this, flag);
    const flags = this.options.map((o) => o.long ?? o.short).filter(Boolean);
    this.error(`error: unknown option '${flag}': \`${this.name()}\` takes ${flags.join(', ')}`, { code: 'commander.unknownOption', exitCode: EXIT.usage });
  }
}

function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/**
 * Where a command line reads its environment and writes its output: the process's by default; tests
 * give their own to run the same command line in-process (`test/support/cli.ts`).
 */
export interface CommandLineIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  stdinIsTty?: boolean;
}

export function buildProgram(io: CommandLineIo = {}, exit: (code: number) => void = (code) => (process.exitCode = code)): Command {
  const run = async (kind: string, opts: Record<string, unknown>): Promise<void> => {
    const { runCommand } = await import('../commands/index.js');
    exit(await runCommand(kind, opts, { env: io.env, stdinIsTty: io.stdinIsTty, stdout: io.stdout, stderr: io.stderr }));
  };
  const program = new CliCommand('secure-docintel')
    .description('Lock an Azure AI Document Intelligence account and its training storage down to private endpoints and managed identity, following Microsoft\'s guide step by step. Safe to re-run: it reads, diffs, and writes only what differs.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    // Commander exits 1 on a usage error; the contract says 2 (bad input, nothing written).
    .exitOverride();
  if (io.stdout || io.stderr) {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    // before the commands are added: each copies its parent's output settings
    program.configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s), outputError: (s, write) => write(s) });
  }

  examples(
    options(program.command('setup').description('all steps in the guide\'s order: identity, storage lockdown, grant, private endpoints, then validate'), ['account', 'storage', 'network', 'createNetwork', 'dnsZones', 'endpoints', 'firewall', 'studio', 'accessRule', 'role', 'inventory', 'change']),
    [
      'npx secure-docintel setup',
      'secure-docintel setup --emulator --non-interactive --yes',
      'secure-docintel setup --subscription $SUB --resource-group rg-ai --docintel di-prod --storage sttraining --vnet vnet-hub --subnet snet-pe --non-interactive --yes --output json',
      'secure-docintel setup --subscription "Contoso Prod" ... --dry-run --detailed-exitcode -o json   # exit 4: changes pending',
      'secure-docintel audit -o csv > fleet.csv && secure-docintel setup --inventory fleet.csv --vnet vnet-spoke --subnet snet-pe --yes',
    ],
  ).action((o) => run('setup', o));
  examples(options(program.command('identity').description('step 1: turn on the account\'s system-assigned managed identity (keeps user-assigned ones)'), ['account', 'change']), [
    'secure-docintel identity --resource-group rg-ai --docintel di-prod',
    'secure-docintel identity --emulator --dry-run',
  ]).action((o) => run('identity', o));
  examples(options(program.command('storage-lockdown').description('step 2: storage firewall to selected networks with the trusted-services exception (keeps existing rules)'), ['storage', 'accessRule', 'account', 'firewall', 'studio', 'change']), [
    'secure-docintel storage-lockdown --storage sttraining',
    'secure-docintel storage-lockdown --storage sttraining --access-rule resource-instance --docintel di-prod --resource-group rg-ai',
    'secure-docintel storage-lockdown --storage sttraining --allow-studio --allow-ip 203.0.113.7',
  ]).action((o) => run('storage-lockdown', o));
  examples(options(program.command('grant').description("step 3: Storage Blob Data Reader (or Contributor) for the account's identity on the storage account"), ['account', 'storage', 'role', 'change']), [
    'secure-docintel grant --resource-group rg-ai --docintel di-prod --storage sttraining',
    'secure-docintel grant --resource-group rg-ai --docintel di-prod --storage sttraining --role contributor',
  ]).action((o) => run('grant', o));
  examples(
    options(program.command('private-endpoint').description('steps 4-5: custom subdomain, account network restricted, private endpoints for the account and blob storage with private DNS'), ['account', 'storage', 'network', 'createNetwork', 'dnsZones', 'endpoints', 'firewall', 'studio', 'change']),
    [
      'secure-docintel private-endpoint --resource-group rg-ai --docintel di-prod --storage sttraining --vnet vnet-spoke --subnet snet-pe',
      'secure-docintel private-endpoint ... --dns-zone-subscription $HUB_SUB --dns-zone-resource-group rg-dns',
      'secure-docintel private-endpoint ... --skip-dns',
    ],
  ).action((o) => run('private-endpoint', o));
  examples(
    options(program.command('validate').description('read-only: posture checks, reachability of the guide\'s four connections, diagnosis of its errors'), ['account', 'storage', 'network', 'dnsZones', 'studio'])
      .option('--from-ip <ip>', 'public IP of the client to judge reachability for')
      .option('--explain <code>', 'explain an error code (ContentSourceNotAccessible, AuthorizationFailure, AccessDenied, …) for this configuration')
      .option('--probe', 'also probe DNS, HTTPS and a Read analyze from this machine')
      .addOption(choice('--graph <format>', 'draw the connections on stdout (the report goes to stderr): mermaid (GitHub renders it) or dot (Graphviz); with -o json, the document\'s graph field', ['mermaid', 'dot']))
      .option('--probe-blob <container/blob>', 'blob to analyze by URL in the identity probe (env SECURE_DOCINTEL_PROBE_BLOB; default: the first blob the caller can list)'),
    [
      'secure-docintel validate --resource-group rg-ai --docintel di-prod --storage sttraining --vnet vnet-spoke --subnet snet-pe',
      'secure-docintel validate --emulator --output json',
      'secure-docintel validate ... --graph mermaid > connections.mmd',
      'secure-docintel validate ... --graph dot | dot -Tsvg > connections.svg',
    ],
  ).action((o) => run('validate', o));
  examples(
    options(
      program
        .command('audit')
        .description("read-only: every Document Intelligence / Azure AI services account of the subscriptions through Azure Resource Graph, judged by validate's checks")
        .option('--subscription <ids-or-names>', 'subscriptions to audit, by id or name (repeatable or comma-separated; default: every one you can see)', collect, undefined)
        .option('--management-group <id>', 'audit the subscriptions of this management group instead')
        .option('--deep', "also run validate's ARM reads per account (RBAC, private DNS zones and records, the subnet's policies)")
        .option('--concurrency <n>', 'with --deep: accounts read at a time (default 4)'),
      [],
      { outputs: ['text', 'json', 'csv'], subscription: false },
    ),
    [
      'secure-docintel audit',
      'secure-docintel audit --subscription "Contoso Prod" --subscription 0b1f6471-1bf0-4dda-aec3-111122223333 -o json',
      'secure-docintel audit --management-group mg-platform -o csv > inventory.csv',
      'secure-docintel audit --subscription $SUB --deep --concurrency 8',
    ],
  ).action((o) => run('audit', o));
  examples(
    options(program.command('policy').description("assigns the guide's posture as one Azure Policy initiative of built-in definitions (audit or deny; optional Modify and DeployIfNotExists with remediation), then reads compliance back"), ['dnsZones', 'change'])
      .option('--management-group <name>', 'assign at this management group instead of --subscription')
      .addOption(choice('--effect <effect>', 'effect of the definitions that can audit or deny (default: audit)', ['audit', 'deny']))
      .option('--disable-public-access', "include 'Configure Cognitive Services accounts to disable public network access' (Modify) and remediate existing accounts")
      .option('--vnet <name-or-id>', "with --subnet: include 'Configure Cognitive Services accounts with private endpoints' (DeployIfNotExists) for this subnet")
      .option('--subnet <name>', 'subnet of --vnet for the private endpoints the policy deploys')
      .option('--resource-group <name>', 'resource group of --vnet when it is given by name')
      .option('--location <region>', "region of the assignment's managed identity (needed when the initiative remediates)"),
    [
      'secure-docintel policy --subscription $SUB --dry-run',
      'secure-docintel policy --subscription $SUB --effect deny --yes',
      'secure-docintel policy --subscription $SUB --disable-public-access --location eastus --yes -o json',
      'secure-docintel policy --management-group mg-platform --dns-zone-subscription $HUB --dns-zone-resource-group rg-dns --location eastus --yes',
    ],
  ).action((o) => run('policy', o));
  examples(
    options(program.command('undo').description('restore what one recorded run changed, in reverse order (the custom subdomain is permanent; of a policy run: remediations, roles, assignment, set definition, while what a remediation changed stays); itself recorded'), ['change'], { subscription: false })
      .option('--run <id>', 'the run to undo: an id `runs` lists, or the path of a journal file')
      .option('--last', 'the newest recorded run that changed something (undo runs aside)')
      .option('--force', 'also restore resources changed since that run (the plan shows how they differ)'),
    [
      'secure-docintel runs',
      'secure-docintel undo --last --dry-run',
      'secure-docintel undo --run 20261206T101500Z-setup-3fa2 --non-interactive --yes -o json',
      'secure-docintel undo --run 20261206T103000Z-policy-9c1d --dry-run',
    ],
  ).action((o) => run('undo', o));
  examples(
    program
      .command('runs')
      .description('list the recorded runs (id, time, command, targets, writes), newest first')
      .addOption(choice('-o, --output <format>', 'results on stdout', ['text', 'json'], 'text')),
    ['secure-docintel runs', 'secure-docintel runs -o json'],
  ).action((o) => run('runs', o));
  examples(
    options(program.command('export').description("an ARM deployment template (schema 2019-04-01) of the targets' converged posture: review with az deployment group what-if, deploy with az deployment group create"), ['account', 'storage', 'network', 'dnsZones', 'studio'])
      .option('--format <format>', 'template format: arm (for Bicep, run az bicep decompile on the result)')
      .option('--output-file <file>', 'write the template here instead of stdout'),
    [
      'secure-docintel export --format arm --resource-group rg-ai --docintel di-prod --storage sttraining --vnet vnet-spoke --subnet snet-pe --output-file secure-docintel.json',
      'secure-docintel export --format arm ... > template.json && az deployment group what-if --resource-group rg-ai --template-file template.json',
      'az bicep decompile --file template.json   # the same template as Bicep',
    ],
  ).action((o) => run('export', o));
  examples(
    program
      .command('emulator')
      .description('the local Azure Resource Manager emulator (HTTPS) for trying and testing without Azure')
      .option('--port <n>', 'port (0 picks a free one)', '8443')
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--scenario <file|demo|estate>', 'starting state: a scenario JSON file, the built-in demo, or estate (2,000 accounts in 50 subscriptions, for audit)', 'demo')
      .option('--state <file>', 'persist state in this file across restarts')
      .option('--lro-delay-ms <n>', 'how long long-running operations take', '0')
      .option('--replication-delay-ms <n>', 'how long a new managed identity stays invisible to role assignment', '0')
      .option('--ca-file <file>', 'where to write the CA certificate'),
    ['secure-docintel emulator --port 8443', 'secure-docintel emulator --port 0 --scenario my-scenario.json --state .emulator/state.json --lro-delay-ms 1000'],
  ).action((o) => run('emulator', o));
  return program;
}

/** `-o json` anywhere on the command line (also `--output=JSON`, `-oJSON`): errors found while parsing it are reported in JSON too. */
export function wantsJson(args: string[]): boolean {
  let json = false;
  args.forEach((a, i) => {
    const value = a === '-o' || a === '--output' ? args[i + 1] : /^(?:--output=|-o=?)(.+)$/.exec(a)?.[1];
    if (value !== undefined) json = value.toLowerCase() === 'json';
  });
  return json;
}

const PARSE_ERROR_CODES: Record<string, string> = {
  'commander.unknownOption': 'UnknownOption',
  'commander.unknownCommand': 'UnknownCommand',
  'commander.invalidArgument': 'InvalidOptionValue',
  'commander.optionMissingArgument': 'MissingOptionValue',
  'commander.missingArgument': 'MissingArgument',
  'commander.excessArguments': 'UnexpectedArgument',
};

/** Runs one command line (the arguments after the program name); resolves to its exit code. */
export async function runCommandLine(args: string[], io: CommandLineIo = {}): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message already; --help and --version are not errors (help shown for a missing command is)
      if (['commander.helpDisplayed', 'commander.version'].includes(e.code)) return EXIT.ok;
      if (wantsJson(args)) {
        const message = e.message.replace(/^error: /, '');
        const { errorDocument } = await import('./report-error.js');
        (io.stdout ?? process.stdout).write(errorDocument({ exitCode: EXIT.usage, code: PARSE_ERROR_CODES[e.code] ?? 'BadInput', message, fix: 'See --help for the command\'s flags; nothing was written.' }) + '\n');
      }
      return EXIT.usage;
    }
    // Loaded only on failure: `--help` and every successful run start without the error tables.
    const { reportError } = await import('./report-error.js');
    const stderr = io.stderr ?? process.stderr;
    return reportError(e, { write: (s) => stderr.write(s) });
  }
}

export async function main(argv = process.argv): Promise<void> {
  process.exitCode = await runCommandLine(argv.slice(2));
}

export { EXIT };
