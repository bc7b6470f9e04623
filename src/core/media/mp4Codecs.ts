/**
 * Which codecs a video file uses, read from its container without decoding anything, so the preview can
 * say what will not play (docs/decisions.md, "Reading codecs without decoding"). Never throws.
 */
import { open } from 'node:fs/promises';
import { l10n } from '../common/l10n';
import { EBML_MAGIC, ISO_BMFF_FIRST_BOXES } from './signatures';

/** The largest `moov` (or WebM `Tracks`) element that is read into memory. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** At most this many top-level boxes (or Segment children) are walked before giving up. */
export const MAX_TOP_LEVEL_BOXES = 20_000;
/** At most this many boxes are looked at inside `moov`. */
export const MAX_BOXES_IN_MOOV = 200_000;
/** Nesting depth limit for the searches inside a sample description (`wave`, `sinf`, …). */
export const MAX_NESTING_DEPTH = 8;

export type VideoCodec = 'h264' | 'hevc' | 'av1' | 'vp9' | 'vp8' | 'unknown';
export type AudioCodec = 'aac' | 'mp3' | 'opus' | 'flac' | 'vorbis' | 'ac3' | 'eac3' | 'unknown';
export type Container = 'mp4' | 'mov' | 'webm' | 'matroska';

export interface TrackCodec<C extends string> {
  codec: C;
  /** MP4/MOV: the sample entry type (`avc1`, `mp4a`, …); for an encrypted entry, the original format from `frma`. */
  fourcc?: string;
  /** WebM/Matroska: the track's CodecID (`V_VP9`, `A_OPUS`, …). */
  codecId?: string;
  /** MP4/MOV `mp4a`: the esds objectTypeIndication (0x40 = AAC, 0x6B = MP3, …), when it could be read. */
  objectType?: number;
  /** The sample entry is encrypted (`encv`/`enca`, DRM): no webview can play it. */
  encrypted?: true;
}

export type VideoTrackCodec = TrackCodec<VideoCodec>;
export type AudioTrackCodec = TrackCodec<AudioCodec>;

export interface CodecReport {
  ok: true;
  container: Container;
  /** One entry per sample description of each video track, in file order (the first is what a player picks). */
  video: VideoTrackCodec[];
  audio: AudioTrackCodec[];
  /**
   * Problems that did not stop the reading, e.g. one damaged track among readable ones, or a WebM whose
   * tracks could not be found (its codec lists are then empty and `codecsKnown` is false).
   */
  warnings: string[];
  /** False when the container was recognised but its track list could not be read (WebM without `Tracks`). */
  codecsKnown: boolean;
}

export type CodecErrorKind =
  | 'empty' // no bytes at all
  | 'notVideo' // not an MP4/MOV/WebM file (text, garbage, another format)
  | 'truncated' // ends before the movie header (moov) or inside it
  | 'damaged' // impossible box sizes, unreadable structure
  | 'unsupported' // a real file in a form this reader does not handle (compressed QuickTime header, huge moov)
  | 'io'; // the file could not be read

export interface CodecError {
  ok: false;
  kind: CodecErrorKind;
  /** A sentence for the preview in the user's language (English by default), e.g. "The file is truncated: …". */
  message: string;
}

/** Reads `length` bytes at `offset`; may return fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const VIDEO_FOURCCS: Record<string, VideoCodec> = {
  avc1: 'h264',
  avc3: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  av01: 'av1',
  vp09: 'vp9',
  vp08: 'vp8',
};

const AUDIO_FOURCCS: Record<string, AudioCodec> = {
  mp4a: 'aac',
  '.mp3': 'mp3',
  'ms\u0000U': 'mp3', // QuickTime's MPEG layer 3 (0x6D730055)
  Opus: 'opus',
  fLaC: 'flac',
  'ac-3': 'ac3',
  'ec-3': 'eac3',
};

/** esds objectTypeIndication → codec (ISO/IEC 14496-1 and the MP4 registration authority). */
function audioCodecForObjectType(oti: number): AudioCodec {
  if (oti === 0x40 || oti === 0x66 || oti === 0x67 || oti === 0x68) return 'aac';
  if (oti === 0x69 || oti === 0x6b) return 'mp3';
  if (oti === 0xa5) return 'ac3';
  if (oti === 0xa6) return 'eac3';
  if (oti === 0xdd) return 'vorbis';
  return 'unknown';
}

