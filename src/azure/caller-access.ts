/**
 * The signed-in caller's effective permissions, read from `Microsoft.Authorization/permissions` once
 * per scope: a resource group (for resources a plan will create) or an existing resource (child
 * resources read at their parent, e.g. a subnet at its VNet's `subnets` child). Each read uses a
 * client of the scope's own subscription.
 */
import type { AuthorizationManagementClient, Permission } from '@azure/arm-authorization';
import type { ArmSession } from './session.js';
import { resourceGroupId, rgOf, subscriptionOf } from '../core/resource-id.js';
import { isNotFound } from '../posture/not-found.js';
import { permitsAction } from '../posture/roles.js';
import { explainAzureError } from './remedies.js';
import { listPages } from './arm-resource.js';

export class CallerAccess {
  private readonly reads = new Map<string, Promise<Permission[]>>();

  constructor(private readonly session: ArmSession) {}

  /** The permission entries that apply at `scope`; rejects with the ARM error (e.g. ResourceGroupNotFound) when it cannot be read. */
  permissionsAt(scope: string): Promise<Permission[]> {
    const key = scope.toLowerCase();
    let p = this.reads.get(key);
    if (!p) {
      p = this.read(scope);
      this.reads.set(key, p);
    }
    return p;
  }

  /** For a resource not made yet: what the caller may do at the resource group it will be made in. */
  permissionsWhereMade(scope: string): Promise<Permission[]> {
    return this.permissionsAt(resourceGroupId(subscriptionOf(scope), rgOf(scope)));
  }

  async can(action: string, scope: string): Promise<boolean> {
    return permitsAction(await this.permissionsAt(scope), action);
  }

  private async read(scope: string): Promise<Permission[]> {
    const auth = await this.session.authorization(subscriptionOf(scope));
    if (/^\/subscriptions\/[^/]+$/i.test(scope)) return this.readAtSubscription(auth, scope);
    const rg = rgOf(scope);
    const out: Permission[] = [];
    const m = /\/providers\/([^/]+)\/(.+)$/i.exec(scope);
    const iterate = () => {
      if (!m) return auth.permissions.listForResourceGroup(rg);
      const parts = m[2].split('/');
      const resourceName = parts.pop()!;
      const resourceType = parts.pop()!;
      return auth.permissions.listForResource(rg, m[1], parts.join('/'), resourceType, resourceName);
    };
    try {
      for await (const p of iterate()) out.push(p);
    } catch (e) {
      if (isNotFound(e) || (e as { code?: string }).code === 'SubscriptionNotFound') throw e;
      throw explainAzureError(e, `reading the caller's permissions at ${scope}`);
    }
    return out;
  }

  /**
   * At a subscription (policy assignments live there): ARM serves `{subscription}/providers/
   * Microsoft.Authorization/permissions` as it does below, but the SDK has no operation for it.
   */
  private async readAtSubscription(auth: AuthorizationManagementClient, scope: string): Promise<Permission[]> {
    try {
      return await listPages<Permission>(auth, `${this.session.endpoint}${scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`);
    } catch (e) {
      if (isNotFound(e) || (e as { code?: string }).code === 'SubscriptionNotFound') throw e;
      throw explainAzureError(e, `reading the caller's permissions at ${scope}`);
    }
  }
}
