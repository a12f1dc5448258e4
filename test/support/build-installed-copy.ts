/**
 * vitest global set-up of the projects whose tests run the installed bin: builds the copy once
 * before any test file starts, so files in different workers never build the same sources twice.
 */
import { installedCopy } from './installed-copy.js';

export default function setup(): void {
  installedCopy();
}
