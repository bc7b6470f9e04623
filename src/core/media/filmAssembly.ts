/**
 * A film from a storyboard's takes: the clips joined in order into one MP4 without re-encoding. Their
 * packets are copied, video and audio, each clip's timestamps offset by where the film has got to, with
 * one chapter per clip. Clips whose codec parameters differ cannot be joined that way and are named one
 * by one. Reading and writing go through mediabunny (docs/decisions.md, "Assembling a film").
 */
import { createHash } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type * as Mediabunny from 'mediabunny';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { runFfmpeg } from './ffmpeg';
import { mediabunny, videoFormats } from './mediabunnyLoader';

/** The longest stretch the packet copy runs before it lets other work in. */
const SLICE_MS = 5;

export interface FilmClip {
  /** The clip's file. */
  path: string;
  /** The chapter's title (the shot's heading). */
  title: string;
}

/** What must be the same in every clip for their packets to go into one track each. */
export interface ClipParameters {
  video: { codec: string; codecString: string; width: number; height: number; frameRate: number; config: string };
  audio?: { codec: string; codecString: string; sampleRate: number; channels: number; config: string };
  /** Seconds to the end of the video track: where the next clip starts in a film. */
  videoDuration: number;
}

/** A clip that cannot be joined to the first one as it is: its number (1-based) and what differs. */
export interface ClipMismatch {
  clip: number;
  differences: string[];
}

export interface AssembledFilm {
  /** Seconds from the film's start at which each clip starts. */
  starts: number[];
  duration: number;
}

/** Reads what decides whether clips can be joined without re-encoding. */
export async function readClipParameters(file: string): Promise<ClipParameters> {
  const { Input, FilePathSource } = mediabunny();
  const input = new Input({ source: new FilePathSource(file, { maxCacheSize: 2 * 1024 * 1024 }), formats: videoFormats() });
  try {
    const video = await input.getPrimaryVideoTrack();
    if (!video) throw new OmniVideoError('badRequest', l10n.t('{0} has no video track.', path.basename(file)));
    const audio = await input.getPrimaryAudioTrack();
    const videoConfig = await video.getDecoderConfig();
    const audioConfig = audio ? await audio.getDecoderConfig() : null;
    return {
      video: {
        codec: String(await video.getCodec()),
        codecString: videoConfig?.codec ?? '',
        width: await video.getDisplayWidth(),
        height: await video.getDisplayHeight(),
        frameRate: Math.round((await video.computePacketStats(120)).averagePacketRate * 100) / 100,
        config: fingerprint(videoConfig?.description),
      },
      audio: audio
        ? { codec: String(await audio.getCodec()), codecString: audioConfig?.codec ?? '', sampleRate: await audio.getSampleRate(), channels: await audio.getNumberOfChannels(), config: fingerprint(audioConfig?.description) }
        : undefined,
      videoDuration: await input.computeDuration([video]),
    };
  } catch (error) {
    if (error instanceof OmniVideoError) throw error;
    throw new OmniVideoError('filesystem', l10n.t('{0} could not be read as a video: {1}', path.basename(file), (error as Error).message), { cause: error });
  } finally {
    input.dispose();
  }
}

