/** The List Blobs response (`GET /{container}?restype=container&comp=list`) as Azure Storage writes it. */
import { createHash } from 'node:crypto';
import type { ContainerInfo } from './model.js';
import { escapeXml } from './blob-errors.js';

const LAST_MODIFIED = 'Mon, 05 Jan 2026 09:00:00 GMT';

export function listBlobsXml(serviceEndpoint: string, container: ContainerInfo, prefix: string): string {
  const blobs = Object.entries(container.blobs)
    .filter(([name]) => name.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, b]) => {
      const content = Buffer.from(b.base64, 'base64');
      const md5 = createHash('md5').update(content).digest('base64');
      const etag = `0x${createHash('sha1').update(`${container.name}/${name}:${b.base64}`).digest('hex').slice(0, 15).toUpperCase()}`;
      return (
        `<Blob><Name>${escapeXml(name)}</Name><Properties><Creation-Time>${LAST_MODIFIED}</Creation-Time><Last-Modified>${LAST_MODIFIED}</Last-Modified>` +
        `<Etag>${etag}</Etag><Content-Length>${content.length}</Content-Length><Content-Type>${escapeXml(b.contentType ?? 'application/octet-stream')}</Content-Type>` +
        `<Content-Encoding /><Content-Language /><Content-CRC64 /><Content-MD5>${md5}</Content-MD5><Cache-Control /><Content-Disposition />` +
        `<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus>` +
        `<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><OrsPolicies /></Blob>`
      );
    })
    .join('');
  const prefixXml = prefix ? `<Prefix>${escapeXml(prefix)}</Prefix>` : '';
  return `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${escapeXml(serviceEndpoint)}" ContainerName="${escapeXml(container.name)}">${prefixXml}<Blobs>${blobs}</Blobs><NextMarker /></EnumerationResults>`;
}
