/** Finding the storage account a request's path names. */
import type { ArmRequest } from '../../arm/router.js';
import type { EmulatorContext } from '../../context.js';
import type { Resource } from '../../state.js';
import { resourceNotFound } from '../../arm/errors.js';
import { resourceGroupScope } from '../../arm/ids.js';
import { ACCOUNT_TYPE } from './api.js';

export function accountId(req: ArmRequest): string {
  return `${resourceGroupScope(req.params.subscriptionId, req.params.resourceGroupName)}/providers/Microsoft.Storage/storageAccounts/${req.params.accountName}`;
}

export function findAccount(ctx: EmulatorContext, req: ArmRequest): Resource {
  const account = ctx.state.get(accountId(req));
  if (!account) throw resourceNotFound(ACCOUNT_TYPE, req.params.accountName, req.params.resourceGroupName);
  return account;
}
