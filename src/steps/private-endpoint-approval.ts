/** Telling a target's owner how to approve a connection the caller may not approve (the approval itself is a Write). */
import type { StepContext } from './context.js';
import { arm } from './context.js';
import type { PrivateLinkService } from '../core/cloud.js';
import { nameOf, rgOf, sameId, subscriptionOf } from '../core/resource-id.js';
import type { ConnectionRef } from '../posture/endpoints.js';
import { approveCommand } from '../posture/approval.js';

interface Target {
  service: PrivateLinkService;
  targetId: string;
  targetName: string;
  connections: ConnectionRef[];
}

/** What to tell the target's owner: the connection (read from the target) and the command that approves it. */
export async function pendingNote(ctx: StepContext, t: Target, peId: string): Promise<string> {
  let connectionId = t.connections.find((c) => sameId(c.privateEndpointId, peId))?.id;
  if (!connectionId) {
    const sub = subscriptionOf(t.targetId);
    if (t.service === 'account') {
      const cog = await ctx.session.cognitive(sub);
      const list = await arm(`listing private endpoint connections of ${t.targetId}`, () => cog.privateEndpointConnections.list(rgOf(t.targetId), t.targetName));
      connectionId = list.value?.find((c) => sameId(c.properties?.privateEndpoint?.id, peId))?.id;
    } else {
      const st = await ctx.session.storage(sub);
      await arm(`listing private endpoint connections of ${t.targetId}`, async () => {
        for await (const c of st.privateEndpointConnections.list(rgOf(t.targetId), t.targetName)) if (sameId(c.privateEndpoint?.id, peId)) connectionId = c.id;
      });
    }
  }
  return `The connection of private endpoint ${nameOf(peId)} to ${t.targetName} is Pending: no traffic flows until the owner of ${t.targetName} approves it with:\n  ${approveCommand(connectionId ?? `${t.targetId}/privateEndpointConnections/<name>`)}`;
}

