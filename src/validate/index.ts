/**
 * `validate` (guide step 6): read-only. Reads the posture, judges it check by check, derives the guide's
 * connections from it, optionally explains an error code and probes the live endpoints, then reports
 * (text table or DESIGN.md JSON; with --graph, the connections drawn in Mermaid or DOT) and exits 0 when
 * nothing failed, 1 otherwise.
 */
import type { Runtime } from '../steps/context.js';
import type { StepContext } from '../steps/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { parseIpv4OrCidr } from '../core/ip.js';
import type { Check, ValidateResult } from './types.js';
import { readPosture } from '../posture/read.js';
import type { Posture } from '../posture/model.js';
import { accountChecks } from './checks/account.js';
import { dnsChecks } from './checks/dns.js';
import { storageChecks } from './checks/storage.js';
import { studioChecks } from './checks/studio.js';
import { trapChecks } from './checks/traps.js';
import { networkChecks } from './checks/network.js';
import { reachability } from './reachability.js';
import { connectionGraph, graphDocument, graphFormatOf } from './graph.js';
import { renderChecks, renderReachability, renderSummary } from './render-text.js';
import { RAW } from '../io/terminal.js';

export interface ValidateOptions {
  fromIp?: string;
  explain?: string;
  probe?: boolean;
  /** mermaid or dot: the connections as a picture */
  graph?: string;
  output?: string;
  /** setup's JSON run: the table goes to stderr, stdout stays one JSON document */
  quietResult?: boolean;
  /** receives the validate document (setup puts it in its own as `validation`) */
  onDocument?: (doc: ValidateResult) => void;
}

function fromIpOf(opts: ValidateOptions): string | undefined {
  if (opts.fromIp === undefined) return undefined;
  const ip = parseIpv4OrCidr(String(opts.fromIp));
  if (!ip || ip.prefix !== 32) throw new UsageError(`--from-ip '${opts.fromIp}' is not an IPv4 address.`, 'Pass the public address of the client to judge, e.g. --from-ip 203.0.113.7.');
  return ip.address;
}

/** Every posture check, in the order the report shows them (audit --deep runs these per account too). */
export function postureChecks(settings: StepContext['settings'], posture: Posture): Check[] {
  return [
    ...accountChecks(settings, posture),
    ...dnsChecks(settings, posture, 'account'),
    ...storageChecks(settings, posture),
    ...dnsChecks(settings, posture, 'blob'),
    ...networkChecks(settings, posture),
    ...studioChecks(settings, posture),
    ...trapChecks(settings, posture),
  ];
}

export async function runValidate(rt: Runtime, ctx: StepContext, rawOpts: Record<string, unknown>): Promise<number> {
  const opts = rawOpts as ValidateOptions;
  const fromIp = fromIpOf(opts);
  const graphFormat = graphFormatOf(opts.graph);
  const settings = ctx.settings;
  const posture = await readPosture(ctx, rt.session.counts.writes > 0);

  const checks: Check[] = postureChecks(settings, posture);
  const rows = reachability(posture, fromIp);

  let explanation: import('./explain.js').Explanation | undefined;
  if (opts.explain) {
    const { explain } = await import('./explain.js');
    explanation = await explain(ctx, posture, String(opts.explain), fromIp);
  }
  if (opts.probe) {
    const { runProbes } = await import('./probe/index.js');
    checks.push(...(await runProbes(rt, ctx, posture, rows, fromIp, typeof rawOpts.probeBlob === "string" ? rawOpts.probeBlob : undefined)));
  }

  const result: ValidateResult & { explain?: unknown } = {
    ok: !checks.some((c) => c.status === 'fail'),
    checks,
    reachability: rows.map(({ from, to, ok, reason }) => ({ from, to, ok, reason })),
    ...(explanation ? { explain: explanation } : {}),
    ...(graphFormat ? { graph: graphDocument(graphFormat, connectionGraph(posture, rows)) } : {}),
  };

  opts.onDocument?.(result);
  const json = opts.output === 'json' && !opts.quietResult;
  if (json) rt.host.result(JSON.stringify(result, null, 2));
  else {
    const { renderExplanation } = await import('./explain.js');
    // With --graph, stdout is the picture alone (to save as .mmd or pipe into `dot -Tsvg`); the report goes to stderr.
    const reportOnStderr = opts.quietResult || !!result.graph;
    const style = rt.host.textStyle?.(reportOnStderr ? 'err' : 'out') ?? RAW;
    const text = [renderChecks(checks, style), renderReachability(rows, rt.settings.allowStudio, style), ...(explanation ? [renderExplanation(explanation)] : []), renderSummary(checks, style)].join('\n\n');
    if (reportOnStderr) rt.host.info(text);
    else rt.host.result(text);
    if (result.graph && !opts.quietResult) rt.host.result(result.graph.source);
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}
