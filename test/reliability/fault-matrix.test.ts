/**
 * The fault matrix (fault-matrix.ts) at the first half of its positions: the clean run that checks
 * the table of writes, and the writes to the account, the storage account, the role assignment, the
 * subnet and the account's private endpoint. fault-matrix-dns.test.ts runs the other half.
 */
import { faultMatrix, HALVES } from './fault-matrix.js';

faultMatrix(HALVES[0]);
