/**
 * Local simulator of the omni-fast video API (docs/api.md).
 *
 * Two HTTP origins:
 *  - the API origin: `/v1/videos...` (bearer auth) and the control endpoints `/_sim/...` (no auth);
 *  - the "storage" origin: `/files/<id>.mp4?sig=...` (signed download target of the 302 from
 *    `/v1/videos/{id}/content`, no auth) and `/v1/videos/{id}` (target of the `redirectStatus` fault).
 *
 * Strict where the provider's page is strict (field values, alias agreement, limits), tolerant like a
 * real server elsewhere (unknown fields ignored, extra unknown fields in responses).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { pipeline, Transform } from 'node:stream';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type Route = 'create' | 'status' | 'content' | 'storage';
export const ALL_ROUTES: readonly Route[] = ['create', 'status', 'content', 'storage'];

export interface Faults {
  /** 429 + Retry-After header + error body. */
  rateLimit: { count: number; retryAfterSeconds: number; routes: Route[] };
  /** e.g. 500/502/503 with an error body (502 answers an nginx-like HTML page). */
  serverError: { count: number; status: number; routes: Route[] };
  /**
   * Destroys the socket. Without `afterBytes`: before any header and before the request is processed
   * (no job is created). With `afterBytes`: the request IS processed (a create makes a job), the
   * headers (with the full Content-Length) and the first `afterBytes` bytes of the body are sent,
   * then the socket is closed.
   */
  dropConnection: { count: number; routes: Route[]; afterBytes?: number };
  /** Storage: full Content-Length, only half of the bytes, then the socket is ended. */
  truncateDownload: { count: number };
  /** Storage: answers 200 with the whole file even when a Range was asked for. */
  ignoreRange: { count: number };
  /**
   * Storage: the stored object is replaced by another of the same size (other bytes, a new ETag and
   * Last-Modified) just before a ranged request is answered, as when the provider re-encodes at a
   * fixed bitrate or a renewed link points at a new object. With `ignoreIfRange` the storage answers
   * the Range with a 206 of the new object whatever `If-Range` says (a broken cache).
   */
  changeOnResume: { count: number; ignoreIfRange?: boolean };
  /** Storage: answers without ETag and Last-Modified (nothing to validate a resume with), or with `'etag'` without the ETag only. */
  noValidators: boolean | 'etag';
  /** Storage: answers 200 with an HTML page instead of the video (a captive portal, a proxy error). */
  notMp4: { count: number };
  /**
   * `GET /v1/videos/{id}` answers 307 to the same path on the storage origin, which answers without
   * auth, or with `requireAuth` answers 401 (a host that wants a key the client rightly never sends it).
   */
  redirectStatus: { count: number; requireAuth?: boolean };
  /** Storage: the signed download URL has expired (403 AccessDenied); a new /content redirect works. */
  expireSignature: { count: number };
  /** New jobs fail (60 % into processing), with the error body of `failKind` (default `prompt`). */
  failJobs: boolean;
  failKind?: SimFailKind;
  /** Replaces the message of the failure body. */
  failMessage?: string;
  /** Extra delay before every API-origin /v1 answer. */
  latencyMs: number;
  /** Ids handed to the next creates, one each, instead of `video_<ulid>` (hostile ids: `../../x`). */
  nextJobIds: string[];
  /** Accept the request and never answer (until reset/close). */
  hang: { count: number; routes: Route[] };
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  storagePort?: number;
  token?: string;
  queuedMs?: number;
  processingMs?: number;
  /** MP4 served for landscape (and square) jobs; default the 1280x720 fixture. */
  videoFile?: string;
  /** MP4 served for portrait jobs; default the 720x1280 fixture. */
  portraitVideoFile?: string;
  /** Storage sends video bodies at this pace (a paced link, e.g. 100e6 for a fast home line); default as fast as it can. */
  paceBytesPerSecond?: number;
  log?: (line: string) => void;
}

export interface LoggedRequest {
  origin: 'api' | 'storage' | 'control';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  hasAuthorization: boolean;
  body?: unknown;
  bodyBytes: number;
  status: number;
  time: number;
  /** Name of the fault that fired on this request, if any. */
  fault?: string;
  /** Remarks of the simulator, e.g. "seconds sent as a number". */
  notes?: string[];
  /** The headers a storage answer carried (its validators, its range). */
  responseHeaders?: Record<string, string | number>;
}

export type JobMode = 'text-to-video' | 'image-to-video' | 'first-last-frame' | 'reference-to-video' | 'video-edit';
export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface SimJob {
  id: string;
  createdAtMs: number;
  /** Timings snapshotted at creation. */
  queuedMs: number;
  processingMs: number;
  /** The create request body as received. */
  request: Record<string, unknown>;
  mode: JobMode;
  secondsAsked: '4' | '8' | '10';
  secondsReturned: string;
  orientation: 'landscape' | 'portrait';
  size: '1280x720' | '720x1280';
  videoFile: string;
  fail: boolean;
  /** The `error` of the failed job's status. */
  failBody: unknown;
  /** Valid download signatures (the first one is used in `video_url`). */
  sigs: string[];
}

export interface SimulatorConfig {
  queuedMs: number;
  processingMs: number;
  videoFile: string;
  portraitVideoFile: string;
}

export interface Simulator {
  apiBaseUrl: string;
  controlUrl: string;
  storageOrigin: string;
  token: string;
  requests: LoggedRequest[];
  faults: Faults;
  jobs: Map<string, SimJob>;
  config: SimulatorConfig;
  setFaults(patch: Partial<Faults>): void;
  setConfig(patch: Partial<SimulatorConfig>): void;
  /** The job as `GET /v1/videos/{id}` would answer it now. */
  jobView(job: SimJob, now?: number): Record<string, unknown>;
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants and helpers
// ---------------------------------------------------------------------------------------------

export const DEFAULT_TOKEN = 'sk-sim-0123456789abcdef';
export const MAX_PROMPT_CHARS = 4000;
export const MAX_IMAGES = 5;
export const MAX_VIDEO_DATA_URI_BYTES = 10 * 1024 * 1024;
/** Request bodies above this are refused with 413 (the brief asks for at least 80 MB). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;
export const DEFAULT_FAIL_MESSAGE =
  'Your request was rejected by the safety system: the prompt or reference media may violate the content policy.';

/**
 * The failure bodies a failed job's `error` can carry (the API does not document them): one per kind of
 * failure a client should tell apart, plus shapes seen elsewhere (a plain string, Chinese words, no clue).
 */
export const FAILURE_BODIES = {
  prompt: { code: 'content_policy_violation', type: 'invalid_request_error', message: DEFAULT_FAIL_MESSAGE },
  promptZh: '提示词包含敏感内容，未通过内容审核',
  media: { code: 'invalid_image', type: 'invalid_request_error', message: 'The first frame image could not be processed: it is corrupted or in an unsupported format.' },
  mediaPolicy: { code: 'moderation_blocked', message: 'The reference image was flagged by the safety system.' },
  server: { code: 'internal_error', type: 'server_error', message: 'The upstream model service failed while generating. Please try again later.' },
  timeout: { code: 'task_expired', type: 'timeout', message: 'The generation task timed out upstream and expired.' },
  timeoutZh: { code: 500, message: '任务超时，已过期' },
  unknown: { code: 'E1042', message: 'Generation did not complete.' },
  none: {},
} as const;
export type SimFailKind = keyof typeof FAILURE_BODIES;
/** The kind a client should read from each failure body. */
export const FAILURE_BODY_KINDS: Record<SimFailKind, 'prompt' | 'media' | 'server' | 'timeout' | 'unknown'> = {
  prompt: 'prompt',
  promptZh: 'prompt',
  media: 'media',
  mediaPolicy: 'media',
  server: 'server',
  timeout: 'timeout',
  timeoutZh: 'timeout',
  unknown: 'unknown',
  none: 'unknown',
};

function failureBody(kind: SimFailKind, message: string | undefined): unknown {
  const body = FAILURE_BODIES[kind];
  if (message === undefined) return body;
  return typeof body === 'string' ? message : { ...body, message };
}

function resolveFixturesDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'fixtures'), path.resolve(process.cwd(), 'test', 'fixtures')];
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'sample-1280x720-h264-aac.mp4'))) return c;
  }
  return candidates[0];
}
export const FIXTURES_DIR = resolveFixturesDir();
export const LANDSCAPE_FIXTURE = path.join(FIXTURES_DIR, 'sample-1280x720-h264-aac.mp4');
export const PORTRAIT_FIXTURE = path.join(FIXTURES_DIR, 'sample-720x1280-h264-aac.mp4');