const MATROSKA_CODEC_IDS: [prefix: string, kind: 'video' | 'audio', codec: VideoCodec | AudioCodec][] = [
  ['V_VP8', 'video', 'vp8'],
  ['V_VP9', 'video', 'vp9'],
  ['V_AV1', 'video', 'av1'],
  ['V_MPEG4/ISO/AVC', 'video', 'h264'],
  ['V_MPEGH/ISO/HEVC', 'video', 'hevc'],
  ['A_OPUS', 'audio', 'opus'],
  ['A_VORBIS', 'audio', 'vorbis'],
  ['A_AAC', 'audio', 'aac'],
  ['A_MPEG/L3', 'audio', 'mp3'],
  ['A_FLAC', 'audio', 'flac'],
  ['A_EAC3', 'audio', 'eac3'],
  ['A_AC3', 'audio', 'ac3'],
];

/** Messages used more than once; functions, so that they are translated when used, not when this module loads. */
const MSG = {
  empty: () => l10n.t('The file is empty.'),
  notVideo: () => l10n.t('This is not an MP4/MOV or WebM file.'),
  text: () => l10n.t('This is not an MP4/MOV or WebM file: it contains text.'),
  noMoov: () => l10n.t('The file is truncated: the movie header (moov) is missing or cut off.'),
  moovCut: () => l10n.t('The file is truncated: the movie header (moov) is cut off.'),
  tooManyBoxes: () => l10n.t('The file is damaged: it has too many top-level boxes and no movie header (moov) among them.'),
  webmCut: () => l10n.t('The file is truncated: the WebM header ends early.'),
  webmTracksCut: () => l10n.t('The file is truncated: the WebM track list is cut off.'),
} as const;

function fail(kind: CodecErrorKind, message: string): CodecError {
  return { ok: false, kind, message };
}

function fourccAt(buf: Buffer, at: number): string {
  return buf.toString('latin1', at, at + 4);
}

/** Box types are four printable characters (QuickTime also uses © = 0xA9 in metadata). */
function plausibleType(type: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = type.charCodeAt(i);
    if (!((c >= 0x20 && c <= 0x7e) || c === 0xa9)) return false;
  }
  return type.length === 4;
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  const sample = head.subarray(0, 512);
  for (const b of sample) {
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  return true;
}

/**
 * Lists the codecs of an MP4/MOV/WebM file given a positioned reader. Pure apart from `readAt`; never
 * throws (a throwing `readAt` becomes an `io` error).
 */
export async function parseMp4Codecs(readAt: ReadAt, fileSize: number): Promise<CodecReport | CodecError> {
  try {
    if (!Number.isFinite(fileSize) || fileSize <= 0) return fail('empty', MSG.empty());
    const head = await readAt(0, Math.min(fileSize, 512));
    if (head.length >= 4 && head.readUInt32BE(0) === EBML_MAGIC) return await parseEbml(readAt, fileSize);
    if (head.length < 8) {
      // Too short to hold a box header: a cut-off MP4 if what is there starts like `....ftyp`.
      const partial = head.toString('latin1', 4);
      if (partial.length > 0 && 'ftyp'.startsWith(partial)) return fail('truncated', MSG.noMoov());
      return fail('notVideo', looksLikeText(head) ? MSG.text() : MSG.notVideo());
    }
    const firstType = fourccAt(head, 4);
    const firstSize = head.readUInt32BE(0);
    if (!ISO_BMFF_FIRST_BOXES.has(firstType) || (firstSize !== 0 && firstSize !== 1 && firstSize < 8)) {
      return fail('notVideo', looksLikeText(head) ? MSG.text() : MSG.notVideo());
    }
    return await parseIsoBmff(readAt, fileSize, firstType === 'ftyp' && head.length >= 12 && fourccAt(head, 8) === 'qt  ' ? 'mov' : 'mp4');
  } catch (err) {
    return fail('io', l10n.t('The file could not be read: {0}.', err instanceof Error ? err.message : String(err)));
  }
}

