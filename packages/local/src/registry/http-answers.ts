import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small answers the registry's routes share: JSON bodies, Registry v2 error bodies, bounded request bodies. */
export const V2_HEADER = { 'docker-distribution-api-version': 'registry/2.0' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

/** `{"errors":[{code,message,detail}]}` as the Registry v2 API answers errors. */
export function sendV2Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  detail: unknown = {},
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { errors: [{ code, message, detail }] }, { ...V2_HEADER, ...headers });
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
