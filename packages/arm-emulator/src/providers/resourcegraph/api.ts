import type { ApiVersionPolicy } from '../../arm/router.js';

/** The api-versions of the Resource Graph query endpoint (@azure/arm-resourcegraph 5.0.0-beta.4 sends 2021-06-01-preview). */
export const API: ApiVersionPolicy = { style: 'provider', typeName: 'resources', versions: ['2019-04-01', '2020-04-01-preview', '2021-03-01', '2021-06-01-preview', '2022-10-01', '2024-04-01'], locations: ['global'] };
