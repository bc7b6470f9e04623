import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import type { Dispatcher } from 'undici';
import { undici } from './undiciLoader';
import type { z } from 'zod';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { CONNECT_ERROR_CODES, isLoopbackHost } from '../common/network';
import { startsLikeMp4 } from '../media/signatures';
import { redactDataUris, silentLogger, type Logger } from '../common/logger';
import { jsonBody, type StreamedBody } from './requestBody';
import { errorEnvelopeSchema, serverErrorText, videoJobSchema, type CreateVideoRequest, type VideoJob } from './schemas';

export interface ApiClientOptions {
  /** e.g. `https://models.kapon.cloud/v1`; the token is only ever sent to this origin. */
  baseUrl: string;
  /** Resolves the bearer token at request time (it can change while jobs run). */
  getToken: () => Promise<string | undefined>;
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Time to wait for response headers and between body chunks. */
  requestTimeoutMs?: number;
  userAgent?: string;
}

export interface DownloadResult {
  bytes: number;
  contentType?: string;
}

const MAX_REDIRECTS = 5;
/** How many times one download resumes after a dropped connection before giving up for this round. */
const MAX_RESUMES = 3;
const MAX_ERROR_BODY = 64 * 1024;

/** The dispatcher of clients given none (tests, the bench), shared as undici's global one would be. */
let defaultDispatcher: Dispatcher | undefined;

/**
 * The only module that talks to the omni-fast API. It never imports `vscode`, parses every answer with
 * zod, and turns every failure into an OmniVideoError with a message a user can act on.
 */