/** Opens `path` and lists its codecs, reading only box headers and the movie header. Never throws. */
export async function readMp4Codecs(path: string): Promise<CodecReport | CodecError> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    return fail('io', l10n.t('The file could not be opened: {0}.', err instanceof Error ? err.message : String(err)));
  }
  try {
    const { size } = await handle.stat();
    const fh = handle;
    const readAt: ReadAt = async (offset, length) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let filled = 0;
      while (filled < buf.length) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buf.subarray(0, filled);
    };
    return await parseMp4Codecs(readAt, size);
  } catch (err) {
    return fail('io', l10n.t('The file could not be read: {0}.', err instanceof Error ? err.message : String(err)));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// ISO BMFF / QuickTime

async function parseIsoBmff(readAt: ReadAt, fileSize: number, container: 'mp4' | 'mov'): Promise<CodecReport | CodecError> {
  let offset = 0;
  for (let count = 0; count < MAX_TOP_LEVEL_BOXES; count++) {
    if (offset + 8 > fileSize) return fail('truncated', MSG.noMoov());
    const header = await readAt(offset, 16);
    if (header.length < 8) return fail('truncated', MSG.noMoov());
    let size = header.readUInt32BE(0);
    const type = fourccAt(header, 4);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) return fail('truncated', MSG.noMoov());
      const large = header.readBigUInt64BE(8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return damagedAt(offset, type);
      size = Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = fileSize - offset; // the last box runs to the end of the file
    }
    if (!plausibleType(type) || size < headerSize) {
      // Zero padding after the last box is common; anything else is damage. Either way there is no moov.
      if (count === 0) return fail('notVideo', MSG.notVideo());
      return header.subarray(0, 8).every((b) => b === 0) ? fail('truncated', MSG.noMoov()) : damagedAt(offset, type);
    }
    const end = offset + size;
    if (type === 'moov') {
      if (end > fileSize) return fail('truncated', MSG.moovCut());
      if (size - headerSize > MAX_MOOV_BYTES) {
        return fail('unsupported', l10n.t('The movie header (moov) is {0} MB, too large to read (the limit is {1} MB).', Math.round(size / 1048576), MAX_MOOV_BYTES / 1048576));
      }
      const moov = await readAt(offset + headerSize, size - headerSize);
      if (moov.length < size - headerSize) return fail('truncated', MSG.moovCut());
      return parseMoov(moov, container);
    }
    if (end >= fileSize) return fail('truncated', MSG.noMoov()); // the last box, and it was not moov (or runs past the end)
    offset = end;
  }
  return fail('damaged', MSG.tooManyBoxes());
}

function damagedAt(offset: number, type: string): CodecError {
  return fail(
    'damaged',
    plausibleType(type)
      ? l10n.t('The file is damaged: the box "{0}" at byte {1} has an impossible size.', type, offset)
      : l10n.t('The file is damaged: the box with an unreadable type at byte {0} has an impossible size.', offset),
  );
}

/** A video or audio track whose sample description cannot be read, with what was damaged when known. */
function noSampleDescription(trackNo: number, isVideo: boolean, damaged: string | undefined): string {
  if (isVideo) {
    return damaged
      ? l10n.t('Track {0} (video) has no readable sample description: {1}.', trackNo, damaged)
      : l10n.t('Track {0} (video) has no readable sample description.', trackNo);
  }
  return damaged
    ? l10n.t('Track {0} (audio) has no readable sample description: {1}.', trackNo, damaged)
    : l10n.t('Track {0} (audio) has no readable sample description.', trackNo);
}

