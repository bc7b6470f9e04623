/**
 * What a gallery card needs to show a frame of a video without playing it: the encoded packet of the
 * key frame before the poster's time (or every packet from it up to that time), and the decoder's
 * configuration, read from the container with mediabunny (nothing is decoded here). The page decodes them with WebCodecs: a frame
 * in a few tens of milliseconds, where loading the file into a `<video>` element goes through the
 * webview's resource loader, which reads and copies the whole file first (docs/decisions.md, "Gallery
 * thumbnails from the first packets"). No `vscode` import.
 */
import { mediabunny, withVideoInput } from './mediabunnyLoader';
import { MAX_MOOV_BYTES } from './videoCodecs';

/** The poster's time when the key frame is blank: half a second in, or the middle of a shorter clip. */
export const POSTER_SECONDS = 0.5;
/** The most packet bytes a poster may take; past it, the key frame alone is the poster. */
export const MAX_POSTER_BYTES = 4 * 1024 * 1024;
/** The most packets a poster may take (a long run of frames between key frames); past it, the key frame alone. */
export const MAX_POSTER_PACKETS = 120;
/**
 * Packets read past the poster's own in decoding order: with B-frames, the frame shown at a time may
 * need packets that come after it in the file.
 */
const REORDER_PACKETS = 4;

/** One encoded packet, in decoding order; times in microseconds, as WebCodecs counts them. */
export interface PosterPacket {
  key: boolean;
  timestamp: number;
  duration: number;
  data: Uint8Array<ArrayBuffer>;
}

/** A poster's packets and how to decode and show them. */
export interface PosterFrames {
  /** The WebCodecs decoder configuration: codec string, `description` (e.g. the avcC box) and coded size. */
  codec: string;
  description?: Uint8Array<ArrayBuffer>;
  codedWidth: number;
  codedHeight: number;
  colorSpace?: { primaries?: string; transfer?: string; matrix?: string; fullRange?: boolean };
  /** The picture's shape on screen: square pixels, rotation applied. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise degrees to turn the decoded picture, then whether to mirror it. */
  rotation: 0 | 90 | 180 | 270;
  flip: boolean;
  packets: PosterPacket[];
  /** The frame to show: the last one at or before this time (microseconds). */
  target: number;
  /** Only the key frame was read, and the frame at `target` needs more packets (asked for when it is blank). */
  partial: boolean;
}

const micros = (seconds: number) => Math.round(seconds * 1e6);

export interface PosterReadOptions {
  /**
   * The key frame alone (`partial` says whether the run to the poster's time has more): what a card
   * shows first, a fifth of the bytes; the page asks for the whole run only when that frame is blank.
   */
  keyOnly?: boolean;
  maxBytes?: number;
  maxPackets?: number;
}

/**
 * The poster packets of `file`'s first video track, or undefined when there is none to read (no video
 * track, a codec mediabunny cannot describe to a decoder, a damaged or unreadable file). Never throws:
 * the gallery then shows the video itself.
 */
export async function readPosterFrames(file: string, options: PosterReadOptions = {}): Promise<PosterFrames | undefined> {
  const { maxBytes = MAX_POSTER_BYTES, maxPackets = MAX_POSTER_PACKETS, keyOnly = false } = options;
  return withVideoInput(file, Math.max(MAX_MOOV_BYTES, maxBytes), async (input) => {
    const { EncodedPacketSink } = mediabunny();
    const track = await input.getPrimaryVideoTrack();
    const config = await track?.getDecoderConfig();
    if (!track || !config) return undefined;
    const sink = new EncodedPacketSink(track);
    const first = await sink.getFirstPacket();
    if (!first) return undefined;
    const duration = await track.computeDuration().catch(() => 0);
    const at = Math.max(first.timestamp, Math.min(first.timestamp + POSTER_SECONDS, duration > 0 ? (first.timestamp + duration) / 2 : POSTER_SECONDS));
    const key = (await sink.getKeyPacket(at)) ?? first;
    const shown = (await sink.getPacket(at)) ?? key;
    const packets: PosterPacket[] = [];
    let bytes = 0;
    let extra = 0;
    for (let packet: Awaited<ReturnType<typeof sink.getNextPacket>> = key; packet; packet = keyOnly ? null : await sink.getNextPacket(packet)) {
      if (packet !== key && packet.type === 'key') break; // the next group of pictures: not needed
      if (packet.sequenceNumber > shown.sequenceNumber && ++extra > REORDER_PACKETS) break;
      bytes += packet.byteLength;
      if (packets.length > 0 && (bytes > maxBytes || packets.length >= maxPackets)) {
        packets.length = 1; // too far from its key frame: the key frame is the poster
        break;
      }
      packets.push({ key: packet.type === 'key', timestamp: micros(packet.timestamp), duration: micros(packet.duration), data: packet.data.slice() });
    }
    if (packets.length === 0 || !packets[0].key) return undefined;
    const rotation = await track.getRotation();
    return {
      codec: config.codec,
      description: config.description ? toBytes(config.description) : undefined,
      codedWidth: config.codedWidth ?? (await track.getCodedWidth()),
      codedHeight: config.codedHeight ?? (await track.getCodedHeight()),
      colorSpace: config.colorSpace ? { ...config.colorSpace } as PosterFrames['colorSpace'] : undefined,
      displayWidth: await track.getDisplayWidth(),
      displayHeight: await track.getDisplayHeight(),
      rotation,
      flip: await track.getFlip(),
      packets,
      target: packets.length === 1 && !keyOnly ? packets[0].timestamp : micros(shown.timestamp),
      partial: keyOnly && shown.sequenceNumber !== key.sequenceNumber,
    };
  });
}

/** A decoder description (an ArrayBuffer or a view of one) as its own bytes. */
function toBytes(data: ArrayBufferLike | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  return view.slice(); // a copy in a buffer of its own
}
