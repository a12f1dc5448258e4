/** The HTTP pieces every part of the server shares: reading a body, answering JSON, ARM's correlation headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function userAgent(req: IncomingMessage): string | undefined {
  const v = req.headers['user-agent'];
  return typeof v === 'string' ? v : undefined;
}

/** The headers ARM puts on every response (BEHAVIOR.md "ARM protocol"). */
export function armHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const corr = req.headers['x-ms-correlation-request-id'];
  return {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': typeof corr === 'string' ? corr : randomUUID(),
    'x-ms-routing-request-id': `EASTUS:${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z:${requestId}`,
    'cache-control': 'no-cache',
    pragma: 'no-cache',
  };
}