export class OmniVideoClient {
  private readonly baseUrl: URL;
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl);
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  get origin(): string {
    return this.baseUrl.origin;
  }

  /** Where `createVideo` sends its request. */
  get videosUrl(): string {
    return this.url('videos').href;
  }

  /** `POST /videos`. Never retried here: every accepted call is billed. */
  async createVideo(body: CreateVideoRequest, signal?: AbortSignal): Promise<VideoJob> {
    // Files are read and base64-encoded while the body is sent (requestBody.ts); the log line shows
    // them, and any inline data URI, as their type and size.
    this.logger.info(`POST ${this.url('videos')} ${redactDataUris(JSON.stringify(body)).slice(0, 2000)}`);
    const response = await this.send('POST', this.url('videos'), { body: jsonBody(body), signal, contentType: 'application/json' });
    return this.parseJob(await this.readJson(response, 'POST /videos'), 'POST /videos');
  }

  /** `GET /videos/{id}`. */
  async getVideo(id: string, signal?: AbortSignal): Promise<VideoJob> {
    const response = await this.send('GET', this.url(`videos/${encodeURIComponent(id)}`), { signal });
    const job = this.parseJob(await this.readJson(response, 'GET /videos/{id}'), 'GET /videos/{id}');
    if (job.id !== id) {
      this.logger.warn(`GET /videos/${id} answered id ${job.id}; keeping ${id}`);
    }
    return { ...job, id };
  }

  /**
   * `GET /videos/{id}/content`, following redirects (without the token on another origin), streamed to
   * a temporary file beside `destination` and renamed into place only when complete and an MP4. A
   * dropped connection resumes with `Range` and `If-Range` (the first answer's ETag or Last-Modified),
   * and only from the same object; otherwise it starts again from zero (docs/decisions.md, "Resumes
   * that cannot splice two objects").
   */
  async downloadContent(
    id: string,
    destination: string,
    options: { signal?: AbortSignal; onProgress?: (received: number, total?: number) => void } = {},
  ): Promise<DownloadResult> {
    const url = this.url(`videos/${encodeURIComponent(id)}/content`);
    const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}-${Date.now()}.part`);
    let received = 0;
    let total: number | undefined;
    let contentType: string | undefined;
    // What the bytes on disk were cut from: the first answer's strong ETag or Last-Modified. A resume
    // asks for the rest only if the object is still that one (If-Range), and never splices two.
    let validator: RangeValidator | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        const resuming = received > 0;
        const response = await this.send('GET', url, {
          signal: options.signal,
          accept: 'video/mp4,*/*',
          range: resuming ? `bytes=${received}-` : undefined,
          ifRange: resuming ? validator!.value : undefined,
        });
        if (resuming && !(resumesAt(response, received, total) && validator!.matches(response))) {
          if (response.statusCode === 206) {
            // A part of another object (or of another length): not written, asked for whole again.
            await response.body.dump();
            this.logger.warn(`The server answered the resume of ${id} at byte ${received} with a part of a changed object (${headerValue(response.headers['content-range']) ?? 'no Content-Range'}); downloading it again from the start.`);
            received = 0;
            if (attempt >= MAX_RESUMES) throw new OmniVideoError('download', l10n.t('The stored video of {0} kept changing while it was downloaded. It will be retried.', id));
            continue;
          }
          this.logger.info(`The server did not resume ${id} at byte ${received} (${response.statusCode}); downloading it again from the start.`);
          received = 0;
        }
        if (received === 0) {
          total = parseContentLength(response.headers['content-length']);
          contentType = headerValue(response.headers['content-type']);
          validator = rangeValidator(response.headers);
        }
        const file = createWriteStream(temporary, { flags: received > 0 ? 'a' : 'w', highWaterMark: 1024 * 1024 });
        try {
          // No transform between the socket and the file: each stage costs time per chunk. Progress
          // is read from the file stream's count instead.
          const start = received;
          const progress = options.onProgress && setInterval(() => options.onProgress!(start + file.bytesWritten, total), 250);
          try {
            await writeBody(response.body, file, options.signal);
          } finally {
            if (progress) clearInterval(progress);
          }
          received = (await stat(temporary)).size;
          break;
        } catch (error) {
          // Wait for the file to close before measuring it, or the resumed bytes would be appended
          // after a stale length.
          if (!file.closed) await once(file, 'close').catch(() => undefined);
          if (options.signal?.aborted) throw new OmniVideoError('cancelled', l10n.t('The download was cancelled.'));
          if (isFilesystemError(error)) throw new OmniVideoError('filesystem', writeFailure(destination, error, received + file.bytesWritten, total), { cause: error });
          // What reached the disk is what counts, whatever passed through the stream.
          received = await stat(temporary).then((s) => s.size, () => 0);
          if (received > 0 && !validator) {
            // Nothing tells whether the object will be the same one: start again rather than splice.
            this.logger.info(`The download of ${id} has no ETag or Last-Modified to resume against; it starts again from zero.`);
            received = 0;
          }
          if (attempt >= MAX_RESUMES) {
            throw new OmniVideoError('network', l10n.t('The download of {0} kept being interrupted ({1} bytes received). It will be retried.', id, received), { cause: error });
          }
          this.logger.warn(`The download of ${id} was interrupted after ${received} bytes (${(error as Error).message}); resuming.`);
        }
      }
      if (total !== undefined && received !== total) {
        throw new OmniVideoError('download', l10n.t('The download of {0} was incomplete ({1} of {2} bytes). It will be retried.', id, received, total));
      }
      if (!(await looksLikeMp4(temporary))) {
        throw new OmniVideoError('download', l10n.t('The server sent something that is not an MP4 video for {0} ({1}).', id, contentType ?? l10n.t('no content type')));
      }
      await rename(temporary, destination).catch((error: unknown) => {
        throw new OmniVideoError('filesystem', l10n.t('Could not save {0}: {1}', destination, (error as Error).message), { cause: error });
      });
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
    options.onProgress?.(received, total);
    this.logger.info(`Saved ${id} to ${destination} (${received} bytes)`);
    return { bytes: received, contentType };
  }

  /** Where requests go: the dispatcher given (the proxy-aware one, in the extension), else one of our own. */
  private dispatcher(): Dispatcher {
    return this.options.dispatcher ?? (defaultDispatcher ??= new (undici().Agent)());
  }

  private url(relative: string): URL {
    const base = this.baseUrl.href.endsWith('/') ? this.baseUrl.href : `${this.baseUrl.href}/`;
    return new URL(relative, base);
  }

  /**
   * Sends a request and follows redirects by hand, so that `Authorization` is only ever sent to the
   * configured origin. Non-2xx answers become typed errors.
   */
  private async send(
    method: 'GET' | 'POST',
    url: URL,
    options: { body?: string | StreamedBody; signal?: AbortSignal; contentType?: string; accept?: string; range?: string; ifRange?: string },
  ): Promise<Dispatcher.ResponseData> {
    const token = await this.options.getToken();
    if (!token) throw new OmniVideoError('auth', l10n.t('No API key is set. Run "Omni Video: Set API Key".'));
    let current = url;
    let currentMethod = method;
    let body = options.body;
    for (let hop = 0; ; hop++) {
      const sameOrigin = current.origin === this.baseUrl.origin;
      const headers: Record<string, string> = {
        accept: options.accept ?? 'application/json',
        'user-agent': this.options.userAgent ?? 'omni-video-vscode',
      };
      if (sameOrigin) headers.authorization = `Bearer ${token}`;
      if (options.range) headers.range = options.range;
      if (options.range && options.ifRange) headers['if-range'] = options.ifRange;
      if (body !== undefined && options.contentType) headers['content-type'] = options.contentType;
      if (body !== undefined && typeof body !== 'string') headers['content-length'] = String(body.length);
      let response: Dispatcher.ResponseData;
      try {
        response = await this.dispatcher().request({
          origin: current.origin,
          path: `${current.pathname}${current.search}`,
          method: currentMethod as Dispatcher.HttpMethod,
          headers,
          // undici takes an async iterable as a body (documented; its typings lag). Unlike a Readable,
          // which would turn each base64 string into a Buffer, it hands the strings to the socket.
          body: body === undefined || typeof body === 'string' ? body : (body.chunks() as unknown as Readable),
          signal: options.signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (error) {
        if (error instanceof OmniVideoError) throw error; // from the body stream: a file could not be read
        throw this.transportError(error, currentMethod, current, options.signal);
      }
      const status = response.statusCode;
      this.logger.debug(`${currentMethod} ${current.origin}${current.pathname} → ${status}`);
      if (status >= 300 && status < 400 && status !== 304) {
        await response.body.dump();
        const location = headerValue(response.headers.location);
        if (!location) throw new OmniVideoError('invalidResponse', l10n.t('The server answered {0} without a Location to follow.', status), { status });
        if (hop >= MAX_REDIRECTS) throw new OmniVideoError('invalidResponse', l10n.t('Too many redirects (more than {0}).', MAX_REDIRECTS), { status });
        const next = new URL(location, current);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') {
          throw new OmniVideoError('invalidResponse', l10n.t('Refusing a redirect to {0} URL.', next.protocol), { status });
        }
        if (current.protocol === 'https:' && next.protocol === 'http:' && !isLoopbackHost(next.hostname)) {
          throw new OmniVideoError('invalidResponse', l10n.t('Refusing a redirect from HTTPS to plain HTTP.'), { status });
        }
        if (status === 303 || ((status === 301 || status === 302) && currentMethod === 'POST')) {
          currentMethod = 'GET';
          body = undefined;
        }
        current = next;
        continue;
      }
      if (status >= 200 && status < 300) return response;
      throw await this.statusError(response, currentMethod, url, token, sameOrigin ? undefined : current);
    }
  }

  private transportError(error: unknown, method: string, url: URL, signal?: AbortSignal): OmniVideoError {
    if (signal?.aborted) return new OmniVideoError('cancelled', l10n.t('The request was cancelled.'), { cause: error });
    const code = (error as { code?: string })?.code ?? '';
    const message = (error as Error)?.message ?? String(error);
    const where = `${method} ${url.origin}${url.pathname}`;
    this.logger.warn(`${where} failed: ${code} ${message}`);
    // undici's ProxyAgent: the proxy answered the CONNECT with something other than 200, or 407.
    const refused = /Proxy response \((\d{3})\)|Proxy Authentication Required \((407)\)/.exec(message);
    if (refused) return proxyRefused(Number(refused[1] ?? refused[2]), url, error);
    // A connection error about another endpoint than the target: the proxy itself is down or unknown.
    const peer = error as { address?: string; port?: number; hostname?: string };
    const elsewhere = (peer.port !== undefined && String(peer.port) !== effectivePort(url)) || (peer.hostname !== undefined && peer.hostname !== url.hostname);
    if (CONNECT_ERROR_CODES.has(code) && elsewhere) {
      const proxy = `${peer.hostname ?? peer.address ?? ''}${peer.port === undefined ? '' : `:${peer.port}`}`;
      return new OmniVideoError(
        'proxy',
        l10n.t('Could not reach the proxy {0} ({1}) on the way to {2}; the request was not sent. Check the http.proxy setting or HTTPS_PROXY.', proxy, code, url.host),
        { cause: error },
      );
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new OmniVideoError('timeout', l10n.t('The server at {0} did not answer in time.', url.host), { cause: error });
    }
    return new OmniVideoError('network', l10n.t('Could not reach {0} ({1}). Are you offline?', url.host, code || message || l10n.t('network error')), { cause: error });
  }

  /** `redirectedTo`: the other origin a redirect led to, which answered without ever seeing the key. */
  private async statusError(response: Dispatcher.ResponseData, method: string, url: URL, token: string, redirectedTo?: URL): Promise<OmniVideoError> {
    const status = response.statusCode;
    const text = await readLimited(response.body, MAX_ERROR_BODY).catch(() => '');
    // A server may echo the key it refused ("Invalid API key: sk-…"); it must not reach a log or a message.
    const serverMessage = extractServerMessage(text)?.split(token).join('<API key>');
    // The server's own words, when it gave any, follow the sentence that says what happened.
    const said = (sentence: string) => (serverMessage ? l10n.t('{0} The server said: {1}', sentence, serverMessage) : sentence);
    const where = `${method} ${url.pathname}`;
    this.logger.warn(`${where} → ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
    if (status === 407) return proxyRefused(status, url);
    if ((status === 401 || status === 403) && redirectedTo) {
      // Not a refused key: the key was never sent there. An expired signed download link is
      // retried with a new one; a status or create request sent elsewhere needs the setting fixed.
      if (url.pathname.endsWith('/content')) {
        return new OmniVideoError(
          'download',
          l10n.t('The storage server {0} refused the download (HTTP {1}); its signed link may have expired. It will be retried with a new link.', redirectedTo.host, status),
          { status, serverMessage },
        );
      }
      return new OmniVideoError(
        'config',
        l10n.t(
          'The server redirected the request to {0}, which asks for an API key (HTTP {1}). Omni Video sends your key only to {2} (omniVideo.baseUrl). If the provider has moved, set omniVideo.baseUrl to its new address.',
          redirectedTo.host,
          status,
          this.baseUrl.host,
        ),
        { status, serverMessage },
      );
    }
    if (status === 401 || status === 403) {
      return new OmniVideoError('auth', said(l10n.t('The API key was refused by {0} (HTTP {1}). Run "Omni Video: Set API Key" to set a valid key.', this.baseUrl.host, status)), { status, serverMessage });
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']));
      return new OmniVideoError('rateLimited', said(l10n.t('The server is rate limiting requests (HTTP 429).')), { status, retryAfterMs, serverMessage });
    }
    if (status === 404) return new OmniVideoError('notFound', said(l10n.t('The server does not know this video (HTTP 404).')), { status, serverMessage });
    if (status === 409 || status === 425) return new OmniVideoError('notReady', said(l10n.t('The video is not ready yet (HTTP {0}).', status)), { status, serverMessage });
    if (status >= 500) {
      const retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']));
      return new OmniVideoError('server', said(l10n.t('The server had a problem (HTTP {0}).', status)), { status, retryAfterMs, serverMessage });
    }
    const refused = serverMessage
      ? said(l10n.t('The server refused the request (HTTP {0}).', status))
      : l10n.t('The server refused the request (HTTP {0}). No reason was given.', status);
    return new OmniVideoError('badRequest', refused, { status, serverMessage });
  }

  private async readJson(response: Dispatcher.ResponseData, what: string): Promise<unknown> {
    const text = await readLimited(response.body, 4 * 1024 * 1024);
    try {
      return JSON.parse(text);
    } catch {
      throw new OmniVideoError('invalidResponse', l10n.t('{0} answered something that is not JSON: {1}', what, text.slice(0, 120)));
    }
  }

  private parseJob(value: unknown, what: string): VideoJob {
    const parsed = videoJobSchema.safeParse(value);
    if (!parsed.success) {
      throw new OmniVideoError('invalidResponse', l10n.t('{0} answered an unexpected shape: {1}', what, summarizeIssues(parsed.error)));
    }
    return parsed.data;
  }
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