/** How each clip differs from the first: size, codec, codec settings, frame rate, audio. Pure. */
export function compareClips(clips: readonly ClipParameters[]): ClipMismatch[] {
  const [first, ...rest] = clips;
  const mismatches: ClipMismatch[] = [];
  rest.forEach((clip, i) => {
    const differences: string[] = [];
    const v = clip.video;
    const f = first.video;
    const resized = v.width !== f.width || v.height !== f.height;
    if (v.codec !== f.codec) differences.push(l10n.t('video codec {0} instead of {1}', v.codec, f.codec));
    else if (v.codecString !== f.codecString) differences.push(l10n.t('{0} profile {1} instead of {2}', v.codec, v.codecString, f.codecString));
    else if (v.config !== f.config && !resized) differences.push(l10n.t('other {0} encoder settings', v.codec));
    if (resized) differences.push(l10n.t('{0}×{1} instead of {2}×{3}', v.width, v.height, f.width, f.height));
    if (Math.abs(v.frameRate - f.frameRate) > 0.05) differences.push(l10n.t('{0} frames per second instead of {1}', v.frameRate, f.frameRate));
    const a = clip.audio;
    const fa = first.audio;
    if (!a !== !fa) differences.push(a ? l10n.t('it has sound and the first clip has none') : l10n.t('it has no sound and the first clip has'));
    else if (a && fa) {
      const resampled = a.sampleRate !== fa.sampleRate || a.channels !== fa.channels;
      if (a.codec !== fa.codec || a.codecString !== fa.codecString) differences.push(l10n.t('audio {0} instead of {1}', a.codecString || a.codec, fa.codecString || fa.codec));
      else if (a.config !== fa.config && !resampled) differences.push(l10n.t('other {0} audio settings', a.codec));
      if (resampled) differences.push(l10n.t('audio at {0} Hz, {1} channels instead of {2} Hz, {3} channels', a.sampleRate, a.channels, fa.sampleRate, fa.channels));
    }
    if (differences.length) mismatches.push({ clip: i + 2, differences });
  });
  return mismatches;
}

/**
 * Joins `clips` in order into `destination` (written to a temporary file beside it and renamed into
 * place, replacing what was there), copying packets. Refuses clips that differ (`badRequest`, naming
 * them). `onProgress` gets the share done, 0 to 1.
 */
