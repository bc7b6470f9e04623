/**
 * Turns a resolved media reference (a file, an http(s) URL or a data URI) into what a create request
 * carries and what the sidecar records, refusing before anything is sent what the provider would refuse
 * or bill for nothing (docs/decisions.md, "Media limits, checked before anything is sent").
 */
import { open, stat } from 'node:fs/promises';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { formatBytes } from '../common/logger';
import { FileDataUri } from './requestBody';
import {
  FORMAT_NAMES,
  readHeadAndTail,
  sniffMedia,
  SNIFF_HEAD_BYTES,
  SNIFF_TAIL_BYTES,
  type MediaMime,
  type ReadableFile,
  type SniffedMedia,
  type SniffResult,
  type SniffUnknown,
} from '../media/mediaSniffing';

export type MediaRole = 'firstImage' | 'lastImage' | 'reference' | 'video';

/** Where the media lives, once the UI layer resolved a Uri, path, URL or data URI. */
export type MediaSource =
  | { kind: 'file'; path: string; /** Workspace-relative path, for messages and the sidecar. */ displayPath: string }
  | { kind: 'url'; url: string }
  | { kind: 'dataUri'; uri: string };

export interface PreparedMedia {
  role: MediaRole;
  source: MediaSource['kind'];
  /**
   * What goes in the request body: a FileDataUri for files (read and encoded while the request is
   * sent), the URL or data URI as given otherwise.
   */
  value: string | FileDataUri;
  /** What the sidecar records: the displayPath, the URL, or `data:<mime>;base64,<N bytes>` — never the data. */
  recorded: string;
  /** From the bytes (files, data URIs); unknown for URLs, which are not fetched. */
  kind?: 'image' | 'video';
  mime?: MediaMime;
  /** Size of the media itself (not of its base64); unknown for URLs. */
  bytes?: number;
  width?: number;
  height?: number;
  /** Things worth telling the user that do not stop the request (a very large image). */
  warnings: string[];
}

export const MEDIA_LIMITS = {
  /** The provider's limit for a clip uploaded as a data URI. */
  videoDataUriBytes: 10 * 1024 * 1024,
  /** This extension's limit for an image uploaded as a data URI (see the module comment). */
  imageDataUriBytes: 20 * 1024 * 1024,
  /** Above this an image gets a warning. */
  imageWarnBytes: 8 * 1024 * 1024,
  /** Above this many pixels on a side an image gets a warning. */
  imageWarnSide: 4096,
} as const;

/** The file system calls `prepareMedia` makes; tests substitute them to watch what is read. */
export interface MediaFs {
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  open(path: string): Promise<ReadableFile & { close(): Promise<void> }>;
}

export const nodeMediaFs: MediaFs = { stat: (path) => stat(path), open: (path) => open(path, 'r') };

export interface PrepareMediaOptions {
  fs?: MediaFs;
}

/** The role in words, in the user's language, as messages use it: "the first frame", "a reference image". */
export const describeRole = (role: MediaRole): string =>
  ({
    firstImage: () => l10n.t('the first frame'),
    lastImage: () => l10n.t('the last frame'),
    reference: () => l10n.t('a reference image'),
    video: () => l10n.t('the video to edit or extend'),
  })[role]();

export async function prepareMedia(source: MediaSource, role: MediaRole, options: PrepareMediaOptions = {}): Promise<PreparedMedia> {
  switch (source.kind) {
    case 'file':
      return prepareFile(source.path, source.displayPath, role, options.fs ?? nodeMediaFs);
    case 'url':
      return /^\s*data:/i.test(source.url) ? prepareDataUri(source.url, role) : prepareUrl(source.url, role);
    case 'dataUri':
      return prepareDataUri(source.uri, role);
  }
}

// ---------------------------------------------------------------------------------------------------
// Files

