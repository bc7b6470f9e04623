/**
 * What the host running the preview's webview can play, decided from a file's codecs alone; `unknown`
 * is a real answer, settled by the webview itself (docs/decisions.md, "Codec honesty on desktop").
 */
import type { AudioCodec, CodecError, CodecReport, Container, VideoCodec } from './videoCodecs';

export interface PlaybackHost {
  /** `vscode.env.uiKind`: UIKind.Desktop (1) → 'desktop', UIKind.Web (2) → 'web'. */
  uiKind: 'desktop' | 'web';
  /** `vscode.env.appHost`, e.g. 'desktop', 'server-distro', 'codespaces', 'vscode.dev'. Informational. */
  appHost: string;
  /**
   * `vscode.env.remoteName` (e.g. 'ssh-remote', 'wsl'), when the workspace is on another machine: the file
   * is not on the user's computer, so "Open in System Player" cannot open it.
   */
  remoteName?: string;
}

/** Maps the raw `vscode.env` values (`uiKind` 1 = Desktop, 2 = Web) to a {@link PlaybackHost}. */
export function playbackHostFromEnv(env: { uiKind: number; appHost: string; remoteName?: string | undefined }): PlaybackHost {
  return {
    uiKind: env.uiKind === 2 ? 'web' : 'desktop',
    appHost: env.appHost,
    ...(env.remoteName ? { remoteName: env.remoteName } : {}),
  };
}

export type VideoVerdict = 'playable' | 'unplayable' | 'unknown';
export type AudioVerdict = 'playable' | 'unplayable' | 'none' | 'unknown';

/** One statement about the file, with a code for callers that translate (`message` is the English text). */
export interface PlayabilityNote {
  code:
    | 'videoUnplayable' // the host cannot decode the video codec
    | 'audioUnplayable' // the host cannot decode the audio codec
    | 'videoMayNotPlay' // depends on the browser/device
    | 'audioMayNotPlay'
    | 'unknownVideoCodec' // a codec this extension does not recognise
    | 'unknownAudioCodec'
    | 'encrypted' // DRM-protected track
    | 'noVideoTrack'
    | 'containerMayNotPlay' // Matroska (not WebM), or a WebM whose track list could not be read
    | 'unreadable'; // the codec report is an error
  track?: 'video' | 'audio';
  /** The codec concerned, e.g. 'aac', or the fourcc / CodecID for an unknown one. */
  codec?: string;
  message: string;
}

export interface Playability {
  video: VideoVerdict;
  audio: AudioVerdict;
  /** English sentences for the preview, one per note. */
  reasons: string[];
  notes: PlayabilityNote[];
  /** Show "Open in System Player": something may not play here and the file is on the user's computer. */
  offerSystemPlayer: boolean;
  /**
   * A copy with the video stream copied and the audio re-encoded to MP3 would play: the video is playable,
   * the audio is not, and the container is MP4/MOV (MP3 in MP4 plays everywhere). The caller still checks
   * that ffmpeg is on the PATH.
   */
  offerPlayableCopy: boolean;
}

type Support = 'yes' | 'no' | 'maybe';

const DESKTOP_VIDEO: Record<Exclude<VideoCodec, 'unknown'>, Support> = { h264: 'yes', vp8: 'yes', hevc: 'no', av1: 'no', vp9: 'no' };
const WEB_VIDEO: Record<Exclude<VideoCodec, 'unknown'>, Support> = { h264: 'yes', vp8: 'yes', vp9: 'yes', av1: 'yes', hevc: 'maybe' };
const DESKTOP_AUDIO: Record<Exclude<AudioCodec, 'unknown'>, Support> = {
  mp3: 'yes',
  flac: 'yes',
  vorbis: 'yes',
  aac: 'no',
  opus: 'no',
  ac3: 'no',
  eac3: 'no',
};
const WEB_AUDIO: Record<Exclude<AudioCodec, 'unknown'>, Support> = {
  aac: 'yes',
  mp3: 'yes',
  opus: 'yes',
  flac: 'yes',
  vorbis: 'yes',
  ac3: 'maybe',
  eac3: 'maybe',
};

const CODEC_LABELS: Record<Exclude<VideoCodec | AudioCodec, 'unknown'>, string> = {
  h264: 'H.264',
  hevc: 'HEVC (H.265)',
  av1: 'AV1',
  vp9: 'VP9',
  vp8: 'VP8',
  aac: 'AAC',
  mp3: 'MP3',
  opus: 'Opus',
  flac: 'FLAC',
  vorbis: 'Vorbis',
  ac3: 'AC-3 (Dolby Digital)',
  eac3: 'E-AC-3 (Dolby Digital Plus)',
};

/** A readable name for a codec: "HEVC (H.265)", "AAC". */
export function codecLabel(codec: VideoCodec | AudioCodec): string {
  return codec === 'unknown' ? 'an unknown codec' : CODEC_LABELS[codec];
}

const DESKTOP = "VS Code's desktop app";

