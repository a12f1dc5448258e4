/** Azure Storage's error wire format: an XML `<Error>` body and the `x-ms-error-code` header. */
import type { ServerResponse } from 'node:http';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sendStorageError(
  res: ServerResponse,
  method: string,
  headers: Record<string, string>,
  error: { status: number; code: string; message: string; detail?: string },
): void {
  const requestId = headers['x-ms-request-id'];
  const message = `${error.message}\nRequestId:${requestId}\nTime:${new Date().toISOString().replace('Z', '0000Z')}`;
  const detail = error.detail ? `<AuthenticationErrorDetail>${escapeXml(error.detail)}</AuthenticationErrorDetail>` : '';
  const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(message)}</Message>${detail}</Error>`;
  const out = { ...headers, 'x-ms-error-code': error.code, 'content-type': 'application/xml' };
  if (method === 'HEAD') {
    res.writeHead(error.status, out);
    res.end();
    return;
  }
  res.writeHead(error.status, { ...out, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
