/** `validate` (placeholder until the validate module lands): reports the posture and exits 0/1. */
import type { Runtime } from '../commands/bootstrap.js';
import type { StepContext } from '../steps/context.js';

export async function runValidate(rt: Runtime, ctx: StepContext, _opts: Record<string, unknown>): Promise<number> {
  rt.host.info('validate: not implemented yet');
  void ctx;
  return 0;
}
