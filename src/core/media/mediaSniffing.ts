/**
 * Media type detection from a file's bytes, never its name, reading at most its first 64 KB and last
 * bytes (docs/decisions.md, "Media types come from the bytes").
 */
import { open } from 'node:fs/promises';
import { l10n } from '../common/l10n';
import { EBML_MAGIC, LEGACY_QUICKTIME_FIRST_BOXES } from './signatures';

/** How much of the start of a file sniffing looks at. */
export const SNIFF_HEAD_BYTES = 64 * 1024;
/** How much of the end of a file sniffing looks at (end-of-image markers and trailers). */
export const SNIFF_TAIL_BYTES = 32;

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';
export type VideoFormat = 'mp4' | 'mov' | 'webm';
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
export type VideoMime = 'video/mp4' | 'video/quicktime' | 'video/webm';
export type MediaMime = ImageMime | VideoMime;

export interface SniffedImage {
  kind: 'image';
  format: ImageFormat;
  mime: ImageMime;
  /** Pixel size, when the header holds it within the bytes read. */
  width?: number;
  height?: number;
}

export interface SniffedVideo {
  kind: 'video';
  format: VideoFormat;
  mime: VideoMime;
  width?: undefined;
  height?: undefined;
}

/** A file of a type the provider takes. */
export type SniffedMedia = SniffedImage | SniffedVideo;

/** The file has no bytes. */
export interface SniffEmpty {
  kind: 'empty';
}

/** Starts like `media` but ends too early (`truncated`) or has an impossible header (`damaged`). */
export interface SniffBroken {
  kind: 'truncated' | 'damaged';
  media: SniffedMedia;
  /** A short technical reason in the user's language, e.g. "no end-of-image marker". */
  detail: string;
}

/** A recognised format the provider does not take (HEIC, BMP, SVG, …). */
export interface SniffUnsupported {
  kind: 'unsupported';
  /** What it is, for messages, in the user's language: "a HEIC image", "a Matroska (MKV) video". */
  label: string;
  mediaKind: 'image' | 'video' | 'other';
}

/** Not recognised. `text` when it reads as text (a renamed .txt, a saved web page); `html` for HTML. */
export interface SniffUnknown {
  kind: 'unknown';
  text: boolean;
  html: boolean;
}

export type SniffResult = SniffedMedia | SniffEmpty | SniffBroken | SniffUnsupported | SniffUnknown;

export const FORMAT_NAMES: Record<ImageFormat | VideoFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  mp4: 'MP4',
  mov: 'MOV',
  webm: 'WebM',
};

/**
 * Detects the type of a file from its first bytes (`head`: the first min(64 KB, size) bytes) and, for
 * end-marker checks, its last bytes (`tail`: the last min(32, size) bytes). When `tail` is omitted and
 * `head` is the whole file, the end of `head` is used; otherwise end checks are skipped.
 */
export function sniffMedia(head: Buffer, fileSize: number, tail?: Buffer): SniffResult {
  if (fileSize === 0 || head.length === 0) return { kind: 'empty' };
  const whole = head.length >= fileSize;
  const end = tail ?? (whole ? head.subarray(Math.max(0, head.length - SNIFF_TAIL_BYTES)) : undefined);
  const ctx: Ctx = { head, fileSize, whole, tail: end };

  if (startsWith(head, PNG_SIGNATURE)) return sniffPng(ctx);
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return sniffJpeg(ctx);
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return sniffWebp(ctx);
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return sniffGif(ctx);
  if (ascii(head, 4, 4) === 'ftyp') return sniffIsoBmff(ctx);
  if (LEGACY_QUICKTIME_FIRST_BOXES.has(ascii(head, 4, 4)) && head.readUInt32BE(0) !== 1 && (head.readUInt32BE(0) >= 8 || head.readUInt32BE(0) === 0)) {
    return sniffIsoBmff(ctx, VIDEO.mov);
  }
  if (head.length >= 4 && head.readUInt32BE(0) === EBML_MAGIC) return sniffEbml(ctx);

  // Too short to tell a signature from its beginning: a file cut after a few bytes.
  if (whole && fileSize < 8) {
    for (const [prefix, media] of SHORT_PREFIXES) {
      if (head.length < prefix.length && startsWith(prefix, head)) return { kind: 'truncated', media, detail: l10n.t('the file ends inside its signature') };
    }
  }
  return sniffOther(head);
}