/** Decides what `host` can play of the file described by `report`. */
export function decidePlayability(report: CodecReport | CodecError, host: PlaybackHost): Playability {
  const desktop = host.uiKind === 'desktop';
  const canOpenLocally = desktop && !host.remoteName;
  const notes: PlayabilityNote[] = [];

  if (!report.ok) {
    notes.push({ code: 'unreadable', message: `The video's codecs could not be read. ${report.message}` });
    return finish('unknown', 'unknown', notes, canOpenLocally, false);
  }

  let video: VideoVerdict;
  const firstVideo = report.video[0];
  if (!report.codecsKnown) {
    video = 'unknown';
    notes.push({
      code: 'containerMayNotPlay',
      message: `The codecs of this ${containerLabel(report.container)} file could not be read, so it may not play here.`,
    });
  } else if (!firstVideo) {
    video = 'unknown';
    notes.push({ code: 'noVideoTrack', track: 'video', message: 'This file has no video track.' });
  } else if (firstVideo.encrypted) {
    video = 'unplayable';
    notes.push({
      code: 'encrypted',
      track: 'video',
      codec: firstVideo.codec,
      message: 'This video is encrypted (DRM-protected), which the preview cannot play.',
    });
  } else if (firstVideo.codec === 'unknown') {
    video = 'unknown';
    const id = firstVideo.fourcc ?? firstVideo.codecId ?? '?';
    notes.push({
      code: 'unknownVideoCodec',
      track: 'video',
      codec: id,
      message: `This video uses a codec the preview does not recognise ("${id.replace(/[^\x20-\x7e]/g, '?')}"), so it may not play here.`,
    });
  } else {
    const support = (desktop ? DESKTOP_VIDEO : WEB_VIDEO)[firstVideo.codec];
    const label = CODEC_LABELS[firstVideo.codec];
    video = support === 'yes' ? 'playable' : support === 'no' ? 'unplayable' : 'unknown';
    if (support === 'no') {
      notes.push({
        code: 'videoUnplayable',
        track: 'video',
        codec: firstVideo.codec,
        message: `This video uses ${label}, which ${desktop ? DESKTOP : 'this browser'} cannot decode.`,
      });
    } else if (support === 'maybe') {
      notes.push({
        code: 'videoMayNotPlay',
        track: 'video',
        codec: firstVideo.codec,
        message: `This video uses ${label}; whether it plays here depends on the browser and the device.`,
      });
    }
  }

  let audio: AudioVerdict;
  const firstAudio = report.audio[0];
  if (!report.codecsKnown) {
    audio = 'unknown';
  } else if (!firstAudio) {
    audio = 'none';
  } else if (firstAudio.encrypted) {
    audio = 'unplayable';
    if (!firstVideo?.encrypted) {
      notes.push({
        code: 'encrypted',
        track: 'audio',
        codec: firstAudio.codec,
        message: 'The audio of this video is encrypted (DRM-protected), which the preview cannot play.',
      });
    }
  } else if (firstAudio.codec === 'unknown') {
    audio = 'unknown';
    const id = firstAudio.fourcc ?? firstAudio.codecId ?? '?';
    notes.push({
      code: 'unknownAudioCodec',
      track: 'audio',
      codec: id,
      message: `The audio uses a codec the preview does not recognise ("${id.replace(/[^\x20-\x7e]/g, '?')}"), so it may not play here.`,
    });
  } else {
    const support = (desktop ? DESKTOP_AUDIO : WEB_AUDIO)[firstAudio.codec];
    const label = CODEC_LABELS[firstAudio.codec];
    audio = support === 'yes' ? 'playable' : support === 'no' ? 'unplayable' : 'unknown';
    if (support === 'no') {
      const host = desktop ? DESKTOP : 'This browser';
      notes.push({
        code: 'audioUnplayable',
        track: 'audio',
        codec: firstAudio.codec,
        message:
          video === 'unplayable'
            ? `${host} cannot play its ${label} audio either.`
            : `${host} cannot play ${label} audio, so this video plays without sound.`,
      });
    } else if (support === 'maybe') {
      notes.push({
        code: 'audioMayNotPlay',
        track: 'audio',
        codec: firstAudio.codec,
        message: `The audio uses ${label}; whether it plays here depends on the browser and the device.`,
      });
    }
  }

  if (report.container === 'matroska' && report.codecsKnown) {
    // Chromium plays WebM, not Matroska in general: even known codecs are only "maybe" here.
    if (video === 'playable') video = 'unknown';
    if (audio === 'playable') audio = 'unknown';
    notes.push({ code: 'containerMayNotPlay', message: 'This is a Matroska (MKV) file, which VS Code may not be able to play.' });
  }

  const mp4Like = report.container === 'mp4' || report.container === 'mov';
  return finish(video, audio, notes, canOpenLocally, mp4Like && video === 'playable' && audio === 'unplayable');
}

function finish(video: VideoVerdict, audio: AudioVerdict, notes: PlayabilityNote[], canOpenLocally: boolean, copy: boolean): Playability {
  const somethingMayNotPlay = video !== 'playable' || audio === 'unplayable' || audio === 'unknown';
  return {
    video,
    audio,
    reasons: notes.map((n) => n.message),
    notes,
    offerSystemPlayer: canOpenLocally && somethingMayNotPlay,
    offerPlayableCopy: copy,
  };
}

function containerLabel(container: Container): string {
  return container === 'matroska' ? 'Matroska (MKV)' : container === 'webm' ? 'WebM' : container === 'mov' ? 'MOV' : 'MP4';
}
