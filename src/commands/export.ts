/**
 * `export --format arm`: the targets' converged posture as an ARM deployment template, on stdout or in
 * `--output-file`. The posture is judged with validate's own checks first: a posture that does not pass
 * them (the demo before setup) is refused, since the template would deploy a half-secured state.
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Runtime, StepContext } from '../steps/context.js';
import { AzureOperationError, EXIT, UsageError } from '../core/errors.js';
import { readPosture } from '../posture/read.js';
import { postureChecks } from '../validate/index.js';
import { readDefinitions } from '../export/definitions.js';
import { armTemplate } from '../export/arm-template.js';
import { rgOf, subscriptionOf } from '../core/resource-id.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** `--format`: ARM only; Bicep comes from the ARM template (az bicep decompile), not a second writer. */
export function exportFormat(value: unknown): 'arm' {
  const v = String(value ?? '').toLowerCase();
  if (v === 'arm') return 'arm';
  if (value === undefined) throw new UsageError('export needs --format.', 'Pass --format arm (an ARM deployment template; `az bicep decompile --file FILE` turns it into Bicep).');
  throw new UsageError(`--format '${String(value)}' is not supported: export writes ARM deployment templates only.`, `Pass --format arm; for Bicep run \`az bicep decompile --file <the exported file>\` on the result.`);
}

/** One resource-group deployment: every target must share the account's subscription and group. */
function sameGroupOrRefuse(ctx: StepContext): void {
  const t = ctx.targets;
  const home = { sub: subscriptionOf(t.account!.id).toLowerCase(), rg: rgOf(t.account!.id).toLowerCase() };
  const others: [string, string][] = [['storage account', t.storage!.id], ['virtual network', t.vnet!.id]];
  const away = others.filter(([, id]) => subscriptionOf(id).toLowerCase() !== home.sub || rgOf(id).toLowerCase() !== home.rg);
  if (ctx.settings.dnsZoneResourceGroup && ctx.settings.dnsZoneResourceGroup.toLowerCase() !== home.rg) away.push(['private DNS zones', `resource group ${ctx.settings.dnsZoneResourceGroup}`]);
  if (ctx.settings.dnsZoneSubscription && ctx.settings.dnsZoneSubscription.toLowerCase() !== home.sub) away.push(['private DNS zones', `subscription ${ctx.settings.dnsZoneSubscription}`]);
  if (away.length) {
    throw new UsageError(
      `export writes one resource-group deployment, but ${away.map(([what, id]) => `the ${what} (${id})`).join(' and ')} ${away.length > 1 ? 'are' : 'is'} not in the account's resource group '${rgOf(t.account!.id)}'. Nothing was written.`,
      'Export a layout whose account, storage account, VNet and private DNS zones share one resource group, or deploy the other groups\' resources with their own templates.',
    );
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`Cannot write --output-file '${file}': ${err.code ?? err.message}.`, 'Pass a path in a directory you can write to.');
  }
}

export async function runExport(rt: Runtime, ctx: StepContext, opts: Record<string, unknown>): Promise<number> {
  exportFormat(opts.format);
  sameGroupOrRefuse(ctx);
  const settings = ctx.settings;
  const posture = await readPosture(ctx, false);
  const checks = postureChecks(settings, posture);
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length) {
    throw new AzureOperationError(
      `The posture of '${posture.account.name}' is not converged, so there is nothing faithful to export (${failed.length} validate check${failed.length > 1 ? 's' : ''} fail: ${failed.map((c) => c.id).join(', ')}). Nothing was written.`,
      'PostureNotConverged',
      'Run `secure-docintel setup` with the same flags (or `secure-docintel validate` to see what differs), then export again.',
    );
  }
  const defs = await readDefinitions(ctx, posture);
  const template = armTemplate(posture, defs, `secure-docintel ${VERSION}`);
  const text = JSON.stringify(template, null, 2) + '\n';
  const file = typeof opts.outputFile === 'string' ? opts.outputFile : undefined;
  if (file) {
    writeAtomically(file, text);
    rt.host.info(`Wrote the ARM template (${template.resources.length} resources) to ${file}. Review it with: az deployment group what-if --resource-group ${rgOf(posture.account.id)} --template-file ${file}`);
    // -o json: still one document on stdout, saying what was written where
    if (settings.output === 'json') rt.host.result(JSON.stringify({ command: 'export', format: 'arm', outputFile: file, resources: template.resources.map((r) => ({ type: r.type, name: r.name })) }, null, 2));
  } else rt.host.result(text.trimEnd());
  return EXIT.ok;
}