/** The bytes sniffing needs from an open file: the head and the tail, two reads at most. */
export interface ReadableFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

export async function readHeadAndTail(file: ReadableFile, size: number): Promise<{ head: Buffer; tail: Buffer }> {
  const head = await readAt(file, 0, Math.min(size, SNIFF_HEAD_BYTES));
  if (head.length < Math.min(size, SNIFF_HEAD_BYTES) || size <= SNIFF_HEAD_BYTES) {
    return { head, tail: head.subarray(Math.max(0, head.length - SNIFF_TAIL_BYTES)) };
  }
  const tail = await readAt(file, size - SNIFF_TAIL_BYTES, SNIFF_TAIL_BYTES);
  return { head, tail };
}

/** Opens `path`, reads its head and tail (never the whole file) and sniffs them. */
export async function sniffFile(path: string): Promise<{ size: number; result: SniffResult }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const { head, tail } = await readHeadAndTail(handle, size);
    return { size, result: sniffMedia(head, size, tail) };
  } finally {
    await handle.close();
  }
}

async function readAt(file: ReadableFile, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

// ---------------------------------------------------------------------------------------------------

interface Ctx {
  head: Buffer;
  fileSize: number;
  /** `head` is the whole file. */
  whole: boolean;
  /** The last bytes of the file, when known. */
  tail?: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const IMAGE = {
  png: { kind: 'image', format: 'png', mime: 'image/png' },
  jpeg: { kind: 'image', format: 'jpeg', mime: 'image/jpeg' },
  webp: { kind: 'image', format: 'webp', mime: 'image/webp' },
  gif: { kind: 'image', format: 'gif', mime: 'image/gif' },
} as const satisfies Record<ImageFormat, SniffedImage>;

const VIDEO = {
  mp4: { kind: 'video', format: 'mp4', mime: 'video/mp4' },
  mov: { kind: 'video', format: 'mov', mime: 'video/quicktime' },
  webm: { kind: 'video', format: 'webm', mime: 'video/webm' },
} as const satisfies Record<VideoFormat, SniffedVideo>;

const SHORT_PREFIXES: [Buffer, SniffedMedia][] = [
  [PNG_SIGNATURE, IMAGE.png],
  [Buffer.from([0xff, 0xd8, 0xff]), IMAGE.jpeg],
  [Buffer.from('GIF8', 'latin1'), IMAGE.gif],
  [Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), VIDEO.webm],
];

function image(base: SniffedImage, width: number | undefined, height: number | undefined): SniffedImage {
  return width && height ? { ...base, width, height } : { ...base };
}

function broken(kind: 'truncated' | 'damaged', media: SniffedMedia, detail: string): SniffBroken {
  return { kind, media: { ...media }, detail };
}

function startsWith(buffer: Buffer, prefix: Buffer): boolean {
  return buffer.length >= prefix.length && buffer.subarray(0, prefix.length).equals(prefix);
}

function ascii(buffer: Buffer, offset: number, length: number): string {
  if (buffer.length < offset + length) return '';
  return buffer.toString('latin1', offset, offset + length);
}

// PNG: signature, IHDR first (width, height big-endian at 16 and 20), chunks, IEND last.
function sniffPng({ head, fileSize, whole, tail }: Ctx): SniffResult {
  if (head.length < 24) {
    return whole ? broken('truncated', IMAGE.png, l10n.t('the file ends inside the IHDR header')) : image(IMAGE.png, undefined, undefined);
  }
  if (head.readUInt32BE(8) !== 13 || ascii(head, 12, 4) !== 'IHDR') return broken('damaged', IMAGE.png, l10n.t('the first chunk is not IHDR'));
  const media = image(IMAGE.png, head.readUInt32BE(16), head.readUInt32BE(20));
  if (!media.width || !media.height) return broken('damaged', IMAGE.png, l10n.t('the header gives a zero width or height'));

  let sawEnd = false;
  for (let pos = 8; pos + 8 <= head.length; ) {
    const length = head.readUInt32BE(pos);
    const type = ascii(head, pos + 4, 4);
    const next = pos + 12 + length;
    if (next > fileSize) return broken('truncated', media, l10n.t('the {0} chunk runs past the end of the file', type));
    if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    pos = next;
  }
  if (!sawEnd && tail && tail.indexOf('IEND', 0, 'latin1') < 0) return broken('truncated', media, l10n.t('no IEND chunk at the end'));
  return media;
}

// JPEG: SOI, segments (FF marker, 16-bit length), SOFn holds height then width, SOS, scan data, EOI (FF D9).
const JPEG_STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function sniffJpeg({ head, fileSize, whole, tail }: Ctx): SniffResult {
  let width: number | undefined;
  let height: number | undefined;
  let pos = 2;
  for (;;) {
    if (pos + 4 > head.length) {
      if (whole) return broken('truncated', image(IMAGE.jpeg, width, height), l10n.t('the file ends inside the header'));
      break; // the header goes on past what was read: dimensions unknown, nothing wrong seen
    }
    if (head[pos] !== 0xff) return broken('damaged', IMAGE.jpeg, l10n.t('no marker at byte {0}', pos));
    const marker = head[pos + 1];
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (JPEG_STANDALONE.has(marker)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9) return broken('damaged', IMAGE.jpeg, l10n.t('the image ends before its frame header'));
    const length = head.readUInt16BE(pos + 2);
    if (length < 2) return broken('damaged', IMAGE.jpeg, l10n.t('a segment has an impossible length'));
    if (pos + 2 + length > fileSize) return broken('truncated', image(IMAGE.jpeg, width, height), l10n.t('a header segment runs past the end of the file'));
    if (isSof(marker)) {
      if (pos + 9 > head.length) break;
      height = head.readUInt16BE(pos + 5);
      width = head.readUInt16BE(pos + 7);
      if (!width || !height) return broken('damaged', IMAGE.jpeg, l10n.t('the frame header gives a zero width or height'));
      break;
    }
    if (marker === 0xda) return broken('damaged', IMAGE.jpeg, l10n.t('the scan starts before the frame header'));
    pos += 2 + length;
  }
  const media = image(IMAGE.jpeg, width, height);
  // Scan data never contains FF D9 (an FF there is followed by 00 or a restart marker), so a file whose last
  // bytes hold no FF D9 was cut off. Bytes after the marker are tolerated (padding, small trailers), and so
  // are the videos that phone "motion photos" append after the JPEG, which the XMP in the head announces.
  if (tail && !hasBytePair(tail, 0xff, 0xd9) && !announcesAppendedData(head)) {
    return broken('truncated', media, l10n.t('no end-of-image marker'));
  }
  return media;
}

function hasBytePair(buffer: Buffer, a: number, b: number): boolean {
  for (let i = 0; i + 1 < buffer.length; i++) if (buffer[i] === a && buffer[i + 1] === b) return true;
  return false;
}

function announcesAppendedData(head: Buffer): boolean {
  const text = head.toString('latin1');
  return /MotionPhoto|MicroVideo|GContainer|EmbeddedVideo/.test(text);
}

// WebP: RIFF <size LE> WEBP, then a VP8, VP8L or VP8X chunk at 12, its payload at 20.
function sniffWebp({ head, fileSize }: Ctx): SniffResult {
  const declared = head.readUInt32LE(4) + 8;
  let width: number | undefined;
  let height: number | undefined;
  const chunk = ascii(head, 12, 4);
  if (head.length < (chunk === 'VP8L' ? 25 : 30)) {
    if (declared > fileSize) return broken('truncated', IMAGE.webp, l10n.t('the file ends inside the header'));
    return broken('damaged', IMAGE.webp, l10n.t('the header is too short'));
  }
  if (chunk === 'VP8 ') {
    if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return broken('damaged', IMAGE.webp, l10n.t('the VP8 frame has no start code'));
    width = head.readUInt16LE(26) & 0x3fff;
    height = head.readUInt16LE(28) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (head[20] !== 0x2f) return broken('damaged', IMAGE.webp, l10n.t('the VP8L stream has no signature'));
    const bits = head.readUInt32LE(21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    width = head.readUIntLE(24, 3) + 1;
    height = head.readUIntLE(27, 3) + 1;
  } else {
    return broken('damaged', IMAGE.webp, l10n.t('unknown first chunk {0}', JSON.stringify(chunk)));
  }
  const media = image(IMAGE.webp, width, height);
  if (declared > fileSize) return broken('truncated', media, l10n.t('the file is {0} bytes but declares {1}', fileSize, declared));
  return media;
}

// GIF: header, logical screen (width, height little-endian at 6 and 8), blocks, trailer 0x3B.
function sniffGif({ head, whole, tail }: Ctx): SniffResult {
  if (head.length < 10) return whole ? broken('truncated', IMAGE.gif, l10n.t('the file ends inside the header')) : image(IMAGE.gif, undefined, undefined);
  const media = image(IMAGE.gif, head.readUInt16LE(6), head.readUInt16LE(8));
  if (tail) {
    let last = tail.length - 1;
    while (last >= 0 && tail[last] === 0x00) last--; // tolerate zero padding after the trailer
    if (last < 0 || tail[last] !== 0x3b) return broken('truncated', media, l10n.t('no GIF trailer at the end'));
  }
  return media;
}

// ISO BMFF (MP4, MOV, and HEIF/AVIF images): `ftyp` box first, then top-level boxes.
const heicImage = () => l10n.t('a HEIC image');
const heicSequence = () => l10n.t('a HEIC image sequence');
/** Labels are functions: they are translated when a file is sniffed, not when this module loads. */
const ISO_IMAGE_BRANDS: Record<string, () => string> = {
  heic: heicImage,
  heix: heicImage,
  heim: heicImage,
  heis: heicImage,
  hevc: heicSequence,
  hevx: heicSequence,
  mif1: () => l10n.t('a HEIF image'),
  msf1: () => l10n.t('a HEIF image sequence'),
  avif: () => l10n.t('an AVIF image'),
  avis: () => l10n.t('an AVIF image sequence'),
  'crx ': () => l10n.t('a Canon raw photo'),
};

function sniffIsoBmff({ head, fileSize }: Ctx, legacy?: SniffedVideo): SniffResult {
  const brand = legacy ? '' : ascii(head, 8, 4);
  const imageLabel = Object.hasOwn(ISO_IMAGE_BRANDS, brand) ? ISO_IMAGE_BRANDS[brand] : undefined;
  if (imageLabel) return { kind: 'unsupported', label: imageLabel(), mediaKind: 'image' };
  const media = legacy ?? (brand === 'qt  ' ? VIDEO.mov : VIDEO.mp4);
  if (!legacy && !brand) return broken('truncated', media, l10n.t('the file ends inside the ftyp box'));
  for (let pos = 0; pos + 8 <= head.length; ) {
    let size = head.readUInt32BE(pos);
    const type = ascii(head, pos + 4, 4);
    if (size === 0) break; // the box runs to the end of the file
    if (size === 1) {
      if (pos + 16 > head.length) break;
      size = Number(head.readBigUInt64BE(pos + 8));
    }
    if (size < 8) return broken('damaged', media, l10n.t('the {0} box has an impossible size', JSON.stringify(type)));
    if (pos + size > fileSize) return broken('truncated', media, l10n.t('the {0} box runs past the end of the file', type));
    pos += size;
  }
  return { ...media };
}

// EBML (WebM, Matroska): header element with a DocType, then the Segment.
function readVint(buffer: Buffer, pos: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | undefined {
  if (pos >= buffer.length) return undefined;
  const first = buffer[pos];
  if (first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (pos + length > buffer.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buffer[pos + i];
    if (buffer[pos + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function sniffEbml({ head, fileSize, whole }: Ctx): SniffResult {
  const headerSize = readVint(head, 4, false);
  if (!headerSize) return whole ? broken('truncated', VIDEO.webm, l10n.t('the file ends inside the EBML header')) : unknownBinary();
  const start = 4 + headerSize.length;
  const end = start + headerSize.value;
  let docType: string | undefined;
  for (let pos = start; pos < Math.min(end, head.length); ) {
    const id = readVint(head, pos, true);
    const size = id && readVint(head, pos + id.length, false);
    if (!id || !size) break;
    const dataStart = pos + id.length + size.length;
    if (id.value === 0x4282) {
      docType = head.toString('latin1', dataStart, Math.min(head.length, dataStart + size.value)).replace(/\0+$/, '');
      break;
    }
    pos = dataStart + size.value;
  }
  if (docType === 'matroska') return { kind: 'unsupported', label: l10n.t('a Matroska (MKV) video'), mediaKind: 'video' };
  if (docType === undefined) {
    return end > fileSize
      ? broken('truncated', VIDEO.webm, l10n.t('the file ends inside the EBML header'))
      : { kind: 'unsupported', label: l10n.t('an EBML file that is not WebM'), mediaKind: 'other' };
  }
  if (docType !== 'webm') return { kind: 'unsupported', label: l10n.t('an EBML file of type {0}', JSON.stringify(docType)), mediaKind: 'other' };
  if (end > fileSize) return broken('truncated', VIDEO.webm, l10n.t('the file ends inside the EBML header'));
  const segmentId = readVint(head, end, true);
  const segmentSize = segmentId && segmentId.value === 0x18538067 ? readVint(head, end + segmentId.length, false) : undefined;
  if (segmentId && segmentSize && !segmentSize.unknown) {
    const segmentEnd = end + segmentId.length + segmentSize.length + segmentSize.value;
    if (segmentEnd > fileSize) return broken('truncated', VIDEO.webm, l10n.t('the file is {0} bytes but its segment ends at {1}', fileSize, segmentEnd));
  } else if (whole && !segmentId) {
    return broken('truncated', VIDEO.webm, l10n.t('the file ends after the EBML header'));
  }
  return { ...VIDEO.webm };
}

// Everything else: a few recognisable formats the provider does not take, then text or unknown.
function sniffOther(head: Buffer): SniffResult {
  const label = otherFormatLabel(head);
  if (label) return { kind: 'unsupported', ...label };
  const text = textOf(head);
  if (text !== undefined) {
    const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
    if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(start)) {
      return { kind: 'unsupported', label: l10n.t('an SVG drawing'), mediaKind: 'image' };
    }
    return { kind: 'unknown', text: true, html: /^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/.test(start) };
  }
  return unknownBinary();
}

function unknownBinary(): SniffUnknown {
  return { kind: 'unknown', text: false, html: false };
}

function otherFormatLabel(head: Buffer): { label: string; mediaKind: 'image' | 'video' | 'other' } | undefined {
  const riffType = ascii(head, 0, 4) === 'RIFF' ? ascii(head, 8, 4) : '';
  if (riffType === 'AVI ') return { label: l10n.t('an AVI video'), mediaKind: 'video' };
  if (riffType === 'WAVE') return { label: l10n.t('a WAV audio file'), mediaKind: 'other' };
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26 && head.readUInt32LE(14) >= 12 && head.readUInt32LE(14) <= 124) {
    return { label: l10n.t('a BMP image'), mediaKind: 'image' };
  }
  const four = head.length >= 4 ? head.readUInt32BE(0) : 0;
  if (four === 0x49492a00 || four === 0x4d4d002a) return { label: l10n.t('a TIFF image'), mediaKind: 'image' };
  if (ascii(head, 0, 5) === '%PDF-') return { label: l10n.t('a PDF document'), mediaKind: 'other' };
  if (four === 0x504b0304) return { label: l10n.t('a ZIP archive'), mediaKind: 'other' };
  if (head.length >= 4 && head[0] === 0x00 && head[1] === 0x00 && head[2] === 0x01 && head[3] === 0xba) return { label: l10n.t('an MPEG program stream video'), mediaKind: 'video' };
  return undefined;
}

/** The head as text when it reads as UTF-8 with no NULs or binary control characters. */
function textOf(head: Buffer): string | undefined {
  const sample = head.subarray(0, 4096);
  try {
    // `stream` keeps a character cut at the end of the sample from counting as invalid.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/.test(text)) return undefined;
    return text;
  } catch {
    return undefined;
  }
}
