/**
 * "No" to the permanent custom subdomain is not the end of the run: the user may choose another
 * name, or apply the steps that need no subdomain (identity, storage firewall, role) and stop
 * before the private endpoints.
 */
import type { Change, StepPlan } from '../plan/types.js';
import type { StepContext } from '../steps/context.js';
import { askSubdomainName } from './questions.js';

/** Steps that place or prepare the private endpoints: they need the subdomain. */
const ENDPOINT_STEPS = new Set(['virtual-network', 'subnet-policies', 'private-endpoint']);

export interface DeclineOutcome {
  /** set when the user chose to stop before the private endpoints */
  stoppedBeforeEndpoints: boolean;
}

export function subdomainDeclined(
  ctx: StepContext,
  command: string,
  replan: () => Promise<StepPlan[][]>,
  current: () => StepPlan[][],
  outcome: DeclineOutcome,
): (change: Change) => Promise<StepPlan[][] | undefined> {
  return async (change) => {
    if (!ctx.settings.interactive || change.property !== 'properties.customSubDomainName') return undefined;
    const before = current()
      .flat()
      .filter((p) => !ENDPOINT_STEPS.has(p.id));
    const choices = [
      { name: 'Choose another subdomain name', value: 'rename' as const },
      ...(command === 'setup' && before.length
        ? [{ name: `Apply the steps before the private endpoints (${before.map((p) => p.title.toLowerCase()).join('; ')}) and stop there`, value: 'before' as const }]
        : []),
      { name: 'Stop here; write nothing', value: 'stop' as const },
    ];
    const way = await ctx.host.select({ id: 'subdomainDeclined', message: `Without the subdomain '${String(change.after)}', how do you want to go on?`, choices, default: 'rename' });
    if (way === 'stop') return undefined;
    if (way === 'rename') {
      ctx.settings.customSubdomain = await askSubdomainName(ctx, '', String(change.after));
      return replan();
    }
    outcome.stoppedBeforeEndpoints = true;
    return current()
      .map((phase) => phase.filter((p) => !ENDPOINT_STEPS.has(p.id)))
      .filter((phase) => phase.length);
  };
}
