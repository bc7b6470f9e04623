/**
 * Request bodies that carry files as data URIs without holding them in memory
 * (docs/decisions.md, "Streamed request bodies").
 */
import { open } from 'node:fs/promises';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';

/**
 * Base64 is made in pieces of this many bytes: a multiple of 3, so every piece encodes without
 * padding, and small enough (120 KB of text) that V8 allocates the text in its young generation, which
 * is collected promptly; megabyte strings would wait in large-object space for a full collection.
 */
const ENCODE_PIECE = 3 * 30 * 1024;

/**
 * Bytes read from the disk per step, into one buffer that is reused: a dozen pieces, since each read
 * is a round trip to libuv's thread pool (one read per piece sent a 13 MB body ~5 % slower).
 */
const READ_CHUNK = 12 * ENCODE_PIECE;

/** A file that goes into a JSON body as `data:<mime>;base64,<its bytes>`, read only while sending. */
export class FileDataUri {
  constructor(
    readonly path: string,
    readonly mime: string,
    /** The file's size when it was checked; the bytes sent must be exactly these. */
    readonly bytes: number,
    /** How messages and logs name it (the workspace-relative path). */
    readonly label: string,
  ) {}

  get prefix(): string {
    return `data:${this.mime};base64,`;
  }

  /** The length of the data URI in the body. */
  get encodedLength(): number {
    return this.prefix.length + 4 * Math.ceil(this.bytes / 3);
  }

  /** What JSON.stringify writes for it outside a request (logs, duplicate keys): never the data. */
  toJSON(): string {
    return `${this.prefix}<${this.bytes} bytes of ${this.label}>`;
  }

  /** The data URI's base64 text, chunk by chunk, read from the file as it is sent. */
  async *chunks(): AsyncGenerator<BodyChunk> {
    yield this.prefix;
    const handle = await open(this.path, 'r').catch((error: unknown) => {
      throw new OmniVideoError('filesystem', l10n.t('Could not read {0}: {1}', this.label, (error as Error).message), { cause: error });
    });
    try {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      let sent = 0;
      while (sent < this.bytes) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_CHUNK, this.bytes - sent), sent);
        if (bytesRead === 0) break;
        for (let at = 0; at < bytesRead; at += ENCODE_PIECE) yield buffer.toString('base64', at, Math.min(at + ENCODE_PIECE, bytesRead));
        sent += bytesRead;
      }
      const { size } = await handle.stat();
      if (sent !== this.bytes || size !== this.bytes) {
        throw new OmniVideoError(
          'filesystem',
          l10n.t('{0} changed while it was being sent ({1} bytes now, {2} when checked). Nothing was generated; try again.', this.label, size, this.bytes),
        );
      }
    } finally {
      await handle.close();
    }
  }
}

/**
 * A piece of a streamed body. Base64 text stays a string: the socket copies a string into memory it
 * frees as soon as the write is done, where a Buffer made from it waits for the garbage collector
 * (`npm run bench`, a 10 MB clip: 4 MB of peak growth instead of 7 MB).
 */
export type BodyChunk = Buffer | string;

/** A body sent as a stream of known length (in bytes; every string chunk is ASCII). */
export interface StreamedBody {
  length: number;
  chunks(): AsyncIterable<BodyChunk>;
}

/**
 * `value` as JSON: a string when it holds no file, else a stream in which every FileDataUri is read
 * and encoded as it is sent. The stream can be opened again (a redirect that keeps the method).
 */
export function jsonBody(value: unknown): string | StreamedBody {
  const files: FileDataUri[] = [];
  const marker = `@@omni-video-file-${Math.random().toString(36).slice(2)}@@`;
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    const original = this[key];
    if (original instanceof FileDataUri) {
      files.push(original);
      return `${marker}${files.length - 1}${marker}`;
    }
    return replaced;
  });
  if (files.length === 0) return json;
  // "…"@@m@@0@@m@@"…" → text pieces around each file's data URI (the quotes stay in the text).
  const pieces = json.split(new RegExp(`${marker}(\\d+)${marker}`));
  const texts = pieces.filter((_, i) => i % 2 === 0).map((text) => Buffer.from(text, 'utf8'));
  const order = pieces.filter((_, i) => i % 2 === 1).map(Number);
  const length = texts.reduce((sum, text) => sum + text.length, 0) + order.reduce((sum, index) => sum + files[index].encodedLength, 0);
  return {
    length,
    async *chunks() {
      for (let i = 0; i < texts.length; i++) {
        yield texts[i];
        if (i < order.length) yield* files[order[i]].chunks();
      }
    },
  };
}

/** The whole data URI as a string (tests and small files only: this is what streaming avoids). */
export async function dataUriText(value: string | FileDataUri): Promise<string> {
  if (typeof value === 'string') return value;
  let text = '';
  for await (const chunk of value.chunks()) text += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
  return text;
}