export async function assembleFilm(
  clips: readonly FilmClip[],
  destination: string,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<AssembledFilm> {
  if (clips.length === 0) throw new OmniVideoError('badRequest', l10n.t('There is no clip to join.'));
  const parameters = await Promise.all(clips.map((clip) => readClipParameters(clip.path)));
  const mismatches = compareClips(parameters);
  if (mismatches.length) {
    const lines = mismatches.map((m) => l10n.t('clip {0} ({1}): {2}', m.clip, clips[m.clip - 1].title, m.differences.join(', ')));
    throw new OmniVideoError('badRequest', l10n.t('These clips cannot be joined without re-encoding, because they differ from the first one: {0}.', lines.join('; ')));
  }
  const mb = mediabunny();
  const temporary = temporaryFilmPath(destination);
  const first = parameters[0];
  const output = new mb.Output({
    // Metadata in moov/udta, where the chapter box (chpl) goes; moov at the end: written as it goes.
    format: new mb.Mp4OutputFormat({ fastStart: false, metadataFormat: 'udta' }),
    target: new mb.FilePathTarget(temporary, { chunked: false }),
  });
  const videoSource = new mb.EncodedVideoPacketSource(first.video.codec as Mediabunny.VideoCodec);
  const audioSource = first.audio ? new mb.EncodedAudioPacketSource(first.audio.codec as Mediabunny.AudioCodec) : undefined;
  output.addVideoTrack(videoSource);
  if (audioSource) output.addAudioTrack(audioSource);
  const starts = parameters.map((_, i) => parameters.slice(0, i).reduce((sum, p) => sum + p.videoDuration, 0));
  const total = parameters.reduce((sum, p) => sum + p.videoDuration, 0);
  output.setMetadataTags({ title: path.basename(destination, path.extname(destination)), raw: { chpl: chplBox(clips.map((clip, i) => ({ title: clip.title, start: starts[i] }))) } });
  let filmEnd = 0;
  try {
    await output.start();
    for (const [i, clip] of clips.entries()) {
      filmEnd = await copyClip(clip.path, i, starts[i], videoSource, audioSource, options.signal, (seconds) => options.onProgress?.(Math.min(1, seconds / (total || 1))));
    }
    await output.finalize();
    await rename(temporary, destination);
  } catch (error) {
    await output.cancel().catch(() => undefined);
    await rm(temporary, { force: true });
    if (options.signal?.aborted) throw new OmniVideoError('cancelled', l10n.t('The film was not assembled: cancelled.'));
    if (error instanceof OmniVideoError) throw error;
    throw new OmniVideoError('filesystem', l10n.t('The film could not be written: {0}', (error as Error).message), { cause: error });
  }
  return { starts, duration: filmEnd };
}

/**
 * Where a film is written before it is renamed into place: beside it, hidden, named by the process and
 * the time it was begun (worker threads share their process's pid, so the time tells two apart).
 */
export function temporaryFilmPath(destination: string, time = Date.now()): string {
  return path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}-${time}.part`);
}

/** When the temporary file `name` (in the destination's folder) of `destination` was begun by this process, if it is one. */
export function temporaryFilmTime(destination: string, name: string): number | undefined {
  const prefix = `.${path.basename(destination)}.${process.pid}-`;
  const time = name.startsWith(prefix) && name.endsWith('.part') ? name.slice(prefix.length, -'.part'.length) : '';
  return /^\d+$/.test(time) ? Number(time) : undefined;
}

/**
 * Copies one clip's packets, the video and the audio interleaved by time, each offset by `offset` (where
 * the film has got to: the end of the previous clip's video). Audio priming packets of later clips
 * (wholly before their clip's start, e.g. AAC's first frame) are left out: they would overlap the
 * previous clip's end, which the muxer refuses. Resolves to the end of this clip's video in the film.
 */
async function copyClip(
  file: string,
  index: number,
  offset: number,
  videoSource: Mediabunny.EncodedVideoPacketSource,
  audioSource: Mediabunny.EncodedAudioPacketSource | undefined,
  signal: AbortSignal | undefined,
  onTime: (seconds: number) => void,
): Promise<number> {
  const mb = mediabunny();
  const input = new mb.Input({ source: new mb.FilePathSource(file, { maxCacheSize: 2 * 1024 * 1024 }), formats: videoFormats() });
  try {
    const video = (await input.getPrimaryVideoTrack())!;
    const audio = audioSource ? await input.getPrimaryAudioTrack() : null;
    const lanes = [
      { track: video as Mediabunny.InputTrack, config: await video.getDecoderConfig(), add: (p: Mediabunny.EncodedPacket, meta?: object) => videoSource.add(p, meta), isVideo: true },
      ...(audio && audioSource ? [{ track: audio as Mediabunny.InputTrack, config: await audio.getDecoderConfig(), add: (p: Mediabunny.EncodedPacket, meta?: object) => audioSource.add(p, meta), isVideo: false }] : []),
    ].map((lane) => ({ ...lane, packets: new mb.EncodedPacketSink(lane.track).packets()[Symbol.asyncIterator](), next: undefined as Mediabunny.EncodedPacket | undefined, end: offset }));
    const pull = async (lane: (typeof lanes)[number]) => {
      for (;;) {
        const result = await lane.packets.next();
        if (result.done) return (lane.next = undefined);
        if (index > 0 && result.value.timestamp + result.value.duration <= 0) continue;
        return (lane.next = result.value);
      }
    };
    for (const lane of lanes) await pull(lane);
    // The first packet of each track in the film carries its decoder configuration.
    const metas = lanes.map((lane) => (index === 0 ? { decoderConfig: lane.config } : undefined));
    let slice = performance.now();
    for (;;) {
      if (signal?.aborted) throw new Error('cancelled');
      // Packets served from the read cache resolve at once, so this loop would run on without giving
      // the event loop back (a film is thousands of packets): it yields every few milliseconds.
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
      let lane = -1;
      lanes.forEach((l, i) => {
        if (l.next && (lane < 0 || l.next.timestamp < lanes[lane].next!.timestamp)) lane = i;
      });
      if (lane < 0) break;
      const current = lanes[lane];
      const packet = current.next!;
      const timestamp = packet.timestamp + offset;
      await current.add(packet.clone({ timestamp }), metas[lane]);
      metas[lane] = undefined;
      current.end = Math.max(current.end, timestamp + packet.duration);
      if (current.isVideo) onTime(current.end);
      await pull(current);
    }
    return lanes[0].end;
  } finally {
    input.dispose();
  }
}

/**
 * A Nero chapter box (`chpl`), which ffmpeg, mpv and VLC read as chapters: version 1, a chapter count,
 * then each chapter's start in 100 ns units and its title (UTF-8, at most 255 bytes).
 */
export function chplBox(chapters: readonly { title: string; start: number }[]): Uint8Array {
  const titles = chapters.slice(0, 255).map((c) => truncateUtf8(c.title, 255));
  const size = 4 + 4 + 1 + titles.reduce((sum, t) => sum + 8 + 1 + t.length, 0);
  const box = Buffer.alloc(size);
  let at = 0;
  box.writeUInt8(1, at); // version 1; flags 0
  at += 4;
  at += 4; // reserved
  box.writeUInt8(titles.length, at++);
  titles.forEach((title, i) => {
    box.writeBigUInt64BE(BigInt(Math.round(chapters[i].start * 1e7)), at);
    at += 8;
    box.writeUInt8(title.length, at++);
    title.copy(box, at);
    at += title.length;
  });
  return new Uint8Array(box.buffer, box.byteOffset, box.length);
}

/** Reads a `chpl` box's payload back (tests, and the preview's chapter list when there is no sidecar). */
export function parseChpl(payload: Uint8Array): { title: string; start: number }[] {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const version = data.readUInt8(0);
  let at = version ? 8 : 4;
  const count = data.readUInt8(at++);
  const chapters: { title: string; start: number }[] = [];
  for (let i = 0; i < count && at + 9 <= data.length; i++) {
    const start = Number(data.readBigUInt64BE(at)) / 1e7;
    const length = data.readUInt8(at + 8);
    chapters.push({ start, title: data.toString('utf8', at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return chapters;
}

function truncateUtf8(text: string, max: number): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  while (bytes.length > max) bytes = Buffer.from((text = Array.from(text).slice(0, -1).join('')), 'utf8');
  return bytes;
}

function fingerprint(description: unknown): string {
  if (!description) return '';
  const bytes = description instanceof ArrayBuffer ? new Uint8Array(description) : ArrayBuffer.isView(description) ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength) : undefined;
  return bytes ? createHash('sha1').update(bytes).digest('hex') : '';
}

/**
 * Joins clips that differ by re-encoding them with ffmpeg: each scaled and padded to the first clip's
 * size and frame rate, H.264 and AAC (sound only when every clip has some). No chapters: the film's
 * sidecar lists the shots. Written to a temporary file and renamed into place.
 */
export async function reencodeFilm(clips: readonly FilmClip[], destination: string, options: { ffmpeg: string; signal?: AbortSignal }): Promise<AssembledFilm> {
  const parameters = await Promise.all(clips.map((clip) => readClipParameters(clip.path)));
  const { width, height, frameRate } = parameters[0].video;
  const withAudio = parameters.every((p) => p.audio);
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  const filters = clips.map(
    (_, i) =>
      `[${i}:v:0]scale=${even(width)}:${even(height)}:force_original_aspect_ratio=decrease,pad=${even(width)}:${even(height)}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${frameRate || 24},format=yuv420p[v${i}]` +
      (withAudio ? `;[${i}:a:0]aresample=48000,aformat=channel_layouts=stereo[a${i}]` : ''),
  );
  const inputs = clips.map((_, i) => `[v${i}]${withAudio ? `[a${i}]` : ''}`).join('');
  const graph = `${filters.join(';')};${inputs}concat=n=${clips.length}:v=1:a=${withAudio ? 1 : 0}[v]${withAudio ? '[a]' : ''}`;
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.part.mp4`);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...clips.flatMap((clip) => ['-i', clip.path]), '-filter_complex', graph, '-map', '[v]'];
  if (withAudio) args.push('-map', '[a]', '-c:a', 'aac', '-b:a', '160k');
  args.push('-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-movflags', '+faststart', temporary);
  try {
    await runFfmpeg(options.ffmpeg, args, { signal: options.signal, timeoutMs: 60 * 60_000, stderrLines: 3, describe: (detail) => l10n.t('ffmpeg could not re-encode the film: {0}', detail || l10n.t('no reason given')) });
    await rename(temporary, destination);
  } finally {
    await rm(temporary, { force: true });
  }
  const starts = parameters.map((_, i) => parameters.slice(0, i).reduce((sum, p) => sum + p.videoDuration, 0));
  return { starts, duration: parameters.reduce((sum, p) => sum + p.videoDuration, 0) };
}