async function prepareFile(path: string, displayPath: string, role: MediaRole, fs: MediaFs): Promise<PreparedMedia> {
  const info = await fs.stat(path).catch((error: unknown) => {
    throw fileError(error, displayPath, role);
  });
  if (info.isDirectory()) throw refuse(l10n.t('{0} is a folder. Choose {1} instead.', displayPath, wantedFile(role)));
  if (!info.isFile()) throw refuse(l10n.t('{0} is not a regular file. Choose {1} instead.', displayPath, wantedFile(role)));
  if (info.size === 0) throw refuse(l10n.t('{0} is empty (0 bytes). Choose another file or save it again.', displayPath));

  const handle = await fs.open(path).catch((error: unknown) => {
    throw fileError(error, displayPath, role);
  });
  try {
    const { head, tail } = await readHeadAndTail(handle, info.size);
    const media = checkSniffed(sniffMedia(head, info.size, tail), info.size, role, displayPath);
    return {
      role,
      source: 'file',
      value: new FileDataUri(path, media.mime, info.size, displayPath),
      recorded: displayPath,
      kind: media.kind,
      mime: media.mime,
      bytes: info.size,
      ...dimensions(media),
      warnings: imageWarnings(media, info.size, displayPath),
    };
  } catch (error) {
    if (error instanceof OmniVideoError) throw error;
    throw fileError(error, displayPath, role);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Reads exactly `size` bytes (the size checked before), refusing a file that changed meanwhile. */
function fileError(error: unknown, displayPath: string, role: MediaRole): OmniVideoError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return refuse(l10n.t('{0} was not found. Check that the file exists, or choose {1}.', displayPath, wantedFile(role)), error);
  }
  if (code === 'EISDIR') return refuse(l10n.t('{0} is a folder. Choose {1} instead.', displayPath, wantedFile(role)), error);
  if (code === 'EACCES' || code === 'EPERM') return refuse(l10n.t('{0} cannot be read: permission denied.', displayPath), error);
  return refuse(l10n.t('{0} could not be read ({1}).', displayPath, code ?? (error as Error | undefined)?.message ?? String(error)), error);
}

// ---------------------------------------------------------------------------------------------------
// URLs

function prepareUrl(raw: string, role: MediaRole): PreparedMedia {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse(l10n.t('"{0}" is not a valid URL. Give an http(s) URL, a workspace file or a data URI for {1}.', shorten(text), describeRole(role)));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(
      l10n.t(
        '{0}: URLs cannot be used for {1} ("{2}"): the provider fetches media only over http or https. Give an http(s) URL, or download the file into the workspace and choose it.',
        url.protocol.replace(/:$/, ''),
        describeRole(role),
        shorten(text),
      ),
    );
  }
  if (!url.hostname) throw refuse(l10n.t('"{0}" has no host name. Give a complete http(s) URL for {1}.', shorten(text), describeRole(role)));
  // Sent as given (the provider fetches it); recorded without any user:password it may carry.
  let recorded = text;
  if (url.username || url.password) {
    const clean = new URL(text);
    clean.username = '';
    clean.password = '';
    recorded = clean.href;
  }
  return { role, source: 'url', value: text, recorded, warnings: [] };
}

// ---------------------------------------------------------------------------------------------------
// Data URIs

const MIME_ALIASES: Record<string, MediaMime> = {
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/webp': 'image/webp',
  'image/gif': 'image/gif',
  'video/mp4': 'video/mp4',
  'video/quicktime': 'video/quicktime',
  'video/webm': 'video/webm',
};

