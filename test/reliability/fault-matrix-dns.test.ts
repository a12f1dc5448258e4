/**
 * The fault matrix (fault-matrix.ts) at the second half of its positions: the blob private endpoint,
 * the private DNS zones, their VNet links and the endpoints' zone groups, and every long-running
 * write slowed down. fault-matrix.test.ts runs the first half.
 */
import { faultMatrix, HALVES } from './fault-matrix.js';

faultMatrix(HALVES[1]);