function proxyRefused(status: number, url: URL, cause?: unknown): OmniVideoError {
  const message =
    status === 407
      ? l10n.t(
          'The proxy refused the request to {0} (HTTP {1}); it was not sent. It needs credentials: put them in the http.proxy URL (http://user:password@host:port) or set http.proxyAuthorization.',
          url.host,
          status,
        )
      : l10n.t('The proxy refused the request to {0} (HTTP {1}); it was not sent. Check the http.proxy setting, HTTPS_PROXY, or http.noProxy for this host.', url.host, status);
  return new OmniVideoError('proxy', message, { status, cause });
}

export function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OmniVideoError('config', l10n.t('The base URL "{0}" is not a valid URL. Check the setting omniVideo.baseUrl.', value));
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new OmniVideoError('config', l10n.t('The base URL must use https:// (plain http:// is allowed only for localhost). Check the setting omniVideo.baseUrl.'));
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new OmniVideoError('config', l10n.t('The base URL must not contain credentials, a query or a fragment. Check the setting omniVideo.baseUrl.'));
  }
  return url;
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The validator a resume is sent with (`If-Range`) and checked against. */
interface RangeValidator {
  value: string;
  /** Whether a 206 is of the same object: its own validator, where it sends one, is the same. */
  matches(response: Dispatcher.ResponseData): boolean;
}

