/**
 * Which codecs a video file uses, read from its container without decoding anything, so the preview can
 * say what will not play. mediabunny reads the tracks, as it does for Assemble Film; a thin shim around
 * it bounds what is read, puts every failure in a sentence and adds what mediabunny does not expose
 * (docs/decisions.md, "Reading codecs without decoding"). Never throws.
 */
import { open } from 'node:fs/promises';
import type * as Mediabunny from 'mediabunny';
import { l10n } from '../common/l10n';
import { loopGuardedSource, mediabunny } from './mediabunnyLoader';
import { EBML_MAGIC, ISO_BMFF_FIRST_BOXES } from './signatures';

/** The largest `moov` (or WebM metadata element, `Tracks` among them) that is read into memory. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** At most this many top-level boxes (or Segment children) are walked before giving up. */
export const MAX_TOP_LEVEL_BOXES = 20_000;
/** At most this many boxes are looked at inside `moov`. */
export const MAX_BOXES_IN_MOOV = 200_000;

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
  /** One entry per video track, in file order (the first is what a player picks), by its first sample description. */
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

/** mediabunny's codec names, ours beside them; what else it names (ProRes, DTS, PCM…) is 'unknown' here. */
const VIDEO_CODECS: Record<string, VideoCodec> = { avc: 'h264', hevc: 'hevc', av1: 'av1', vp9: 'vp9', vp8: 'vp8' };
const AUDIO_CODECS: Record<string, AudioCodec> = { aac: 'aac', mp3: 'mp3', opus: 'opus', flac: 'flac', vorbis: 'vorbis', ac3: 'ac3', eac3: 'eac3' };

/**
 * Shim: sample entry → codec, for entries mediabunny leaves unnamed (QuickTime's MP3 fourccs; an `mp4a`
 * without `esds`, AAC in practice) and for a track it cannot read at all (see {@link describeTrak}).
 */
