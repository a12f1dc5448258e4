/**
 * A throw-away certificate authority and a server certificate it signs, made at start.
 * The server certificate names the address it listens on (every interface's address and the
 * machine's name for 0.0.0.0 or ::), loopback, and the Azure data-plane hosts, so that clients
 * whose resolver maps those names to the emulator can verify it.
 */
import { hostname, networkInterfaces } from 'node:os';
import { generate } from 'selfsigned';
import { isIpLiteral, isUnspecified } from './arm/ipv4.js';

export interface Certificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

export const DATA_PLANE_HOST_PATTERNS = [
  '*.cognitiveservices.azure.com',
  '*.privatelink.cognitiveservices.azure.com',
  '*.blob.core.windows.net',
  '*.privatelink.blob.core.windows.net',
  '*.cognitiveservices.azure.us',
  '*.blob.core.usgovcloudapi.net',
  '*.cognitiveservices.azure.cn',
  '*.blob.core.chinacloudapi.cn',
];

export async function makeCertificates(host: string): Promise<Certificates> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600_000);
  // ECDSA P-256 keys: both certificates in ~50 ms where RSA 2048 took 400-800 ms of every emulator's start on a
  // 2-core machine; Node and Debian's azure-cli 2.45 (Python, OpenSSL) connect with them (test/azure-cli).
  const ca = await generate([{ name: 'commonName', value: 'secure-docintel emulator CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
    ...DATA_PLANE_HOST_PATTERNS.map((value) => ({ type: 2 as const, value })),
  ];
  for (const name of listenNames(host)) {
    const entry = isIpLiteral(name) ? { type: 7 as const, ip: name.replace(/^\[|\]$/g, '') } : { type: 2 as const, value: name };
    if (!altNames.some((a) => a.ip === entry.ip && a.value === entry.value)) altNames.push(entry);
  }
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true }, // an ECDSA key signs the handshake; it enciphers nothing
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private };
}

/** The names clients may use for the listen address. */
function listenNames(host: string): string[] {
  if (!isUnspecified(host)) return [host];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.replace(/%.*$/, '')));
  return [hostname(), ...addresses];
}