interface Box {
  type: string;
  /** Content start (after the header), relative to the buffer. */
  start: number;
  /** Content end (exclusive). */
  end: number;
}

/** Walks the boxes of `buf[start, end)`; stops at the first impossible header (noted in `budget.damaged`). */
function childBoxes(buf: Buffer, start: number, end: number, budget: Budget): Box[] {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    if (--budget.boxes < 0) {
      budget.damaged = l10n.t('too many boxes');
      break;
    }
    let size = buf.readUInt32BE(at);
    const type = fourccAt(buf, at + 4);
    let headerSize = 8;
    if (size === 1) {
      if (at + 16 > end) {
        budget.damaged = l10n.t('a "{0}" box header is cut off', type);
        break;
      }
      const large = buf.readBigUInt64BE(at + 8);
      size = large > BigInt(end - at) ? end - at + 1 : Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < headerSize || at + size > end) {
      // A trailing 32-bit zero terminator is allowed by QuickTime; anything else is damage.
      if (!(size === 0 && end - at === 4)) budget.damaged = l10n.t('a "{0}" box has an impossible size', plausibleType(type) ? type : '????');
      break;
    }
    out.push({ type, start: at + headerSize, end: at + size });
    at += size;
  }
  return out;
}

interface Budget {
  boxes: number;
  damaged?: string;
}

function child(buf: Buffer, parent: Box, type: string, budget: Budget): Box | undefined {
  return childBoxes(buf, parent.start, parent.end, budget).find((b) => b.type === type);
}

function parseMoov(moov: Buffer, container: 'mp4' | 'mov'): CodecReport | CodecError {
  const budget: Budget = { boxes: MAX_BOXES_IN_MOOV };
  const video: VideoTrackCodec[] = [];
  const audio: AudioTrackCodec[] = [];
  const warnings: string[] = [];
  const top = childBoxes(moov, 0, moov.length, budget);
  if (top.some((b) => b.type === 'cmov')) {
    return fail('unsupported', l10n.t('The movie header (moov) is compressed (an old QuickTime format), which cannot be read here.'));
  }
  const traks = top.filter((b) => b.type === 'trak');
  let trackNo = 0;
  for (const trak of traks) {
    trackNo++;
    const trackBudget: Budget = { boxes: budget.boxes };
    const mdia = child(moov, trak, 'mdia', trackBudget);
    const hdlr = mdia && child(moov, mdia, 'hdlr', trackBudget);
    // hdlr: version/flags (4), pre_defined / QuickTime component type (4), handler type (4).
    const handler = hdlr && hdlr.end - hdlr.start >= 12 ? fourccAt(moov, hdlr.start + 8) : undefined;
    const minf = mdia && child(moov, mdia, 'minf', trackBudget);
    const stbl = minf && child(moov, minf, 'stbl', trackBudget);
    const stsd = stbl && child(moov, stbl, 'stsd', trackBudget);
    budget.boxes = trackBudget.boxes;
    if (handler !== undefined && handler !== 'vide' && handler !== 'soun') continue; // text, timecode, hint, metadata …
    if (!stsd) {
      if (handler) warnings.push(noSampleDescription(trackNo, handler === 'vide', trackBudget.damaged));
      continue;
    }
    // stsd: version/flags (4), entry count (4), then one box per sample entry.
    const entryBudget: Budget = { boxes: budget.boxes };
    const entries = stsd.end - stsd.start >= 8 ? childBoxes(moov, stsd.start + 8, stsd.end, entryBudget) : [];
    budget.boxes = entryBudget.boxes;
    if (entries.length === 0) {
      warnings.push(l10n.t('Track {0} has an empty or damaged sample description.', trackNo));
      continue;
    }
    for (const entry of entries) {
      const described = describeEntry(moov, entry, handler, budget);
      if (described?.kind === 'video') video.push(described.track);
      else if (described?.kind === 'audio') audio.push(described.track);
    }
  }
  if (budget.damaged && traks.length === 0) {
    return fail('damaged', l10n.t('The file is damaged: its movie header (moov) cannot be read ({0}).', budget.damaged));
  }
  if (budget.damaged) warnings.push(l10n.t('Part of the movie header (moov) is damaged: {0}.', budget.damaged));
  if (video.length === 0 && audio.length === 0 && warnings.length > 0) {
    return fail('damaged', l10n.t('The file is damaged: no track of its movie header (moov) can be read. {0}', warnings[0]));
  }
  return { ok: true, container, video, audio, warnings, codecsKnown: true };
}

