/**
 * The exact create request Generate would send, with nothing sent: method, URL and the JSON body in
 * the order it goes out, each data URI replaced by `{ dataUri: true, mime, bytes, sha256 }` (its type,
 * decoded size and the SHA-256 of its bytes), as the simulator's request log records them too.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileDataUri } from './requestBody';
import type { CreateVideoRequest } from './schemas';

export interface DataUriSummary {
  dataUri: true;
  mime: string;
  bytes: number;
  sha256: string;
}

export interface RequestPreview {
  method: 'POST';
  url: string;
  body: unknown;
}

export async function previewCreateRequest(url: string, body: CreateVideoRequest): Promise<RequestPreview> {
  return { method: 'POST', url, body: await summarize(body) };
}

async function summarize(value: unknown): Promise<unknown> {
  if (value instanceof FileDataUri) return { dataUri: true, mime: value.mime, bytes: value.bytes, sha256: await fileSha256(value.path) } satisfies DataUriSummary;
  if (typeof value === 'string') return summarizeDataUri(value) ?? value;
  if (Array.isArray(value)) return Promise.all(value.map(summarize));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = await summarize(inner);
    return out;
  }
  return value;
}

/** A `data:<mime>;base64,…` string as its summary; undefined for any other string. */
export function summarizeDataUri(text: string): DataUriSummary | undefined {
  const match = /^data:([^;,]*)(;[^,]*)?,/i.exec(text);
  if (!match) return undefined;
  const payload = text.slice(match[0].length);
  const bytes = /;base64/i.test(match[2] ?? '') ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  return { dataUri: true, mime: match[1] || 'text/plain', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