function prepareDataUri(raw: string, role: MediaRole): PreparedMedia {
  const uri = raw.trim();
  const comma = uri.indexOf(',');
  const header = comma >= 0 && comma <= 512 ? uri.slice(0, comma) : '';
  const match = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)((?:;[^;,]*)*)$/i.exec(header);
  const subject = l10n.t('The data URI given for {0}', describeRole(role));
  if (!match || !match[2].split(';').some((p) => p.toLowerCase() === 'base64')) {
    throw refuse(l10n.t('{0} is malformed: expected data:<type>;base64,<data>.', subject));
  }
  const claimed = match[1].toLowerCase();
  const wantKind = role === 'video' ? 'video' : 'image';
  if (!claimed.startsWith(`${wantKind}/`)) {
    throw refuse(
      role === 'video'
        ? l10n.t('{0} is {1}, but {2} must be a video (MP4, MOV or WebM).', subject, claimed, describeRole(role))
        : l10n.t('{0} is {1}, but {2} must be an image (PNG, JPEG, WebP or GIF).', subject, claimed, describeRole(role)),
    );
  }

  let payload = uri.slice(comma + 1);
  if (/\s/.test(payload)) payload = payload.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw refuse(l10n.t('{0} is not valid base64.', subject));
  }
  if (payload.length % 4 !== 0) payload += '='.repeat(4 - (payload.length % 4));
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  const bytes = (payload.length / 4) * 3 - padding;
  if (bytes === 0) throw refuse(l10n.t('{0} contains no data.', subject));

  // Decode only the head and the tail: enough to sniff, without copying a 10 MB payload.
  const head = Buffer.from(payload.slice(0, Math.ceil(SNIFF_HEAD_BYTES / 3) * 4), 'base64').subarray(0, SNIFF_HEAD_BYTES);
  const tailChars = Math.ceil((SNIFF_TAIL_BYTES + 2) / 3) * 4;
  const tailStart = Math.max(0, payload.length - tailChars);
  const tailBytes = Buffer.from(payload.slice(tailStart), 'base64');
  const tail = tailBytes.subarray(Math.max(0, tailBytes.length - SNIFF_TAIL_BYTES));

  const media = checkSniffed(sniffMedia(head, bytes, tail), bytes, role, subject);
  const claimedMime = MIME_ALIASES[claimed];
  if (claimedMime !== media.mime && !(isIsoBmff(claimedMime) && isIsoBmff(media.mime))) {
    throw refuse(l10n.t('{0} says {1}, but its data is {2}. Check where the data URI comes from.', subject, claimed, formatName(media)));
  }
  const canonical = `data:${media.mime};base64,`;
  const value = uri.startsWith(canonical) && uri.length === canonical.length + payload.length ? uri : canonical + payload;
  return {
    role,
    source: 'dataUri',
    value,
    recorded: `data:${media.mime};base64,<${bytes} bytes>`,
    kind: media.kind,
    mime: media.mime,
    bytes,
    ...dimensions(media),
    warnings: imageWarnings(media, bytes, l10n.t('The image given as a data URI for {0}', describeRole(role))),
  };
}

function isIsoBmff(mime: MediaMime | undefined): boolean {
  return mime === 'video/mp4' || mime === 'video/quicktime';
}

// ---------------------------------------------------------------------------------------------------
// Rules shared by files and data URIs

/**
 * Applies the rules in the order a user can act on them: what the content is, whether it fits the role,
 * whether it is small enough, and only then whether it is complete.
 */
function checkSniffed(result: SniffResult, bytes: number, role: MediaRole, subject: string): SniffedMedia {
  let media: SniffedMedia;
  switch (result.kind) {
    case 'image':
    case 'video':
      media = result;
      break;
    case 'truncated':
    case 'damaged':
      media = result.media;
      break;
    case 'empty':
      throw refuse(l10n.t('{0} is empty (0 bytes). Choose another file or save it again.', subject));
    case 'unsupported':
      throw refuse(
        role === 'video'
          ? l10n.t('{0} is {1}, which the provider does not take. Convert it to MP4 (H.264) or WebM, or choose {2}.', subject, result.label, wantedFile(role))
          : l10n.t('{0} is {1}, which the provider does not take. Convert it to PNG, JPEG or WebP, or choose {2}.', subject, result.label, wantedFile(role)),
      );
    case 'unknown':
      throw refuse(unrecognised(result, role, subject));
  }

  if (role === 'video' && media.kind !== 'video') {
    throw refuse(l10n.t('{0} is an image ({1}), but the video to edit or extend must be a video clip: MP4, MOV or WebM.', subject, formatName(media)));
  }
  if (role !== 'video' && media.kind !== 'image') throw refuse(videoInImageSlot(role, subject, formatName(media)));

  if (media.kind === 'video' && bytes > MEDIA_LIMITS.videoDataUriBytes) {
    throw refuse(
      l10n.t(
        '{0} is {1}; the provider accepts uploaded clips of at most 10 MB. Trim or compress it below 10 MB, or give an http(s) URL to the clip instead (up to about 100 MB).',
        subject,
        formatBytes(bytes),
      ),
    );
  }
  if (media.kind === 'image' && bytes > MEDIA_LIMITS.imageDataUriBytes) {
    throw refuse(
      l10n.t(
        '{0} is {1}, too large to upload as a data URI (the limit is 20 MB). Resize or compress it, or give an http(s) URL to the image instead.',
        subject,
        formatBytes(bytes),
      ),
    );
  }

  if (result.kind === 'truncated') {
    throw refuse(
      media.kind === 'video'
        ? l10n.t(
            '{0} is an incomplete {1} video ({2}): it was probably cut off while copying or downloading. Save or download it again.',
            subject,
            formatName(media),
            result.detail,
          )
        : l10n.t(
            '{0} is an incomplete {1} image ({2}): it was probably cut off while copying or downloading. Save or download it again.',
            subject,
            formatName(media),
            result.detail,
          ),
    );
  }
  if (result.kind === 'damaged') throw refuse(damaged(media, subject, result.detail));
  return media;
}

