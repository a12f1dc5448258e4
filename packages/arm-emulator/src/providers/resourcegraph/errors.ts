/**
 * The errors Microsoft.ResourceGraph answers: always 400 `BadRequest` with Resource Graph's support
 * message and the reason in `details`. Evidence in BEHAVIOR.md "Microsoft.ResourceGraph" (the refused
 * query's body; the `InvalidRequestContent` and `ManagementGroupNotFound` details are `unverified`).
 */
import { ArmError } from '../../arm/errors.js';
import type { ArmRequest } from '../../arm/router.js';

function supportMessage(req: ArmRequest): string {
  return `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${req.requestId}.`;
}

/** A query the parser refuses: `InvalidQuery` then the parser's own detail (`ParserFailure`, line, position, token). */
export function invalidQuery(req: ArmRequest, detail: Record<string, unknown>): ArmError {
  return new ArmError(400, 'BadRequest', supportMessage(req), [
    { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
    detail as never,
  ]);
}

/** A request option (`query`, `$top`, `$skipToken`, `resultFormat`) the service refuses. */
export function invalidRequestOption(req: ArmRequest, message: string): ArmError {
  return new ArmError(400, 'BadRequest', supportMessage(req), [{ code: 'InvalidRequestContent', message }]);
}

export function managementGroupsNotFound(req: ArmRequest, groups: string[]): ArmError {
  return new ArmError(400, 'BadRequest', supportMessage(req), [{ code: 'ManagementGroupNotFound', message: `Management group(s) not found: ${groups.join(', ')}.` }]);
}
