/**
 * What the product may know about the emulator beside `index.ts`: the names it uses on the wire.
 * Product code (the CLI's src/**) imports only this module and `index.ts` of this package
 * (eslint.config.js enforces it). Names only: this module imports nothing, so the product bundle
 * does not pull the emulator in through it.
 */

/** Request header: the data-plane caller is on the public internet at this IPv4 address. */
export const CLIENT_IP_HEADER = 'x-emulator-client-ip';
/** Request header: the data-plane caller sits in this subnet (a subnet resource id). */
export const SOURCE_SUBNET_HEADER = 'x-emulator-source-subnet';
/** Response header on the emulator's "nothing answers at that address" reply (503), naming the address or `nxdomain`. */
export const UNREACHABLE_HEADER = 'x-emulator-unreachable';
/** Error code of that reply: not an Azure code, the emulator's stand-in for a failed connection. */
export const UNREACHABLE_CODE = 'EmulatorHostUnreachable';
