// Gallery posters: a card's frame decoded with WebCodecs from the packets the extension host read
// (src/core/media/posterFrames.ts), drawn small and kept as a JPEG: the key frame, or the frame half a
// second in when the video starts blank. Where WebCodecs is missing or cannot decode the codec, the
// card shows the video itself instead.
import type { PosterFrames } from '../src/shared/galleryProtocol';

/** How long a decode may take before the card gives up on its poster and shows the video. */
const DECODE_TIMEOUT_MS = 5000;
/** How long the decoder is kept after the last poster: a screenful of posters shares one. */
const DECODER_IDLE_MS = 3000;

/** True where this page can decode posters (WebCodecs and an offscreen canvas). */
export const postersSupported = typeof VideoDecoder === 'function' && typeof OffscreenCanvas === 'function';

/**
 * The decoder kept between posters of one configuration (posters decode one at a time, so one is
 * enough): making and configuring a decoder for each poster cost a third of its time.
 */
interface KeptDecoder {
  key: string;
  decoder: VideoDecoder;
  /** Where the frames of the decode under way go. */
  onFrame?: (frame: VideoFrame) => void;
  onError?: () => void;
  idle?: ReturnType<typeof setTimeout>;
}
let kept: KeptDecoder | undefined;

function releaseDecoder(): void {
  if (!kept) return;
  clearTimeout(kept.idle);
  if (kept.decoder.state !== 'closed') kept.decoder.close();
  kept = undefined;
}

function decoderFor(config: VideoDecoderConfig, key: string): KeptDecoder {
  if (kept && (kept.key !== key || kept.decoder.state !== 'configured')) releaseDecoder();
  if (!kept) {
    const entry: KeptDecoder = {
      key,
      decoder: new VideoDecoder({
        output: (frame) => (entry.onFrame ? entry.onFrame(frame) : frame.close()),
        error: () => entry.onError?.(),
      }),
    };
    entry.decoder.configure(config);
    kept = entry;
  }
  clearTimeout(kept.idle);
  return kept;
}

/**
 * The poster's frame as a JPEG at most `maxWidth` pixels wide (rotated and mirrored as the video is
 * shown); 'blank' when it is the key frame alone and shows one flat colour (a fade from black: ask for
 * the packets to the poster's time); undefined when it cannot be decoded here.
 */
export async function decodePoster(poster: PosterFrames, maxWidth: number): Promise<Blob | 'blank' | undefined> {
  const config: VideoDecoderConfig = {
    codec: poster.codec,
    description: poster.description,
    codedWidth: poster.codedWidth,
    codedHeight: poster.codedHeight,
    colorSpace: poster.colorSpace as VideoColorSpaceInit | undefined,
    optimizeForLatency: true,
  };
  const key = JSON.stringify([poster.codec, poster.codedWidth, poster.codedHeight, poster.colorSpace ?? null, poster.description ? Array.from(poster.description) : null]);
  if (!kept || kept.key !== key) {
    const support = await VideoDecoder.isConfigSupported(config).catch(() => undefined);
    if (!support?.supported) return undefined;
  }
  try {
    const frame = await decodeFrame(config, key, poster.packets, poster.target);
    if (!frame) return undefined;
    let canvas: OffscreenCanvas;
    try {
      canvas = drawSmall(frame, poster, maxWidth);
    } finally {
      frame.close();
    }
    if (poster.partial && isBlank(canvas)) return 'blank';
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  } finally {
    if (kept) kept.idle = setTimeout(releaseDecoder, DECODER_IDLE_MS);
  }
}

/** Decodes `packets`; resolves to the frame to show: the last at or before `target` (else the first). */
function decodeFrame(config: VideoDecoderConfig, key: string, packets: PosterFrames['packets'], target: number): Promise<VideoFrame | undefined> {
  return new Promise((resolve) => {
    let best: VideoFrame | undefined;
    let done = false;
    let entry: KeptDecoder | undefined;
    const finish = (frame: VideoFrame | undefined, broken = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (frame !== best) best?.close();
      if (entry) entry.onFrame = entry.onError = undefined;
      if (broken && (!entry || kept === entry)) releaseDecoder(); // a decoder that failed or hung is not used again
      resolve(frame);
    };
    const timer = setTimeout(() => finish(undefined, true), DECODE_TIMEOUT_MS);
    try {
      const current = (entry = decoderFor(config, key));
      current.onFrame = (frame) => {
        const better = !best || (frame.timestamp <= target && frame.timestamp > best.timestamp) || (best.timestamp > target && frame.timestamp < best.timestamp);
        if (better && !done) {
          best?.close();
          best = frame;
        } else {
          frame.close();
        }
      };
      current.onError = () => finish(undefined, true);
      for (const packet of packets) {
        current.decoder.decode(new EncodedVideoChunk({ type: packet.key ? 'key' : 'delta', timestamp: packet.timestamp, duration: packet.duration, data: packet.data }));
      }
      // After a flush the decoder waits for a key frame: the next poster starts with one.
      current.decoder.flush().then(
        () => finish(best),
        () => finish(undefined, true),
      );
    } catch {
      finish(undefined, true);
    }
  });
}

/** Draws the frame at most `maxWidth` wide, turned as the container says. */
function drawSmall(frame: VideoFrame, poster: PosterFrames, maxWidth: number): OffscreenCanvas {
  const scale = Math.min(1, maxWidth / poster.displayWidth);
  const width = Math.max(1, Math.round(poster.displayWidth * scale));
  const height = Math.max(1, Math.round(poster.displayHeight * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const sideways = poster.rotation === 90 || poster.rotation === 270;
  // The frame before turning: as wide as the picture is tall when it is turned a quarter.
  const [drawWidth, drawHeight] = sideways ? [height, width] : [width, height];
  // Turned, then mirrored: the transforms apply to the picture in the reverse of the order set here.
  context.translate(width / 2, height / 2);
  if (poster.flip) context.scale(-1, 1);
  context.rotate((poster.rotation * Math.PI) / 180);
  context.drawImage(frame, -drawWidth / 2, -drawHeight / 2, drawWidth, drawHeight);
  return canvas;
}

/** True when the picture is one flat colour (black, as a fade starts, or any other). */
function isBlank(canvas: OffscreenCanvas): boolean {
  const data = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
  const step = Math.max(4, Math.floor(data.length / 4 / 4096) * 4); // about 4,000 pixels are enough
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let i = 0; i < data.length; i += step) {
    const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    sum += luma;
    squares += luma * luma;
    count++;
  }
  const mean = sum / count;
  return Math.sqrt(Math.max(0, squares / count - mean * mean)) < 4;
}