export function defaultFaults(): Faults {
  return {
    rateLimit: { count: 0, retryAfterSeconds: 1, routes: [...ALL_ROUTES] },
    serverError: { count: 0, status: 500, routes: [...ALL_ROUTES] },
    dropConnection: { count: 0, routes: [...ALL_ROUTES] },
    truncateDownload: { count: 0 },
    ignoreRange: { count: 0 },
    changeOnResume: { count: 0 },
    noValidators: false,
    notMp4: { count: 0 },
    redirectStatus: { count: 0 },
    expireSignature: { count: 0 },
    failJobs: false,
    failKind: undefined,
    failMessage: undefined,
    latencyMs: 0,
    nextJobIds: [],
    hang: { count: 0, routes: [...ALL_ROUTES] },
  };
}

const NESTED_FAULTS = ['rateLimit', 'serverError', 'dropConnection', 'truncateDownload', 'ignoreRange', 'changeOnResume', 'notMp4', 'redirectStatus', 'expireSignature', 'hang'] as const;
const SCALAR_FAULTS = ['noValidators', 'failJobs', 'failKind', 'failMessage', 'latencyMs', 'nextJobIds'] as const;

/** Merges `patch` into `target` in place: nested objects are replaced whole, missing fields from defaults. */
export function mergeFaults(target: Faults, patch: Partial<Faults>): void {
  const defaults = defaultFaults();
  for (const key of Object.keys(patch)) {
    if ((NESTED_FAULTS as readonly string[]).includes(key)) {
      const k = key as (typeof NESTED_FAULTS)[number];
      const value = patch[k];
      if (value === undefined) continue;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new Error(`fault '${key}' must be an object`);
      }
      const merged = { ...defaults[k], ...value } as Record<string, unknown>;
      if ('count' in merged && (typeof merged.count !== 'number' || !(merged.count >= 0))) {
        throw new Error(`fault '${key}.count' must be a number >= 0`);
      }
      if ('routes' in merged) {
        const routes = merged.routes;
        if (!Array.isArray(routes) || routes.some((r) => !ALL_ROUTES.includes(r as Route))) {
          throw new Error(`fault '${key}.routes' must be an array of ${ALL_ROUTES.join(', ')}`);
        }
      }
      (target as unknown as Record<string, unknown>)[k] = merged;
    } else if ((SCALAR_FAULTS as readonly string[]).includes(key)) {
      const value = (patch as Record<string, unknown>)[key];
      if (key === 'failJobs' && typeof value !== 'boolean') throw new Error(`fault 'failJobs' must be a boolean`);
      if (key === 'latencyMs' && (typeof value !== 'number' || !(value >= 0))) {
        throw new Error(`fault 'latencyMs' must be a number >= 0`);
      }
      if (key === 'nextJobIds' && (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || id === ''))) {
        throw new Error(`fault 'nextJobIds' must be an array of non-empty strings`);
      }
      if (key === 'failKind' && value !== undefined && value !== null && !Object.hasOwn(FAILURE_BODIES, String(value))) {
        throw new Error(`fault 'failKind' must be one of ${Object.keys(FAILURE_BODIES).join(', ')}`);
      }
      if (key === 'failMessage' && value !== undefined && value !== null && typeof value !== 'string') {
        throw new Error(`fault 'failMessage' must be a string`);
      }
      (target as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : (value ?? undefined);
    } else {
      throw new Error(`unknown fault '${key}'`);
    }
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-like id: 10 Crockford base32 chars of millisecond time + 16 random ones. */
export function ulidLike(now = Date.now()): string {
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = crypto.randomBytes(16);
  let r = '';
  for (let i = 0; i < 16; i++) r += CROCKFORD[rnd[i] & 31];
  return time + r;
}

function describe(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v) : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

interface ParsedDataUri {
  mime: string;
  base64: string;
}

/** Parses `data:<mime>[;param=value]*;base64,<payload>` without running a regex over the payload. */
export function parseDataUri(s: string): ParsedDataUri | undefined {
  if (!/^data:/i.test(s)) return undefined;
  const comma = s.indexOf(',');
  if (comma < 0 || comma > 512) return undefined;
  const header = s.slice(5, comma);
  const m = /^([a-z0-9.+-]+\/[a-z0-9.+-]+)((?:;[a-z0-9._-]+=[^;,]*)*);base64$/i.exec(header);
  if (!m) return undefined;
  return { mime: m[1].toLowerCase(), base64: s.slice(comma + 1) };
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export function isValidBase64(b64: string): boolean {
  return b64.length > 0 && b64.length % 4 === 0 && BASE64_RE.test(b64);
}

export function base64DecodedLength(b64: string): number {
  let padding = 0;
  if (b64.endsWith('==')) padding = 2;
  else if (b64.endsWith('=')) padding = 1;
  return (b64.length / 4) * 3 - padding;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of POST /v1/videos
// ---------------------------------------------------------------------------------------------

export interface ValidationError {
  status: number;
  message: string;
  param: string;
  code?: string;
}

export interface ValidatedCreate {
  secondsAsked: '4' | '8' | '10';
  orientation: 'landscape' | 'portrait';
  mode: JobMode;
  notes: string[];
}

type Implied = 'landscape' | 'portrait' | 'square';
const ASPECT_RATIOS: Record<string, Implied> = {
  '16:9': 'landscape',
  '9:16': 'portrait',
  '1:1': 'square',
  '4:3': 'landscape',
  '3:4': 'portrait',
};
const SIZES: Record<string, Implied> = {
  landscape: 'landscape',
  portrait: 'portrait',
  square: 'square',
  '1920x1080': 'landscape',
  '1080x1920': 'portrait',
  '1280x720': 'landscape',
  '720x1280': 'portrait',
};
const ORIENTATIONS: Record<string, Implied> = { landscape: 'landscape', portrait: 'portrait' };
const RESOLUTIONS = ['720p', '1080p', '2k', '4k'];
const SECONDS = ['4', '8', '10'] as const;
const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const VIDEO_MIMES = ['video/mp4', 'video/quicktime', 'video/webm'];

function invalid(param: string, message: string, status = 400, code?: string): ValidationError {
  return { status, message, param, ...(code ? { code } : {}) };
}

function checkImageRef(field: string, v: unknown): ValidationError | undefined {
  if (typeof v !== 'string' || v === '') {
    return invalid(field.replace(/\[\d+\]$/, ''), `Invalid value for '${field}': expected an http(s) URL or a data:image/...;base64 URI (got ${describe(v)}).`);
  }
  const param = field.replace(/\[\d+\]$/, '');
  if (/^data:/i.test(v)) {
    const d = parseDataUri(v);
    if (!d) return invalid(param, `Invalid value for '${field}': malformed data URI, expected data:image/<png|jpeg|webp|gif>;base64,<data>.`);
    if (!IMAGE_MIMES.includes(d.mime)) {
      return invalid(param, `Invalid value for '${field}': unsupported image type '${d.mime}' (supported: ${IMAGE_MIMES.join(', ')}).`);
    }
    if (!isValidBase64(d.base64)) return invalid(param, `Invalid value for '${field}': the data URI payload is not valid base64.`);
    return undefined;
  }
  if (!isHttpUrl(v)) return invalid(param, `Invalid value for '${field}': expected an http(s) URL or a data:image/...;base64 URI (got ${describe(v)}).`);
  return undefined;
}

function checkVideoRef(field: string, v: unknown): ValidationError | undefined {
  if (typeof v !== 'string' || v === '') {
    return invalid(field, `Invalid value for '${field}': expected an http(s) URL or a data:video/...;base64 URI (got ${describe(v)}).`);
  }
  if (/^data:/i.test(v)) {
    const d = parseDataUri(v);
    if (!d) return invalid(field, `Invalid value for '${field}': malformed data URI, expected data:video/<mp4|quicktime|webm>;base64,<data>.`);
    if (!VIDEO_MIMES.includes(d.mime)) {
      return invalid(field, `Invalid value for '${field}': unsupported video type '${d.mime}' (supported: ${VIDEO_MIMES.join(', ')}).`);
    }
    if (!isValidBase64(d.base64)) return invalid(field, `Invalid value for '${field}': the data URI payload is not valid base64.`);
    const bytes = base64DecodedLength(d.base64);
    if (bytes > MAX_VIDEO_DATA_URI_BYTES) {
      return invalid(
        field,
        `Invalid value for '${field}': the data URI video is ${bytes} bytes; data URI uploads are limited to 10 MB (${MAX_VIDEO_DATA_URI_BYTES} bytes). Use a shorter clip or a URL.`,
        400,
        'file_too_large',
      );
    }
    return undefined;
  }
  if (!isHttpUrl(v)) return invalid(field, `Invalid value for '${field}': expected an http(s) URL or a data:video/...;base64 URI (got ${describe(v)}).`);
  return undefined;
}

function normSeconds(field: string, v: unknown, notes: string[]): '4' | '8' | '10' | ValidationError {
  if (typeof v === 'string' && (SECONDS as readonly string[]).includes(v)) return v as '4' | '8' | '10';
  if (typeof v === 'number' && (v === 4 || v === 8 || v === 10)) {
    notes.push(`'${field}' sent as the number ${v}; the provider recommends a string ("${v}")`);
    return String(v) as '4' | '8' | '10';
  }
  return invalid(field, `Invalid value for '${field}': expected one of "4", "8", "10" (got ${describe(v)}).`);
}

function checkFps(field: string, v: unknown): ValidationError | undefined {
  let n = NaN;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 60) {
    return invalid(field, `Invalid value for '${field}': expected a positive number (or numeric string) not above 60 (got ${describe(v)}).`);
  }
  return undefined;
}

/** Validates a create body. Unknown fields are ignored; `null` counts as absent. */
export function validateCreate(body: Record<string, unknown>): ValidatedCreate | ValidationError {
  const notes: string[] = [];

  if (!present(body.model)) return invalid('model', `Missing required parameter: 'model'.`);
  if (body.model !== 'omni-fast') {
    return invalid('model', `Invalid value for 'model': this endpoint only serves "omni-fast" (got ${describe(body.model)}).`, 400, 'model_not_found');
  }

  if (!present(body.prompt)) return invalid('prompt', `Missing required parameter: 'prompt'.`);
  if (typeof body.prompt !== 'string') return invalid('prompt', `Invalid type for 'prompt': expected a string (got ${describe(body.prompt)}).`);
  if (body.prompt.trim() === '') return invalid('prompt', `Invalid value for 'prompt': the prompt must not be empty.`);
  const promptChars = Array.from(body.prompt).length;
  if (promptChars > MAX_PROMPT_CHARS) {
    return invalid('prompt', `Invalid value for 'prompt': ${promptChars} characters, the maximum is ${MAX_PROMPT_CHARS}.`);
  }

  // seconds <-> duration
  let secondsAsked: '4' | '8' | '10' | undefined;
  for (const field of ['seconds', 'duration']) {
    if (!present(body[field])) continue;
    const s = normSeconds(field, body[field], notes);
    if (typeof s !== 'string') return s;
    if (secondsAsked !== undefined && secondsAsked !== s) {
      return invalid(field, `Conflicting values: 'seconds' is "${secondsAsked}" but its alias 'duration' is "${s}"; send one, or keep them equal.`);
    }
    secondsAsked = s;
  }

  // aspect_ratio <-> size <-> orientation
  let implied: Implied | undefined;
  let impliedBy = '';
  const groups: [string, Record<string, Implied>][] = [
    ['aspect_ratio', ASPECT_RATIOS],
    ['size', SIZES],
    ['orientation', ORIENTATIONS],
  ];
  for (const [field, table] of groups) {
    const v = body[field];
    if (!present(v)) continue;
    if (typeof v !== 'string' || !Object.prototype.hasOwnProperty.call(table, v)) {
      return invalid(field, `Invalid value for '${field}': expected one of ${Object.keys(table).map((k) => `"${k}"`).join(', ')} (got ${describe(v)}).`);
    }
    const o = table[v];
    if (implied !== undefined && implied !== o) {
      return invalid(field, `Conflicting values: '${field}' (${describe(v)}) implies ${o} but '${impliedBy}' implies ${implied}; 'aspect_ratio', 'size' and 'orientation' are aliases.`);
    }
    implied = o;
    impliedBy = `${field}`;
  }

  if (present(body.resolution) && (typeof body.resolution !== 'string' || !RESOLUTIONS.includes(body.resolution))) {
    return invalid('resolution', `Invalid value for 'resolution': expected one of ${RESOLUTIONS.map((r) => `"${r}"`).join(', ')} (got ${describe(body.resolution)}).`);
  }

  for (const field of ['fps', 'n_frames', 'n']) {
    if (!present(body[field])) continue;
    const e = checkFps(field, body[field]);
    if (e) return e;
  }

  const hasFirst = present(body.first_image_url);
  const hasLast = present(body.last_image_url);
  if (hasFirst) {
    const e = checkImageRef('first_image_url', body.first_image_url);
    if (e) return e;
  }
  if (hasLast) {
    if (!hasFirst) {
      return invalid('last_image_url', `'last_image_url' requires 'first_image_url' (first/last-frame interpolation needs both frames).`);
    }
    const e = checkImageRef('last_image_url', body.last_image_url);
    if (e) return e;
  }

  const hasImages = present(body.images);
  if (hasImages) {
    const images = body.images;
    if (!Array.isArray(images)) return invalid('images', `Invalid type for 'images': expected an array of 1 to ${MAX_IMAGES} image URLs or data URIs.`);
    if (images.length === 0) return invalid('images', `Invalid value for 'images': the array is empty (expected 1 to ${MAX_IMAGES} images).`);
    if (images.length > MAX_IMAGES) {
      return invalid('images', `Invalid value for 'images': ${images.length} images given, at most ${MAX_IMAGES} reference images are allowed.`);
    }
    for (let i = 0; i < images.length; i++) {
      const e = checkImageRef(`images[${i}]`, images[i]);
      if (e) return e;
    }
  }

  const hasVideo = present(body.video);
  const hasVideoUrl = present(body.video_url);
  if (hasVideo) {
    const e = checkVideoRef('video', body.video);
    if (e) return e;
  }
  if (hasVideoUrl) {
    const e = checkVideoRef('video_url', body.video_url);
    if (e) return e;
  }
  if (hasVideo && hasVideoUrl && body.video !== body.video_url) {
    return invalid('video_url', `Conflicting values: 'video' and its alias 'video_url' differ; send one of them.`);
  }
  const videoField = hasVideo ? 'video' : 'video_url';
  if ((hasVideo || hasVideoUrl) && (hasImages || hasFirst || hasLast)) {
    const other = hasImages ? 'images' : 'first_image_url';
    return invalid(videoField, `Invalid combination: '${videoField}' (video edit/extend) cannot be combined with '${other}'; send either a reference video or images.`);
  }

  let mode: JobMode = 'text-to-video';
  if (hasVideo || hasVideoUrl) mode = 'video-edit';
  else if (hasImages) mode = 'reference-to-video';
  else if (hasFirst && hasLast) mode = 'first-last-frame';
  else if (hasFirst) mode = 'image-to-video';

  return {
    secondsAsked: secondsAsked ?? '8',
    orientation: implied === 'portrait' ? 'portrait' : 'landscape',
    mode,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Request-log helpers
// ---------------------------------------------------------------------------------------------

export interface DataUriSummary {
  dataUri: true;
  mime: string;
  bytes: number;
  sha256: string;
}

/** Replaces data URI strings longer than 200 chars by a summary (mime, decoded length, sha256). */
export function summarizeBody(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.length > 200 && /^data:/i.test(value)) {
      const comma = value.indexOf(',');
      const header = comma >= 0 ? value.slice(5, comma) : '';
      const mime = header.split(';')[0].toLowerCase();
      const payload = comma >= 0 ? value.slice(comma + 1) : '';
      const decoded = /;base64$/i.test(header) ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponentSafe(payload));
      const summary: DataUriSummary = {
        dataUri: true,
        mime,
        bytes: decoded.length,
        sha256: crypto.createHash('sha256').update(decoded).digest('hex'),
      };
      return summary;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(summarizeBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = summarizeBody(v);
    return out;
  }
  return value;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function redactHeaders(h: http.IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = k.toLowerCase() === 'authorization' ? '<redacted>' : v;
  return out;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  entry: LoggedRequest;
  route?: Route;
  /** dropConnection with afterBytes: cut the body after this many bytes. */
  cutAfter?: number;
  /** truncateDownload: send half of the body. */
  truncate?: boolean;
  started: number;
}

interface ReadBody {
  buf: Buffer;
  bytes: number;
  tooLarge: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function errorBody(message: string, type: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { message, type, ...extra } };
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

class SimulatorImpl implements Simulator {
  apiBaseUrl = '';
  controlUrl = '';
  storageOrigin = '';
  readonly token: string;
  readonly requests: LoggedRequest[] = [];
  readonly faults: Faults = defaultFaults();
  readonly jobs = new Map<string, SimJob>();
  readonly config: SimulatorConfig;

  private readonly host: string;
  private readonly api: http.Server;
  private readonly storage: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<http.ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly summaries = new WeakMap<LoggedRequest, unknown>();
  private readonly logSink?: (line: string) => void;
  private closed = false;
  /** Objects made by the changeOnResume fault, removed on close. */
  private changedDir: string | undefined;
  private changes = 0;

  constructor(private readonly options: SimulatorOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.token = options.token ?? DEFAULT_TOKEN;
    this.logSink = options.log;
    this.config = {
      queuedMs: options.queuedMs ?? 500,
      processingMs: options.processingMs ?? 2000,
      videoFile: options.videoFile ?? LANDSCAPE_FIXTURE,
      portraitVideoFile: options.portraitVideoFile ?? PORTRAIT_FIXTURE,
    };
    const serverOptions: http.ServerOptions = { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 };
    this.api = http.createServer(serverOptions, (req, res) => this.guard(this.onApi(req, res), res));
    this.storage = http.createServer(serverOptions, (req, res) => this.guard(this.onStorage(req, res), res));
    for (const server of [this.api, this.storage]) {
      server.on('connection', (socket: Socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
      server.on('clientError', (_err, socket) => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        else socket.destroy();
      });
    }
  }

  async listen(): Promise<void> {
    const listen = (server: http.Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    const apiPort = await listen(this.api, this.options.port ?? 0);
    const storagePort = await listen(this.storage, this.options.storagePort ?? 0);
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    this.apiBaseUrl = `http://${h}:${apiPort}/v1`;
    this.controlUrl = `http://${h}:${apiPort}/_sim`;
    this.storageOrigin = `http://${h}:${storagePort}`;
  }

  // ----- public API -----

  setFaults(patch: Partial<Faults>): void {
    mergeFaults(this.faults, patch);
  }

  setConfig(patch: Partial<SimulatorConfig>): void {
    const next = { ...this.config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (k === 'queuedMs' || k === 'processingMs') {
        if (typeof v !== 'number' || !(v >= 0)) throw new Error(`config '${k}' must be a number >= 0`);
        next[k] = v;
      } else if (k === 'videoFile' || k === 'portraitVideoFile') {
        if (typeof v !== 'string' || !fs.existsSync(v)) throw new Error(`config '${k}' must be the path of an existing file`);
        next[k] = path.resolve(v);
      } else {
        throw new Error(`unknown config key '${k}'`);
      }
    }
    Object.assign(this.config, next);
  }

  reset(): void {
    this.requests.length = 0;
    this.jobs.clear();
    const d = defaultFaults();
    for (const k of Object.keys(this.faults)) delete (this.faults as unknown as Record<string, unknown>)[k];
    Object.assign(this.faults, d);
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closing = [this.api, this.storage].map(
      (s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())),
    );
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.hung.clear();
    await Promise.all(closing);
    if (this.changedDir) await fs.promises.rm(this.changedDir, { recursive: true, force: true });
  }

  jobView(job: SimJob, now = Date.now()): Record<string, unknown> {
    const { status, progress } = this.jobState(job, now);
    const view: Record<string, unknown> = {
      id: job.id,
      object: 'video',
      model: 'omni-fast',
      status,
      progress,
      created_at: Math.floor(job.createdAtMs / 1000),
    };
    if (status === 'completed') {
      const completedAt = Math.floor((job.createdAtMs + job.queuedMs + job.processingMs) / 1000);
      view.video_url = `${this.storageOrigin}/files/${encodeURIComponent(job.id)}.mp4?sig=${job.sigs[0]}`;
      view.seconds = job.secondsReturned;
      view.size = job.size;
      view.completed_at = completedAt;
      view.expires_at = completedAt + 24 * 3600;
      view.remix_of = null;
    } else if (status === 'failed') {
      view.error = job.failBody;
    }
    return view;
  }

  // ----- job state -----

  private jobState(job: SimJob, now: number): { status: JobStatus; progress: number } {
    const t = now - job.createdAtMs;
    if (t < job.queuedMs) return { status: 'queued', progress: 0 };
    const p = job.processingMs <= 0 ? 1 : (t - job.queuedMs) / job.processingMs;
    const progressAt = (x: number) => Math.min(99, Math.max(1, Math.floor(1 + 98 * x)));
    if (job.fail) {
      const failAt = 0.6;
      if (p >= failAt) return { status: 'failed', progress: job.processingMs <= 0 ? 0 : progressAt(failAt) };
      return { status: 'in_progress', progress: progressAt(p) };
    }
    if (p >= 1) return { status: 'completed', progress: 100 };
    return { status: 'in_progress', progress: progressAt(p) };
  }

  private newSig(): string {
    return crypto.randomBytes(16).toString('hex');
  }

  // ----- plumbing -----

  private guard(p: Promise<void>, res: http.ServerResponse): void {
    p.catch((err: unknown) => {
      this.log(`[sim] internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, JSON_HEADERS);
        res.end(JSON.stringify(errorBody('Simulator internal error.', 'server_error')));
      } else {
        res.socket?.destroy();
      }
    });
  }

  private log(line: string): void {
    if (this.logSink) {
      try {
        this.logSink(line);
      } catch {
        /* ignore */
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async readBody(req: http.IncomingMessage): Promise<ReadBody | undefined> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    try {
      for await (const chunk of req) {
        const b = chunk as Buffer;
        bytes += b.length;
        if (bytes > MAX_BODY_BYTES) {
          tooLarge = true;
          chunks.length = 0;
        } else if (!tooLarge) {
          chunks.push(b);
        }
      }
    } catch {
      return undefined; // client aborted
    }
    return { buf: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), bytes, tooLarge };
  }

  private newEntry(origin: LoggedRequest['origin'], req: http.IncomingMessage, body: ReadBody | undefined): LoggedRequest {
    const entry: LoggedRequest = {
      origin,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: redactHeaders(req.headers),
      hasAuthorization: req.headers.authorization !== undefined,
      bodyBytes: body?.bytes ?? 0,
      status: 0,
      time: Date.now(),
    };
    const ct = String(req.headers['content-type'] ?? '');
    if (body && body.buf.length > 0 && /json/i.test(ct)) {
      try {
        entry.body = JSON.parse(body.buf.toString('utf8'));
      } catch {
        /* invalid JSON: no body in the log */
      }
    }
    return entry;
  }

  private note(ctx: Ctx, text: string): void {
    (ctx.entry.notes ??= []).push(text);
  }

  private finish(ctx: Ctx, status: number, extra = ''): void {
    ctx.entry.status = status;
    const e = ctx.entry;
    const auth = e.hasAuthorization ? ' auth' : '';
    const fault = e.fault ? ` fault=${e.fault}` : '';
    const notes = e.notes?.length ? ` (${e.notes.join('; ')})` : '';
    const ms = Date.now() - ctx.started;
    this.log(
      `${new Date().toISOString()} [${e.origin}] ${e.method} ${e.path} -> ${status === 0 ? 'dropped' : status}${extra} ` +
        `req=${formatBytes(e.bodyBytes)}${auth}${fault} ${ms}ms${notes}`,
    );
  }

  /** Sends a complete (or, with cutAfter, deliberately cut) response. */
  private send(ctx: Ctx, status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
    const { res, req } = ctx;
    if (res.destroyed || res.headersSent) return;
    const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const isHead = req.method === 'HEAD';
    const allHeaders: Record<string, string | number> = { ...headers };
    if (body !== undefined || !('content-length' in allHeaders)) allHeaders['content-length'] = buf.length;
    if (ctx.cutAfter !== undefined && !isHead) {
      const cut = Math.min(ctx.cutAfter, buf.length);
      allHeaders.connection = 'close';
      res.writeHead(status, allHeaders);
      res.once('finish', () => res.socket?.destroy());
      res.end(buf.subarray(0, cut));
      this.finish(ctx, 0, ` (cut after ${cut} of ${buf.length} body bytes)`);
      return;
    }
    res.writeHead(status, allHeaders);
    res.end(isHead ? undefined : buf);
    this.finish(ctx, status);
  }

  private sendJson(ctx: Ctx, status: number, value: unknown, headers: Record<string, string | number> = {}): void {
    this.send(ctx, status, { ...JSON_HEADERS, ...headers }, JSON.stringify(value));
  }

  private drop(ctx: Ctx): void {
    ctx.req.socket.destroy();
    this.finish(ctx, 0);
  }

  /** Applies the hang / drop / rate-limit / server-error faults. Returns true when the request is answered. */
  private applyFaults(ctx: Ctx): boolean {
    const route = ctx.route;
    if (!route) return false;
    const f = this.faults;
    if (f.hang.count > 0 && f.hang.routes.includes(route)) {
      f.hang.count--;
      ctx.entry.fault = 'hang';
      this.hung.add(ctx.res);
      ctx.res.on('close', () => this.hung.delete(ctx.res));
      this.log(`${new Date().toISOString()} [${ctx.entry.origin}] ${ctx.entry.method} ${ctx.entry.path} -> hanging (fault=hang)`);
      return true;
    }
    if (f.dropConnection.count > 0 && f.dropConnection.routes.includes(route)) {
      f.dropConnection.count--;
      ctx.entry.fault = 'dropConnection';
      if (f.dropConnection.afterBytes === undefined) {
        this.drop(ctx);
        return true;
      }
      ctx.cutAfter = Math.max(0, f.dropConnection.afterBytes);
      return false;
    }
    if (f.rateLimit.count > 0 && f.rateLimit.routes.includes(route)) {
      f.rateLimit.count--;
      ctx.entry.fault = 'rateLimit';
      const s = f.rateLimit.retryAfterSeconds;
      this.sendJson(
        ctx,
        429,
        errorBody(`Rate limit reached for requests. Please try again in ${s}s.`, 'rate_limit_error', { code: 'rate_limit_exceeded' }),
        { 'retry-after': String(s) },
      );
      return true;
    }
    if (f.serverError.count > 0 && f.serverError.routes.includes(route)) {
      f.serverError.count--;
      ctx.entry.fault = 'serverError';
      const status = f.serverError.status;
      if (status === 502) {
        this.send(ctx, 502, { 'content-type': 'text/html', server: 'nginx' }, BAD_GATEWAY_HTML);
      } else {
        const message =
          status === 503
            ? 'The upstream service is temporarily unavailable. Please retry later.'
            : 'The server had an error while processing your request. Sorry about that!';
        this.sendJson(ctx, status, errorBody(message, 'server_error', { code: status === 503 ? 'service_unavailable' : 'internal_error' }));
      }
      return true;
    }
    return false;
  }

  // ----- API origin -----

  private async onApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await this.onControl(req, res, url);
      return;
    }
    const started = Date.now();
    const body = await this.readBody(req);
    const entry = this.newEntry('api', req, body);
    this.requests.push(entry);
    const ctx: Ctx = { req, res, entry, started };
    if (!body) {
      this.finish(ctx, 0, ' (client aborted the upload)');
      return;
    }
    if (this.faults.latencyMs > 0 && url.pathname.startsWith('/v1/')) {
      await this.sleep(this.faults.latencyMs);
      if (res.destroyed || this.closed) return;
    }

    const method = req.method ?? 'GET';
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1); // ['v1','videos',id?,'content'?]
    let allowed: string[] = [];
    if (parts[0] === 'v1' && parts[1] === 'videos') {
      if (parts.length === 2) {
        ctx.route = 'create';
        allowed = ['POST'];
      } else if (parts.length === 3) {
        ctx.route = 'status';
        allowed = ['GET'];
      } else if (parts.length === 4 && parts[3] === 'content') {
        ctx.route = 'content';
        allowed = ['GET', 'HEAD'];
      }
    }
    if (!ctx.route) {
      this.sendJson(ctx, 404, errorBody(`Unknown request URL: ${method} ${url.pathname}.`, 'invalid_request_error', { code: 'unknown_url' }));
      return;
    }
    if (!this.isAuthorized(req)) {
      this.sendJson(ctx, 401, errorBody('Invalid API key provided.', 'invalid_request_error', { code: 'invalid_api_key' }));
      return;
    }
    if (!allowed.includes(method)) {
      this.sendJson(ctx, 405, errorBody(`Method ${method} is not allowed on ${url.pathname}.`, 'invalid_request_error', { code: 'method_not_allowed' }), {
        allow: allowed.join(', '),
      });
      return;
    }
    if (this.applyFaults(ctx)) return;

    const id = decodeURIComponent(parts[2] ?? '');
    switch (ctx.route) {
      case 'create':
        await this.handleCreate(ctx, body);
        return;
      case 'status': {
        const job = this.jobs.get(id);
        if (job && this.faults.redirectStatus.count > 0) {
          this.faults.redirectStatus.count--;
          ctx.entry.fault = 'redirectStatus';
          const query = this.faults.redirectStatus.requireAuth ? `${url.search ? `${url.search}&` : '?'}requireAuth=1` : url.search;
          this.send(ctx, 307, { location: `${this.storageOrigin}${url.pathname}${query}` }, '');
          return;
        }
        this.handleStatus(ctx, id);
        return;
      }
      case 'content':
        this.handleContent(ctx, id);
        return;
      default:
        return;
    }
  }

  private isAuthorized(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization;
    if (typeof h !== 'string') return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return !!m && m[1] === this.token;
  }

  private async handleCreate(ctx: Ctx, body: ReadBody): Promise<void> {
    if (body.tooLarge) {
      this.sendJson(
        ctx,
        413,
        errorBody(`Request body too large: ${body.bytes} bytes (limit ${MAX_BODY_BYTES} bytes).`, 'invalid_request_error', { code: 'request_too_large' }),
      );
      return;
    }
    const ct = String(ctx.req.headers['content-type'] ?? '');
    if (/^multipart\/form-data\b/i.test(ct.trim())) {
      // The OpenAI SDK's videos.create sends multipart/form-data: its text fields are the same parameters.
      let form: FormData;
      try {
        form = await new Response(body.buf, { headers: { 'content-type': ct } }).formData();
      } catch (err) {
        this.sendJson(ctx, 400, errorBody(`We could not parse the multipart body of your request: ${err instanceof Error ? err.message : String(err)}.`, 'invalid_request_error', { param: null, code: 'invalid_multipart' }));
        return;
      }
      const fields: Record<string, unknown> = {};
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') fields[key] = value;
        else this.note(ctx, `multipart file field '${key}' (${value.size} bytes) ignored`);
      }
      ctx.entry.body = fields;
      this.createFromRequest(ctx, fields);
      return;
    }
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(ct.trim())) {
      this.sendJson(
        ctx,
        400,
        errorBody(`Invalid Content-Type ${describe(ct || '(none)')}: the request body must be JSON (Content-Type: application/json).`, 'invalid_request_error', {
          param: null,
          code: 'invalid_content_type',
        }),
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.buf.toString('utf8'));
    } catch (err) {
      this.sendJson(
        ctx,
        400,
        errorBody(`We could not parse the JSON body of your request: ${err instanceof Error ? err.message : String(err)}.`, 'invalid_request_error', {
          param: null,
          code: 'invalid_json',
        }),
      );
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.sendJson(ctx, 400, errorBody('The request body must be a JSON object.', 'invalid_request_error', { param: null, code: 'invalid_json' }));
      return;
    }
    this.createFromRequest(ctx, parsed as Record<string, unknown>);
  }

  private createFromRequest(ctx: Ctx, request: Record<string, unknown>): void {
    const v = validateCreate(request);
    if ('param' in v) {
      this.sendJson(ctx, v.status, errorBody(v.message, 'invalid_request_error', { param: v.param, ...(v.code ? { code: v.code } : {}) }));
      return;
    }
    for (const n of v.notes) this.note(ctx, n);

    const now = Date.now();
    const job: SimJob = {
      id: this.faults.nextJobIds.shift() ?? `video_${ulidLike(now)}`,
      createdAtMs: now,
      queuedMs: this.config.queuedMs,
      processingMs: this.config.processingMs,
      request,
      mode: v.mode,
      secondsAsked: v.secondsAsked,
      secondsReturned: v.secondsAsked === '8' ? '5' : v.secondsAsked,
      orientation: v.orientation,
      size: v.orientation === 'portrait' ? '720x1280' : '1280x720',
      videoFile: v.orientation === 'portrait' ? this.config.portraitVideoFile : this.config.videoFile,
      fail: this.faults.failJobs,
      failBody: failureBody(this.faults.failKind ?? 'prompt', this.faults.failMessage),
      sigs: [this.newSig()],
    };
    this.jobs.set(job.id, job);
    this.note(ctx, `created ${job.id} (${job.mode}, ${job.orientation}, seconds asked ${job.secondsAsked})`);
    this.sendJson(ctx, 200, {
      id: job.id,
      object: 'video',
      model: 'omni-fast',
      status: 'queued',
      progress: 0,
      created_at: Math.floor(now / 1000),
      usage_hint: 'Poll GET /v1/videos/{id} every 8-15 s; billing is per accepted request.',
    });
  }

  private notFound(ctx: Ctx): void {
    this.sendJson(ctx, 404, errorBody('Video not found', 'invalid_request_error', { code: 'not_found' }));
  }

  private handleStatus(ctx: Ctx, id: string): void {
    const job = this.jobs.get(id);
    if (!job) {
      this.notFound(ctx);
      return;
    }
    this.sendJson(ctx, 200, this.jobView(job));
  }

  private handleContent(ctx: Ctx, id: string): void {
    const job = this.jobs.get(id);
    if (!job) {
      this.notFound(ctx);
      return;
    }
    const { status } = this.jobState(job, Date.now());
    if (status !== 'completed') {
      const message =
        status === 'failed'
          ? 'Video generation failed; there is no content to download.'
          : `Video is not ready yet: its status is '${status}'. Poll GET /v1/videos/${id} until it is 'completed'.`;
      this.sendJson(ctx, 409, errorBody(message, 'invalid_request_error', { code: status === 'failed' ? 'video_failed' : 'video_not_ready' }));
      return;
    }
    const sig = this.newSig();
    job.sigs.push(sig);
    this.send(ctx, 302, { location: `${this.storageOrigin}/files/${encodeURIComponent(job.id)}.mp4?sig=${sig}`, 'cache-control': 'no-store' }, '');
  }

  // ----- storage origin -----

  private async onStorage(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const body = await this.readBody(req);
    const entry = this.newEntry('storage', req, body);
    this.requests.push(entry);
    const ctx: Ctx = { req, res, entry, started };
    if (!body) {
      this.finish(ctx, 0, ' (client aborted)');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';

    const statusMatch = /^\/v1\/videos\/([^/]+)\/?$/.exec(url.pathname);
    if (statusMatch) {
      // Target of the redirectStatus fault: answers the status JSON without requiring auth (or,
      // with requireAuth, refuses the request that carries no key).
      if (method !== 'GET') {
        this.sendJson(ctx, 405, errorBody(`Method ${method} is not allowed.`, 'invalid_request_error'), { allow: 'GET' });
        return;
      }
      if (url.searchParams.get('requireAuth') === '1' && !ctx.entry.hasAuthorization) {
        this.sendJson(ctx, 401, errorBody('Missing bearer token.', 'authentication_error'));
        return;
      }
      this.handleStatus(ctx, decodeURIComponent(statusMatch[1]));
      return;
    }

    const fileMatch = /^\/files\/([^/]+)\.mp4$/.exec(url.pathname);
    if (!fileMatch) {
      this.sendXmlError(ctx, 404, 'NoSuchKey', 'The specified key does not exist.');
      return;
    }
    ctx.route = 'storage';
    if (method !== 'GET' && method !== 'HEAD') {
      this.sendXmlError(ctx, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      return;
    }
    if (this.applyFaults(ctx)) return;
    const job = this.jobs.get(decodeURIComponent(fileMatch[1]));
    if (!job || this.jobState(job, Date.now()).status !== 'completed') {
      this.sendXmlError(ctx, 404, 'NoSuchKey', 'The specified key does not exist.');
      return;
    }
    const sig = url.searchParams.get('sig');
    if (this.faults.expireSignature.count > 0) {
      this.faults.expireSignature.count--;
      ctx.entry.fault = 'expireSignature';
      this.sendXmlError(ctx, 403, 'AccessDenied', 'Request has expired.');
      return;
    }
    if (!sig || !job.sigs.includes(sig)) {
      this.sendXmlError(ctx, 403, 'AccessDenied', 'Request has expired or the signature does not match.');
      return;
    }
    if (this.faults.truncateDownload.count > 0 && method === 'GET') {
      this.faults.truncateDownload.count--;
      ctx.truncate = true;
      ctx.entry.fault = ctx.entry.fault ? `${ctx.entry.fault}+truncateDownload` : 'truncateDownload';
    }
    if (this.faults.notMp4.count > 0 && method === 'GET') {
      this.faults.notMp4.count--;
      ctx.entry.fault = ctx.entry.fault ? `${ctx.entry.fault}+notMp4` : 'notMp4';
      this.send(ctx, 200, { 'content-type': 'text/html' }, '<!DOCTYPE html><html><body><h1>Network login required</h1></body></html>\n');
      return;
    }
    if (this.faults.ignoreRange.count > 0 && ctx.req.headers.range) {
      this.faults.ignoreRange.count--;
      ctx.entry.fault = ctx.entry.fault ? `${ctx.entry.fault}+ignoreRange` : 'ignoreRange';
      delete ctx.req.headers.range;
    }
    if (this.faults.changeOnResume.count > 0 && ctx.req.headers.range && method === 'GET') {
      this.faults.changeOnResume.count--;
      ctx.entry.fault = ctx.entry.fault ? `${ctx.entry.fault}+changeOnResume` : 'changeOnResume';
      job.videoFile = await this.changedObject(job);
      if (this.faults.changeOnResume.ignoreIfRange) delete ctx.req.headers['if-range'];
    }
    await this.serveFile(ctx, job.videoFile);
  }

  /**
   * A new object of the same size as the job's video: the same `ftyp` box, other bytes after it, and
   * a modification time a second later (so a new ETag and Last-Modified). Kept until `close()`.
   */
  private async changedObject(job: SimJob): Promise<string> {
    const bytes = await fs.promises.readFile(job.videoFile);
    const headerEnd = Math.min(bytes.length, bytes.readUInt32BE(0));
    for (let i = headerEnd; i < bytes.length; i++) bytes[i] ^= 0x5a;
    this.changedDir ??= await fs.promises.mkdtemp(path.join(os.tmpdir(), 'omni-sim-changed-'));
    const file = path.join(this.changedDir, `${job.id.replace(/[^\w-]/g, '_')}-${++this.changes}.mp4`);
    await fs.promises.writeFile(file, bytes);
    const later = new Date((await fs.promises.stat(job.videoFile)).mtimeMs + 1000 * this.changes);
    await fs.promises.utimes(file, later, later);
    return file;
  }

  private sendXmlError(ctx: Ctx, status: number, code: string, message: string): void {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
    this.send(ctx, status, { 'content-type': 'application/xml' }, xml);
  }

  private async serveFile(ctx: Ctx, file: string): Promise<void> {
    const { req, res } = ctx;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      this.sendXmlError(ctx, 404, 'NoSuchKey', 'The stored object is missing.');
      return;
    }
    const size = stat.size;
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const lastModified = stat.mtime.toUTCString();
    const headers: Record<string, string | number> = {
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      ...(this.faults.noValidators ? {} : { etag }),
      ...(this.faults.noValidators === true ? {} : { 'last-modified': lastModified }),
      'cache-control': 'private, max-age=3600',
    };

    let status = 200;
    let start = 0;
    let end = size - 1;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'];
    // If-Range (RFC 9110 §13.1.5): the range only while the object is the one the validator names,
    // an entity tag or a Last-Modified date; otherwise the whole new object, 200.
    if (typeof range === 'string' && (ifRange === undefined || ifRange === etag || ifRange === lastModified)) {
      const r = parseRange(range, size);
      if (r === 'unsatisfiable') {
        this.send(ctx, 416, { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes', 'content-type': 'application/xml' },
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>\n`);
        return;
      }
      if (r) {
        status = 206;
        start = r.start;
        end = r.end;
        headers['content-range'] = `bytes ${start}-${end}/${size}`;
      }
    }
    const length = size === 0 ? 0 : end - start + 1;
    headers['content-length'] = length;
    ctx.entry.responseHeaders = headers;

    if (req.method === 'HEAD') {
      res.writeHead(status, headers);
      res.end();
      this.finish(ctx, status);
      return;
    }

    let sendBytes = length;
    let mode: 'full' | 'truncate' | 'drop' = 'full';
    if (ctx.cutAfter !== undefined) {
      sendBytes = Math.min(ctx.cutAfter, length);
      mode = 'drop';
    } else if (ctx.truncate) {
      sendBytes = Math.floor(length / 2);
      mode = 'truncate';
    }
    if (mode !== 'full') headers.connection = 'close';
    res.writeHead(status, headers);
    if (mode !== 'full') res.once('finish', () => (mode === 'drop' ? res.socket?.destroy() : res.socket?.end()));
    if (sendBytes <= 0) {
      res.end();
    } else {
      // 1 MB reads: a storage server sends large files in large pieces (64 KB would make this process
      // the bottleneck of download benchmarks).
      const stream = fs.createReadStream(file, { start, end: start + sendBytes - 1, highWaterMark: 1024 * 1024 });
      const pace = this.options.paceBytesPerSecond;
      pipeline(pace ? stream.pipe(pacedTo(pace)) : stream, res, (err) => {
        if (err && !res.destroyed) res.destroy();
      });
    }
    this.finish(
      ctx,
      mode === 'drop' ? 0 : status,
      mode === 'full' ? ` ${formatBytes(length)}` : ` (${mode}: ${sendBytes} of ${length} body bytes)`,
    );
  }

  // ----- control endpoints -----

  private async onControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const started = Date.now();
    const body = await this.readBody(req);
    const entry = this.newEntry('control', req, body);
    const ctx: Ctx = { req, res, entry, started };
    if (!body) return;
    const method = req.method ?? 'GET';
    const sub = url.pathname.replace(/^\/_sim\/?/, '').replace(/\/+$/, '');
    const parseJson = (): Record<string, unknown> | undefined => {
      if (body.buf.length === 0) return {};
      try {
        const v: unknown = JSON.parse(body.buf.toString('utf8'));
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* fall through */
      }
      this.sendJson(ctx, 400, { error: 'body must be a JSON object' });
      return undefined;
    };

    const key = `${method} ${sub}`;
    switch (key) {
      case 'GET ':
        this.sendJson(ctx, 200, {
          apiBaseUrl: this.apiBaseUrl,
          controlUrl: this.controlUrl,
          storageOrigin: this.storageOrigin,
          token: this.token,
          config: this.config,
          faults: this.faults,
        });
        return;
      case 'GET requests': {
        const full = ['1', 'true'].includes(url.searchParams.get('full') ?? '');
        this.sendJson(ctx, 200, full ? this.requests : this.requests.map((r) => this.summarized(r)));
        return;
      }
      case 'POST reset':
        this.reset();
        this.sendJson(ctx, 200, { ok: true });
        return;
      case 'GET faults':
        this.sendJson(ctx, 200, this.faults);
        return;
      case 'POST faults': {
        const patch = parseJson();
        if (!patch) return;
        try {
          this.setFaults(patch as Partial<Faults>);
        } catch (err) {
          this.sendJson(ctx, 400, { error: err instanceof Error ? err.message : String(err) });
          return;
        }
        this.sendJson(ctx, 200, this.faults);
        return;
      }
      case 'GET config':
        this.sendJson(ctx, 200, this.config);
        return;
      case 'POST config': {
        const patch = parseJson();
        if (!patch) return;
        try {
          this.setConfig(patch as Partial<SimulatorConfig>);
        } catch (err) {
          this.sendJson(ctx, 400, { error: err instanceof Error ? err.message : String(err) });
          return;
        }
        this.sendJson(ctx, 200, this.config);
        return;
      }
      case 'GET jobs': {
        const now = Date.now();
        this.sendJson(
          ctx,
          200,
          [...this.jobs.values()].map((job) => ({
            id: job.id,
            mode: job.mode,
            orientation: job.orientation,
            secondsAsked: job.secondsAsked,
            secondsReturned: job.secondsReturned,
            fail: job.fail,
            createdAtMs: job.createdAtMs,
            queuedMs: job.queuedMs,
            processingMs: job.processingMs,
            videoFile: job.videoFile,
            request: summarizeBody(job.request),
            view: this.jobView(job, now),
          })),
        );
        return;
      }
      default:
        this.sendJson(ctx, 404, {
          error: `unknown control endpoint ${method} ${url.pathname}`,
          endpoints: ['GET /_sim', 'GET /_sim/requests[?full=1]', 'POST /_sim/reset', 'GET|POST /_sim/faults', 'GET|POST /_sim/config', 'GET /_sim/jobs'],
        });
    }
  }

  private summarized(r: LoggedRequest): LoggedRequest {
    if (r.body === undefined) return r;
    let body = this.summaries.get(r);
    if (body === undefined) {
      body = summarizeBody(r.body);
      this.summaries.set(r, body);
    }
    return { ...r, body };
  }
}

/**
 * Passes bytes on at `bytesPerSecond` on average, in 64 KB pieces (about a TCP window's worth), each
 * released when the schedule says it is due: a link of that speed, as seen by the client.
 */
function pacedTo(bytesPerSecond: number): Transform {
  const PIECE = 64 * 1024;
  let started: number | undefined;
  let sent = 0;
  return new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _encoding, done) {
      started ??= performance.now();
      const pieces: Buffer[] = [];
      for (let at = 0; at < chunk.length; at += PIECE) pieces.push(chunk.subarray(at, at + PIECE));
      const next = () => {
        const piece = pieces.shift();
        if (!piece) return done();
        const due = started! + ((sent + piece.length) / bytesPerSecond) * 1000;
        const wait = due - performance.now();
        const push = () => {
          sent += piece.length;
          this.push(piece);
          next();
        };
        if (wait > 1) setTimeout(push, wait);
        else push();
      };
      next();
    },
  });
}

/** Parses a single `bytes=` range. Returns undefined to ignore the header (multi-range or malformed). */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  let end = b === '' ? size - 1 : Number(b);
  if (b !== '' && end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  if (end >= size) end = size - 1;
  return { start, end };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorImpl(options);
  await sim.listen();
  return sim;
}