type Described = { kind: 'video'; track: VideoTrackCodec } | { kind: 'audio'; track: AudioTrackCodec };

function describeEntry(buf: Buffer, entry: Box, handler: string | undefined, budget: Budget): Described | undefined {
  let fourcc = entry.type;
  let encrypted = false;
  const isVideo = handler === 'vide' || (handler === undefined && (fourcc in VIDEO_FOURCCS || fourcc === 'encv'));
  const isAudio = handler === 'soun' || (handler === undefined && (fourcc in AUDIO_FOURCCS || fourcc === 'enca'));
  if (!isVideo && !isAudio) return undefined;
  // Children of a VisualSampleEntry start 78 bytes into it; of an AudioSampleEntry 28 bytes, plus 16
  // (QuickTime sound description version 1) or 36 (version 2).
  let childrenStart = entry.start + (isVideo ? 78 : 28);
  if (isAudio && entry.end - entry.start >= 10) {
    const version = buf.readUInt16BE(entry.start + 8);
    if (version === 1) childrenStart += 16;
    else if (version === 2) childrenStart += 36;
  }
  childrenStart = Math.min(childrenStart, entry.end);
  if (fourcc === 'encv' || fourcc === 'enca') {
    encrypted = true;
    const frma = findBox(buf, childrenStart, entry.end, ['sinf', 'frma'], budget);
    if (frma && frma.end - frma.start >= 4) fourcc = fourccAt(buf, frma.start);
  }
  const extra = encrypted ? { encrypted: true as const } : {};
  if (isVideo) return { kind: 'video', track: { codec: VIDEO_FOURCCS[fourcc] ?? 'unknown', fourcc, ...extra } };
  let codec: AudioCodec = AUDIO_FOURCCS[fourcc] ?? 'unknown';
  let objectType: number | undefined;
  if (fourcc === 'mp4a') {
    // In MP4 the esds is a child of the entry; in QuickTime it sits inside a `wave` box.
    const esds =
      findBox(buf, childrenStart, entry.end, ['esds'], budget) ?? findBox(buf, childrenStart, entry.end, ['wave', 'esds'], budget);
    objectType = esds ? readObjectType(buf, esds.start, esds.end) : undefined;
    if (objectType !== undefined) codec = audioCodecForObjectType(objectType);
  }
  return { kind: 'audio', track: { codec, fourcc, ...(objectType !== undefined ? { objectType } : {}), ...extra } };
}

/** Follows `path` (box types, one level each) from the boxes in `buf[start, end)`. */
function findBox(buf: Buffer, start: number, end: number, path: string[], budget: Budget): Box | undefined {
  if (path.length === 0 || path.length > MAX_NESTING_DEPTH) return undefined;
  const found = childBoxes(buf, start, end, budget).find((b) => b.type === path[0]);
  if (!found || path.length === 1) return found;
  return findBox(buf, found.start, found.end, path.slice(1), budget);
}