/**
 * A strong ETag, or else a Last-Modified date that is itself strong: at least a second before the
 * answer's Date (RFC 9110 §8.8.2.2, §13.1.5). A weak ETag (`W/"…"`) cannot be used with If-Range.
 */
function rangeValidator(headers: Dispatcher.ResponseData['headers']): RangeValidator | undefined {
  const etag = headerValue(headers.etag)?.trim();
  if (etag && /^"[^"]*"$/.test(etag)) return { value: etag, matches: (r) => (headerValue(r.headers.etag)?.trim() ?? etag) === etag };
  const lastModified = headerValue(headers['last-modified'])?.trim();
  const modified = lastModified ? Date.parse(lastModified) : NaN;
  const date = Date.parse(headerValue(headers.date) ?? '');
  if (lastModified && Number.isFinite(modified) && Number.isFinite(date) && date - modified >= 1000) {
    return { value: lastModified, matches: (r) => (headerValue(r.headers['last-modified'])?.trim() ?? lastModified) === lastModified };
  }
  return undefined;
}

/** Whether a response to `Range: bytes=<offset>-` continues the same body at `offset`. */
function resumesAt(response: Dispatcher.ResponseData, offset: number, total: number | undefined): boolean {
  if (response.statusCode !== 206) return false;
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(headerValue(response.headers['content-range']) ?? '');
  if (!match || Number(match[1]) !== offset) return false;
  return total === undefined || match[3] === '*' || Number(match[3]) === total;
}

