// Compares pictures by their pixels, decoded by ffmpeg: a captured PNG against a video's frames.
// Everything is scaled down to a small RGB raster first, so codec noise averages out while the
// picture's content (testsrc2 moves every frame) still tells frames apart. Video frames are turned
// into RGB as Chromium does for HD video without colour tags (BT.709, limited range); ffmpeg's own
// default (BT.601) shifts the colours by ~9/255 on average.
import { execFile } from 'node:child_process';

const WIDTH = 160;
const HEIGHT = 90;
const FRAME_BYTES = WIDTH * HEIGHT * 3;

function decode(file: string, ffmpeg = 'ffmpeg'): Promise<Buffer> {
  const toRgb = /\.(png|jpe?g|webp|gif)$/i.test(file) ? 'format=rgb24' : 'scale=in_color_matrix=bt709:in_range=tv,format=rgb24';
  const args = ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', `${toRgb},scale=${WIDTH}:${HEIGHT}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, args, { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ffmpeg ${file}: ${String(stderr).trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Every frame of a video (or the one picture of an image), each as a small RGB raster. */
export async function framesOf(file: string): Promise<Buffer[]> {
  const raw = await decode(file);
  const frames: Buffer[] = [];
  for (let offset = 0; offset + FRAME_BYTES <= raw.length; offset += FRAME_BYTES) frames.push(raw.subarray(offset, offset + FRAME_BYTES));
  return frames;
}

/** Mean absolute difference per channel, 0 (identical) to 255. */
export function meanDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`rasters of different sizes: ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** How close `picture` is to each frame of `video`: the index of the closest one and the distances. */
export async function closestFrame(picture: string, video: string): Promise<{ index: number; count: number; distance: number; toFirst: number; toLast: number }> {
  const [image] = await framesOf(picture);
  const frames = await framesOf(video);
  const distances = frames.map((frame) => meanDifference(image, frame));
  const index = distances.indexOf(Math.min(...distances));
  return { index, count: frames.length, distance: distances[index], toFirst: distances[0], toLast: distances[distances.length - 1] };
}
