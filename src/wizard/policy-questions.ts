/**
 * The choices `policy` leaves to the user, asked in an interactive run when no flag gave them: the
 * effect of the audit-or-deny definitions, whether to include the Modify definition that disables
 * public network access, and (when something remediates) the region of the assignment's identity.
 */
import type { IoHost } from '../io/host.js';
import type { Settings } from '../core/settings.js';

export interface PolicyAnswers {
  effect?: string;
  disablePublicAccess: boolean;
}

export async function askPolicyChoices(host: IoHost, settings: Settings, given: { effect?: string }): Promise<PolicyAnswers> {
  const ask = settings.interactive && !settings.yes;
  let effect = given.effect;
  let disablePublicAccess = settings.disablePublicAccess;
  if (ask && effect === undefined) {
    effect = await host.select({
      id: 'policyEffect',
      message: 'Effect of the definitions that can audit or deny (managed identity, network restrictions, trusted services)',
      choices: [
        { name: 'audit — report non-compliant resources, change nothing', value: 'audit' },
        { name: 'deny — also refuse new or updated resources that break the posture', value: 'deny', description: 'a pipeline that creates open accounts fails with RequestDisallowedByPolicy' },
      ],
      default: 'audit',
    });
  }
  if (ask && !settings.given.has('disablePublicAccess')) {
    disablePublicAccess = await host.confirm({
      id: 'policyDisablePublicAccess',
      message: "Also set publicNetworkAccess Disabled on every Cognitive Services account in scope (Modify; existing accounts are remediated now; the Studio stops working for them)?",
      default: false,
    });
  }
  return { effect, disablePublicAccess };
}

export async function askIdentityLocation(host: IoHost, settings: Settings): Promise<string | undefined> {
  if (settings.location || !settings.interactive || settings.yes) return settings.location;
  return host.input({
    id: 'policyLocation',
    message: "Region of the assignment's managed identity (its remediation runs as it)",
    default: 'eastus',
    validate: (v) => (/^[a-z][a-z0-9]{2,30}$/.test(v.trim().toLowerCase()) ? true : 'An Azure region name, e.g. eastus or westeurope.'),
  });
}