const VIDEO_FOURCCS: Record<string, VideoCodec> = { avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc', av01: 'av1', vp09: 'vp9', vp08: 'vp8' };
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

/** An error of `readAt` met inside mediabunny: the file could not be read. */
class ReadFailure extends Error {}

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
export async function parseVideoCodecs(readAt: ReadAt, fileSize: number): Promise<CodecReport | CodecError> {
  try {
    if (!Number.isFinite(fileSize) || fileSize <= 0) return fail('empty', MSG.empty());
    const head = await readAt(0, Math.min(fileSize, 512));
    if (head.length >= 4 && head.readUInt32BE(0) === EBML_MAGIC) return await readMatroska(readAt, fileSize);
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
    return await readIsoBmff(readAt, fileSize, firstType === 'ftyp' && head.length >= 12 && fourccAt(head, 8) === 'qt  ' ? 'mov' : 'mp4');
  } catch (err) {
    const cause = err instanceof ReadFailure ? err.cause : err;
    return fail('io', l10n.t('The file could not be read: {0}.', cause instanceof Error ? cause.message : String(cause)));
  }
}

/** Opens `path` and lists its codecs, reading only box headers and the movie header. Never throws. */
export async function readVideoCodecs(path: string): Promise<CodecReport | CodecError> {
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
    return await parseVideoCodecs(readAt, size);
  } catch (err) {
    return fail('io', l10n.t('The file could not be read: {0}.', err instanceof Error ? err.message : String(err)));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Our name for a track's codec: mediabunny's name for it (`codec`), else the shim's, from the sample entry (`format`). */
function videoCodecOf(codec: string | null, format: string | undefined): VideoCodec {
  return (codec && VIDEO_CODECS[codec]) || (format && VIDEO_FOURCCS[format]) || 'unknown';
}

function audioCodecOf(codec: string | null, format: string | undefined, objectType?: number): AudioCodec {
  if (codec && AUDIO_CODECS[codec]) return AUDIO_CODECS[codec];
  if (format === 'mp4a' && objectType !== undefined) return audioCodecForObjectType(objectType);
  return (format && AUDIO_FOURCCS[format]) || 'unknown';
}

// ---------------------------------------------------------------------------------------------------
// ISO BMFF / QuickTime. Shim: the top-level walk (bounded, seeking over `mdat`, so a file whose `moov`
// comes last costs the same, and every way a file can end early or be damaged gets its sentence), then
// `moov` alone is read, at most MAX_MOOV_BYTES; mediabunny would read any `moov` whole, and says nothing
// of a file that has none.

async function readIsoBmff(readAt: ReadAt, fileSize: number, container: 'mp4' | 'mov'): Promise<CodecReport | CodecError> {
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
      return describeMoov(moov, container);
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
  /** Where the box (its header) starts, relative to the buffer. */
  at: number;
  /** Content start (after the header). */
  start: number;
  /** Content end (exclusive). */
  end: number;
}

interface Budget {
  boxes: number;
  damaged?: string;
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
    out.push({ type, at, start: at + headerSize, end: at + size });
    at += size;
  }
  return out;
}

/** Follows `path` (box types, one level each, never deeper than the path) from the boxes in `buf[start, end)`. */
function findBox(buf: Buffer, start: number, end: number, path: string[], budget: Budget): Box | undefined {
  const found = childBoxes(buf, start, end, budget).find((b) => b.type === path[0]);
  if (!found || path.length === 1) return found;
  return findBox(buf, found.start, found.end, path.slice(1), budget);
}

async function describeMoov(moov: Buffer, container: 'mp4' | 'mov'): Promise<CodecReport | CodecError> {
  const budget: Budget = { boxes: MAX_BOXES_IN_MOOV };
  const video: VideoTrackCodec[] = [];
  const audio: AudioTrackCodec[] = [];
  const warnings: string[] = [];
  const top = childBoxes(moov, 0, moov.length, budget);
  if (top.some((b) => b.type === 'cmov')) {
    return fail('unsupported', l10n.t('The movie header (moov) is compressed (an old QuickTime format), which cannot be read here.'));
  }
  const traks = top.filter((b) => b.type === 'trak');
  for (const [i, trak] of traks.entries()) {
    const described = await describeTrak(moov, trak, i + 1, container, budget);
    if (described?.kind === 'video') video.push(described.track);
    else if (described?.kind === 'audio') audio.push(described.track);
    else if (described) warnings.push(described.warning);
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

type Described = { kind: 'video'; track: VideoTrackCodec } | { kind: 'audio'; track: AudioTrackCodec } | { kind: 'unreadable'; warning: string };

/**
 * One `trak`. mediabunny reads it alone, in a file of its own (`ftyp`, `moov`, this `trak`), so that a
 * damaged track does not hide the others: it throws on the first box that does not fit. The shim reads
 * the handler and the first sample description for what mediabunny does not expose ({@link describeEntry});
 * when mediabunny cannot make a track of a video or sound `trak` (no `tkhd`/`mdhd`, or nesting deeper than
 * its recursive parser goes, a few hundred boxes), that sample description names the codec.
 */
async function describeTrak(moov: Buffer, trak: Box, trackNo: number, container: 'mp4' | 'mov', budget: Budget): Promise<Described | undefined> {
  const trackBudget: Budget = { boxes: budget.boxes };
  const mdia = findBox(moov, trak.start, trak.end, ['mdia'], trackBudget);
  const hdlr = mdia && findBox(moov, mdia.start, mdia.end, ['hdlr'], trackBudget);
  // hdlr: version/flags (4), pre_defined / QuickTime component type (4), handler type (4).
  const handler = hdlr && hdlr.end - hdlr.start >= 12 ? fourccAt(moov, hdlr.start + 8) : undefined;
  if (!mdia || (handler !== 'vide' && handler !== 'soun')) return undefined; // text, timecode, hint, metadata, no handler …
  const isVideo = handler === 'vide';
  const stsd = findBox(moov, mdia.start, mdia.end, ['minf', 'stbl', 'stsd'], trackBudget);
  // stsd: version/flags (4), entry count (4), then one box per sample entry.
  const entryBudget: Budget = { boxes: trackBudget.boxes };
  const entries = stsd && stsd.end - stsd.start >= 8 ? childBoxes(moov, stsd.start + 8, stsd.end, entryBudget) : [];
  budget.boxes = entryBudget.boxes;
  const entry = entries[0] && describeEntry(moov, entries[0], isVideo, budget);
  const read = await readTrak(moov.subarray(trak.at, trak.end), container).catch(() => undefined);
  if (!entry && !read) {
    const warning = stsd ? l10n.t('Track {0} has an empty or damaged sample description.', trackNo) : noSampleDescription(trackNo, isVideo, trackBudget.damaged);
    return { kind: 'unreadable', warning };
  }
  // mediabunny describes a track by its last sample description; its codec is taken when that is the first one.
  const codec = read && (!entry || read.type === entry.type) ? read.codec : null;
  const fourcc = entry?.fourcc ?? read?.type ?? undefined;
  const details = { ...(entry?.objectType !== undefined ? { objectType: entry.objectType } : {}), ...(entry?.encrypted ? { encrypted: true as const } : {}) };
  return isVideo
    ? { kind: 'video', track: { codec: videoCodecOf(codec, fourcc), fourcc, ...details } }
    : { kind: 'audio', track: { codec: audioCodecOf(codec, fourcc, entry?.objectType), fourcc, ...details } };
}

/** mediabunny's reading of one `trak`: its codec and sample entry type, or undefined if it makes no track of it. Throws on damage. */
async function readTrak(trak: Buffer, container: 'mp4' | 'mov'): Promise<{ codec: string | null; type: string | null } | undefined> {
  const { Input, BufferSource, MP4, QTFF } = mediabunny();
  const head = Buffer.alloc(24); // ftyp (16 bytes: size, type, major brand, minor version), then the moov header
  head.writeUInt32BE(16, 0);
  head.write(`ftyp${container === 'mov' ? 'qt  ' : 'isom'}`, 4, 'latin1');
  head.writeUInt32BE(8 + trak.length, 16);
  head.write('moov', 20, 'latin1');
  const input = new Input({ source: new BufferSource(Buffer.concat([head, trak])), formats: [MP4, QTFF] });
  try {
    const [track] = await input.getTracks();
    if (!track) return undefined;
    const type = await track.getInternalCodecId();
    return { codec: await track.getCodec(), type: typeof type === 'string' ? type : null };
  } finally {
    input.dispose();
  }
}

/**
 * Shim: what mediabunny reads but does not expose — the raw sample entry type, the original format of an
 * encrypted entry (`encv`/`enca` → `sinf/frma`) and the esds objectTypeIndication of `mp4a` (in MP4 a
 * child of the entry, in QuickTime inside `wave`, after a version 1 or 2 sound description).
 */
function describeEntry(buf: Buffer, entry: Box, isVideo: boolean, budget: Budget): { type: string; fourcc: string; encrypted: boolean; objectType?: number } {
  // Children of a VisualSampleEntry start 78 bytes into it; of an AudioSampleEntry 28 bytes, plus 16
  // (QuickTime sound description version 1) or 36 (version 2).
  let childrenStart = entry.start + (isVideo ? 78 : 28);
  if (!isVideo && entry.end - entry.start >= 10) {
    const version = buf.readUInt16BE(entry.start + 8);
    if (version === 1) childrenStart += 16;
    else if (version === 2) childrenStart += 36;
  }
  childrenStart = Math.min(childrenStart, entry.end);
  const encrypted = entry.type === 'encv' || entry.type === 'enca';
  const frma = encrypted ? findBox(buf, childrenStart, entry.end, ['sinf', 'frma'], budget) : undefined;
  const fourcc = frma && frma.end - frma.start >= 4 ? fourccAt(buf, frma.start) : entry.type;
  const esds =
    fourcc === 'mp4a' ? (findBox(buf, childrenStart, entry.end, ['esds'], budget) ?? findBox(buf, childrenStart, entry.end, ['wave', 'esds'], budget)) : undefined;
  return { type: entry.type, fourcc, encrypted, objectType: esds && readObjectType(buf, esds.start, esds.end) };
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
// WebM / Matroska (EBML). mediabunny reads the tracks, through a source that refuses to read more than
// MAX_MOOV_BYTES at once. Shim: the EBML header is checked first (mediabunny only says "unsupported
// format" of a cut one or of another DocType), and when mediabunny finds no track the Segment's children
// are walked by their headers to say why.

const EBML_ID = EBML_MAGIC;
const DOCTYPE_ID = 0x4282;
const SEGMENT_ID = 0x18538067;
const TRACKS_ID = 0x1654ae6b;
const CLUSTER_ID = 0x1f43b675;

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

async function readMatroska(readAt: ReadAt, fileSize: number): Promise<CodecReport | CodecError> {
  const head = await readAt(0, Math.min(fileSize, 4096));
  const ebml = ebmlHeader(head, 0);
  if (!ebml || ebml.id !== EBML_ID || ebml.size === undefined) return fail('truncated', MSG.webmCut());
  if (ebml.start + ebml.size > fileSize) return fail('truncated', MSG.webmCut());
  if (ebml.start + ebml.size > head.length) return fail('damaged', l10n.t('The file is damaged: its EBML header is too large.'));
  let docType = '';
  for (let at = ebml.start, count = 0; at < ebml.start + ebml.size && count < 1000; count++) {
    const el = ebmlHeader(head.subarray(0, ebml.start + ebml.size), at);
    if (!el || el.size === undefined) break;
    if (el.id === DOCTYPE_ID) docType = head.toString('latin1', el.start, Math.min(el.start + el.size, head.length)).replace(/\0+$/, '');
    at = el.start + el.size;
  }
  if (docType !== 'webm' && docType !== 'matroska') {
    return fail('notVideo', l10n.t('This is not an MP4/MOV or WebM file (it is an EBML document of type "{0}").', docType || l10n.t('unknown')));
  }
  const container: Container = docType === 'webm' ? 'webm' : 'matroska';

  const mb = mediabunny();
  const input = new mb.Input({ source: guardedSource(readAt, fileSize), formats: [mb.WEBM, mb.MATROSKA] });
  const video: VideoTrackCodec[] = [];
  const audio: AudioTrackCodec[] = [];
  let read = false;
  try {
    for (const track of await input.getTracks()) {
      const id = await track.getInternalCodecId();
      const codecId = typeof id === 'string' ? id : '';
      if (track.isVideoTrack()) video.push({ codec: videoCodecOf(await track.getCodec(), undefined), codecId });
      else if (track.isAudioTrack()) audio.push({ codec: audioCodecOf(await track.getCodec(), undefined), codecId });
    }
    read = true;
  } catch (err) {
    if (err instanceof ReadFailure) throw err;
  } finally {
    input.dispose();
  }
  if (!read || video.length + audio.length === 0) {
    const why = await whyNoMatroskaTracks(readAt, fileSize, ebml.start + ebml.size, container);
    if (why) return why;
    // The track list is whole: it has no video or audio track, or mediabunny could not read it.
    if (!read) return fail('damaged', l10n.t('The file is damaged: its WebM track list cannot be read.'));
  }
  return { ok: true, container, video, audio, warnings: [], codecsKnown: true };
}

/** `readAt` as a guarded mediabunny source (mediabunnyLoader.ts): a failed or short read is a ReadFailure. */
function guardedSource(readAt: ReadAt, fileSize: number): Mediabunny.Source {
  return loopGuardedSource(
    fileSize,
    async (start, end) => {
      const bytes = await readAt(start, end - start).catch((err: unknown) => {
        throw new ReadFailure(undefined, { cause: err });
      });
      if (bytes.length !== end - start) throw new ReadFailure(undefined, { cause: new Error(`the file ends at byte ${start + bytes.length}`) });
      return bytes;
    },
    MAX_MOOV_BYTES,
  );
}

/**
 * Why a WebM has no track mediabunny could read: the Segment's children walked by their headers as far as
 * the track list. Undefined when the track list is there and whole.
 */
async function whyNoMatroskaTracks(readAt: ReadAt, fileSize: number, start: number, container: Container): Promise<CodecReport | CodecError | undefined> {
  const unknownCodecs = (warning: string): CodecReport => ({ ok: true, container, video: [], audio: [], warnings: [warning], codecsKnown: false });
  let offset = start;
  let segmentEnd = fileSize;
  let inSegment = false;
  for (let count = 0; count < MAX_TOP_LEVEL_BOXES; count++) {
    if (offset >= Math.min(segmentEnd, fileSize)) break;
    const el = ebmlHeader(await readAt(offset, 12), 0);
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
      return dataStart + el.size > fileSize ? fail('truncated', MSG.webmTracksCut()) : undefined;
    }
    if (inSegment && el.id === CLUSTER_ID) return unknownCodecs(l10n.t('The WebM media data starts before its track list.'));
    if (el.size === undefined) return unknownCodecs(l10n.t('The WebM file has an element of unknown size before its track list.'));
    offset = dataStart + el.size;
  }
  if (!inSegment) return fail('truncated', l10n.t('The file is truncated: the WebM segment is missing.'));
  return fail('truncated', l10n.t('The file is truncated: the WebM track list is missing or cut off.'));
}