/** Contents that are none of the formats sniffing knows: a web page, text, or unknown bytes. */
function unrecognised(result: SniffUnknown, role: MediaRole, subject: string): string {
  const video = role === 'video';
  if (result.html) {
    return video
      ? l10n.t('{0} is not a video: it is a web page (HTML), perhaps saved from a failed download. Download the video again.', subject)
      : l10n.t('{0} is not an image: it is a web page (HTML), perhaps saved from a failed download. Download the image again.', subject);
  }
  if (result.text) {
    return video
      ? l10n.t('{0} is not a video: it contains text, whatever its name says. Choose {1}.', subject, wantedFile(role))
      : l10n.t('{0} is not an image: it contains text, whatever its name says. Choose {1}.', subject, wantedFile(role));
  }
  return video
    ? l10n.t(
        '{0} is not an MP4, MOV or WebM video, whatever its name says: its contents were not recognised. Choose another file, or save it again in one of these formats.',
        subject,
      )
    : l10n.t(
        '{0} is not a PNG, JPEG, WebP or GIF image, whatever its name says: its contents were not recognised. Choose another file, or save it again in one of these formats.',
        subject,
      );
}

/** A clip given for a frame or a reference image. */
function videoInImageSlot(role: Exclude<MediaRole, 'video'>, subject: string, format: string): string {
  switch (role) {
    case 'firstImage':
      return l10n.t(
        '{0} is a video ({1}), but the first frame must be an image: PNG, JPEG, WebP or GIF. To edit or extend a clip, use "Edit or Extend Video".',
        subject,
        format,
      );
    case 'lastImage':
      return l10n.t('{0} is a video ({1}), but the last frame must be an image: PNG, JPEG, WebP or GIF.', subject, format);
    case 'reference':
      return l10n.t('{0} is a video ({1}), but a reference image must be an image: PNG, JPEG, WebP or GIF.', subject, format);
  }
}

/** Media whose header is impossible; `detail` says what is wrong with it. */
function damaged(media: SniffedMedia, subject: string, detail: string): string {
  if (media.kind === 'image') {
    return l10n.t('{0} looks like a {1} image but is damaged ({2}). Save it again from an editor or choose another file.', subject, formatName(media), detail);
  }
  if (media.format === 'mp4') {
    return l10n.t('{0} looks like an MP4 video but is damaged ({1}). Save it again from an editor or choose another file.', subject, detail);
  }
  return l10n.t('{0} looks like a {1} video but is damaged ({2}). Save it again from an editor or choose another file.', subject, formatName(media), detail);
}

function imageWarnings(media: SniffedMedia, bytes: number, subject: string): string[] {
  if (media.kind !== 'image') return [];
  const warnings: string[] = [];
  const side = MEDIA_LIMITS.imageWarnSide;
  if (media.width !== undefined && media.height !== undefined && (media.width > side || media.height > side)) {
    warnings.push(
      l10n.t(
        '{0} is {1}×{2} pixels, larger than {3} px on a side: the provider may scale it down or refuse it. A smaller copy uploads faster and gives the same video.',
        subject,
        media.width,
        media.height,
        side,
      ),
    );
  }
  if (bytes > MEDIA_LIMITS.imageWarnBytes) {
    warnings.push(l10n.t('{0} is {1}: the request will be slow to upload. A resized or compressed copy gives the same video.', subject, formatBytes(bytes)));
  }
  return warnings;
}

function dimensions(media: SniffedMedia): { width?: number; height?: number } {
  return media.width !== undefined && media.height !== undefined ? { width: media.width, height: media.height } : {};
}

function formatName(media: SniffedMedia): string {
  return FORMAT_NAMES[media.format];
}

/** The kind of file to choose instead, in the user's language. */
function wantedFile(role: MediaRole): string {
  return role === 'video' ? l10n.t('a video file (MP4, MOV or WebM)') : l10n.t('an image file (PNG, JPEG, WebP or GIF)');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function refuse(message: string, cause?: unknown): OmniVideoError {
  return new OmniVideoError('badRequest', message, cause === undefined ? {} : { cause });
}