function parseContentLength(value: string | string[] | undefined): number | undefined {
  const text = headerValue(value);
  if (!text) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function extractServerMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const envelope = errorEnvelopeSchema.safeParse(JSON.parse(trimmed));
    if (envelope.success) return serverErrorText(envelope.data.error) ?? envelope.data.message;
  } catch {
    // not JSON: an HTML error page from a proxy, say
  }
  if (/^</.test(trimmed)) return undefined;
  return trimmed.slice(0, 300);
}

async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new OmniVideoError('invalidResponse', l10n.t("The server's answer is larger than expected (over {0} bytes).", limit));
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function looksLikeMp4(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(12), 0, 12, 0);
    return startsLikeMp4(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Pipes a response body into its file. When the body fails (a dropped connection, a cancel), the
 * bytes already received are still written and the file is closed, so a resume starts where the disk
 * really ends; `pipeline` would destroy the file stream and drop its buffered writes. When the file
 * fails (a full disk), the body is dropped. Settles once the file is closed.
 */
function writeBody(body: Readable, file: WriteStream, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: unknown;
    const abort = () => body.destroy(Object.assign(new Error('The download was cancelled.'), { name: 'AbortError' }));
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    body.once('error', (error) => {
      failure ??= error;
      body.unpipe(file);
      file.end();
    });
    file.once('error', (error) => {
      failure = error;
      body.destroy();
    });
    file.once('close', () => {
      signal?.removeEventListener('abort', abort);
      if (failure === undefined && !body.readableEnded) failure = new Error('The file closed before the download ended.');
      if (failure === undefined) resolve();
      else reject(failure);
    });
    body.pipe(file);
  });
}

/** Why a video could not be written, in words a user acts on: a full disk, a folder that refuses, or the system's own words. */
function writeFailure(destination: string, error: unknown, written: number, total: number | undefined): string {
  const code = (error as { code?: string })?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return total === undefined
      ? l10n.t('The disk is full: {0} could not be written. Free some space, then choose Retry; the video is downloaded again, not generated again.', destination)
      : l10n.t('The disk is full: {0} could not be written ({1} of {2} MB fitted). Free some space, then choose Retry; the video is downloaded again, not generated again.', destination, (written / 1e6).toFixed(1), (total / 1e6).toFixed(1));
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return l10n.t('The folder of {0} cannot be written to ({1}). Check its permissions or choose another omniVideo.outputDirectory, then choose Retry.', destination, code);
  }
  return l10n.t("Could not write {0}: {1}. Free some disk space or check the folder's permissions, then retry the download.", destination, (error as Error).message);
}

function isFilesystemError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return ['ENOSPC', 'EACCES', 'EROFS', 'EPERM', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EDQUOT', 'EMFILE'].includes(code ?? '');
}

function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
