import type { AuthorizationManagementClient, RoleDefinition } from '@azure/arm-authorization';
import { BUILT_IN_BLOB_ROLES } from './roles.js';
import { arm } from './not-found.js';

/** A role definition by id, from the built-in table when its permissions are fixed, else read once per run. */
export async function roleDefinition(auth: AuthorizationManagementClient, roleDefinitionId: string, cache: Map<string, RoleDefinition>): Promise<RoleDefinition> {
  const key = roleDefinitionId.toLowerCase();
  const known = BUILT_IN_BLOB_ROLES[key.split('/').pop()!];
  if (known) return known;
  if (!cache.has(key)) cache.set(key, await arm(`reading role definition ${roleDefinitionId}`, () => auth.roleDefinitions.getById(roleDefinitionId)));
  return cache.get(key)!;
}