/** esds: version/flags, then ES_Descriptor (tag 3) holding DecoderConfigDescriptor (tag 4) whose first byte is the objectTypeIndication. */
function readObjectType(buf: Buffer, start: number, end: number): number | undefined {
  let at = start + 4;
  const readDescriptor = (): { tag: number; start: number; end: number } | undefined => {
    if (at >= end) return undefined;
    const tag = buf[at++];
    let length = 0;
    for (let i = 0; i < 4; i++) {
      if (at >= end) return undefined;
      const b = buf[at++];
      length = (length << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    const descEnd = Math.min(end, at + length);
    return { tag, start: at, end: descEnd };
  };
  const es = readDescriptor();
  if (!es || es.tag !== 0x03 || es.end - es.start < 3) return undefined;
  at = es.start + 2; // ES_ID
  const flags = buf[at++];
  if (flags & 0x80) at += 2; // dependsOn_ES_ID
  if (flags & 0x40) at += 1 + (at < end ? buf[at] : 0); // URL
  if (flags & 0x20) at += 2; // OCR_ES_Id
  const config = readDescriptor();
  if (!config || config.tag !== 0x04 || config.end <= config.start) return undefined;
  return buf[config.start];
}

// ---------------------------------------------------------------------------------------------------
// WebM / Matroska (EBML)

const EBML_ID = EBML_MAGIC;
const DOCTYPE_ID = 0x4282;
const SEGMENT_ID = 0x18538067;
const TRACKS_ID = 0x1654ae6b;
const CLUSTER_ID = 0x1f43b675;
const TRACK_ENTRY_ID = 0xae;
const TRACK_TYPE_ID = 0x83;
const CODEC_ID_ID = 0x86;

interface EbmlElement {
  id: number;
  /** Data start (after ID and size). */
  start: number;
  /** Data size, or undefined for "unknown size". */
  size: number | undefined;
}

/** Reads an element header at `at` in `buf` (positions relative to `buf`); undefined if cut off or invalid. */
function ebmlHeader(buf: Buffer, at: number): EbmlElement | undefined {
  if (at >= buf.length) return undefined;
  const first = buf[at];
  const idLength = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
  if (idLength === 0 || at + idLength >= buf.length) return undefined;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + buf[at + i];
  const sizeAt = at + idLength;
  const lead = buf[sizeAt];
  let sizeLength = 1;
  while (sizeLength <= 8 && !(lead & (0x80 >> (sizeLength - 1)))) sizeLength++;
  if (sizeLength > 8 || sizeAt + sizeLength > buf.length) return undefined;
  let size = lead & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    const b = buf[sizeAt + i];
    size = size * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { id, start: sizeAt + sizeLength, size: allOnes ? undefined : size };
}

function ebmlChildren(buf: Buffer, start: number, end: number, budget: Budget): EbmlElement[] {
  const out: EbmlElement[] = [];
  let at = start;
  while (at < end) {
    if (--budget.boxes < 0) break;
    const el = ebmlHeader(buf.subarray(0, end), at);
    if (!el || el.size === undefined || el.start + el.size > end) break;
    out.push(el);
    at = el.start + el.size;
  }
  return out;
}

function ebmlUint(buf: Buffer, el: EbmlElement): number {
  let v = 0;
  for (let i = 0; i < Math.min(el.size ?? 0, 6); i++) v = v * 256 + buf[el.start + i];
  return v;
}

async function parseEbml(readAt: ReadAt, fileSize: number): Promise<CodecReport | CodecError> {
  const head = await readAt(0, Math.min(fileSize, 4096));
  const ebml = ebmlHeader(head, 0);
  if (!ebml || ebml.id !== EBML_ID || ebml.size === undefined) return fail('truncated', MSG.webmCut());
  if (ebml.start + ebml.size > fileSize) return fail('truncated', MSG.webmCut());
  if (ebml.start + ebml.size > head.length) return fail('damaged', l10n.t('The file is damaged: its EBML header is too large.'));
  const budget: Budget = { boxes: 1000 };
  const docTypeEl = ebmlChildren(head, ebml.start, ebml.start + ebml.size, budget).find((e) => e.id === DOCTYPE_ID);
  const docType = docTypeEl ? head.toString('latin1', docTypeEl.start, docTypeEl.start + (docTypeEl.size ?? 0)).replace(/\0+$/, '') : '';
  if (docType !== 'webm' && docType !== 'matroska') {
    return fail('notVideo', l10n.t('This is not an MP4/MOV or WebM file (it is an EBML document of type "{0}").', docType || l10n.t('unknown')));
  }
  const container: Container = docType === 'webm' ? 'webm' : 'matroska';
  const unknownCodecs = (warning: string): CodecReport => ({ ok: true, container, video: [], audio: [], warnings: [warning], codecsKnown: false });

  // The Segment follows the EBML header (possibly after Void elements).
  let offset = ebml.start + ebml.size;
  let segmentEnd = fileSize;
  let inSegment = false;
  for (let count = 0; count < MAX_TOP_LEVEL_BOXES; count++) {
    if (offset >= Math.min(segmentEnd, fileSize)) break;
    const headerBytes = await readAt(offset, 12);
    const el = ebmlHeader(headerBytes, 0);
    if (!el) return fail('truncated', MSG.webmCut());
    const dataStart = offset + el.start;
    if (!inSegment && el.id === SEGMENT_ID) {
      inSegment = true;
      if (el.size !== undefined) segmentEnd = Math.min(fileSize, dataStart + el.size);
      offset = dataStart;
      continue;
    }
    if (inSegment && el.id === TRACKS_ID) {
      if (el.size === undefined) return unknownCodecs(l10n.t('The WebM track list has no size and cannot be read.'));
      if (el.size > MAX_MOOV_BYTES) return unknownCodecs(l10n.t('The WebM track list is too large to read.'));
      if (dataStart + el.size > fileSize) return fail('truncated', MSG.webmTracksCut());
      const tracks = await readAt(dataStart, el.size);
      if (tracks.length < el.size) return fail('truncated', MSG.webmTracksCut());
      return readEbmlTracks(tracks, container);
    }
    if (inSegment && el.id === CLUSTER_ID) return unknownCodecs(l10n.t('The WebM media data starts before its track list.'));
    if (el.size === undefined) return unknownCodecs(l10n.t('The WebM file has an element of unknown size before its track list.'));
    offset = dataStart + el.size;
  }
  if (!inSegment) return fail('truncated', l10n.t('The file is truncated: the WebM segment is missing.'));
  return fail('truncated', l10n.t('The file is truncated: the WebM track list is missing or cut off.'));
}

function readEbmlTracks(tracks: Buffer, container: Container): CodecReport {
  const budget: Budget = { boxes: 100_000 };
  const video: VideoTrackCodec[] = [];
  const audio: AudioTrackCodec[] = [];
  for (const entry of ebmlChildren(tracks, 0, tracks.length, budget)) {
    if (entry.id !== TRACK_ENTRY_ID) continue;
    const fields = ebmlChildren(tracks, entry.start, entry.start + (entry.size ?? 0), budget);
    const typeEl = fields.find((f) => f.id === TRACK_TYPE_ID);
    const codecEl = fields.find((f) => f.id === CODEC_ID_ID);
    const codecId = codecEl ? tracks.toString('latin1', codecEl.start, codecEl.start + (codecEl.size ?? 0)).replace(/\0+$/, '') : '';
    const known = MATROSKA_CODEC_IDS.find(([prefix]) => codecId === prefix || codecId.startsWith(`${prefix}/`));
    const trackType = typeEl ? ebmlUint(tracks, typeEl) : known?.[1] === 'video' ? 1 : known?.[1] === 'audio' ? 2 : 0;
    if (trackType === 1) video.push({ codec: known?.[1] === 'video' ? (known[2] as VideoCodec) : 'unknown', codecId });
    else if (trackType === 2) audio.push({ codec: known?.[1] === 'audio' ? (known[2] as AudioCodec) : 'unknown', codecId });
  }
  return { ok: true, container, video, audio, warnings: [], codecsKnown: true };
}
