/** An ARM error response: `{ error: { code, message, details } }` with the status Azure uses. */
export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ArmErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: ArmErrorDetail } {
    const error: ArmErrorDetail = { code: this.code, message: this.message };
    if (this.details.length) error.details = this.details;
    return { error };
  }
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(resourceGroup: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

export function subscriptionNotFound(subscriptionId: string): ArmError {
  return new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
}

/** ARM's answer to a PUT without `location` for a tracked resource (every provider). */
export function locationRequired(): ArmError {
  return new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
}

export function invalidRequestContent(message: string): ArmError {
  return new ArmError(400, 'InvalidRequestContent', message);
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

export function conflict(code: string, message: string): ArmError {
  return new ArmError(409, code, message);
}
