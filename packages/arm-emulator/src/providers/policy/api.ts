import type { ApiVersionPolicy } from '../../arm/router.js';

/** The api-versions Azure Policy and Policy Insights serve here, and who sends them. */
// 2024-05-01: @azure/arm-policy 6.0.0 (and the spec vendored beside the tests); 2021-06-01 and
// 2022-06-01: Azure CLI 2.45's policy commands; the others are still-served stable versions.
export const POLICY_VERSIONS = ['2019-09-01', '2020-09-01', '2021-06-01', '2022-06-01', '2023-04-01', '2024-05-01', '2025-01-01', '2025-03-01'];
export const api = (typeName: string): ApiVersionPolicy => ({ versions: POLICY_VERSIONS, style: 'provider', typeName });
// 2024-10-01: @azure/arm-policyinsights 6.0.0 for policyStates and remediations; 2019-10-01 (states)
// and 2021-10-01 (remediations): Azure CLI 2.45.
export const STATES_API: ApiVersionPolicy = { versions: ['2019-10-01', '2024-10-01'], style: 'provider', typeName: 'policyStates' };
export const REMEDIATIONS_API: ApiVersionPolicy = { versions: ['2019-07-01', '2021-10-01', '2024-10-01'], style: 'provider', typeName: 'remediations' };
