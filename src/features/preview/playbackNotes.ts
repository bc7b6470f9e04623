import { l10n } from '../../core/common/l10n';
import { codecLabel, type Playability, type PlaybackHost, type PlayabilityNote } from '../../core/media/playability';
import type { AudioCodec, VideoCodec } from '../../core/media/videoCodecs';

const KNOWN = new Set<string>(['h264', 'hevc', 'av1', 'vp9', 'vp8', 'aac', 'mp3', 'opus', 'flac', 'vorbis', 'ac3', 'eac3']);

function label(codec: string | undefined): string {
  return codec && KNOWN.has(codec) ? codecLabel(codec as VideoCodec | AudioCodec) : (codec ?? '?').replace(/[^\x20-\x7e]/g, '?');
}

/** The playability notes of the core decision, in the user's language. */
export function localizePlaybackNotes(playability: Playability, host: PlaybackHost): string[] {
  return playability.notes.map((note) => localizeNote(note, playability, host));
}

function localizeNote(note: PlayabilityNote, playability: Playability, host: PlaybackHost): string {
  const desktop = host.uiKind === 'desktop';
  const codec = label(note.codec);
  switch (note.code) {
    case 'videoUnplayable':
      return desktop
        ? l10n.t("This video uses {0}, which VS Code's desktop app cannot decode.", codec)
        : l10n.t('This video uses {0}, which this browser cannot decode.', codec);
    case 'audioUnplayable':
      if (playability.video === 'unplayable') {
        return desktop ? l10n.t("VS Code's desktop app cannot play its {0} audio either.", codec) : l10n.t('This browser cannot play its {0} audio either.', codec);
      }
      return desktop
        ? l10n.t("VS Code's desktop app cannot play {0} audio, so this video plays without sound.", codec)
        : l10n.t('This browser cannot play {0} audio, so this video plays without sound.', codec);
    case 'videoMayNotPlay':
      return l10n.t('This video uses {0}; whether it plays here depends on the browser and the device.', codec);
    case 'audioMayNotPlay':
      return l10n.t('The audio uses {0}; whether it plays here depends on the browser and the device.', codec);
    case 'unknownVideoCodec':
      return l10n.t('This video uses a codec the preview does not recognise ("{0}"), so it may not play here.', codec);
    case 'unknownAudioCodec':
      return l10n.t('The audio uses a codec the preview does not recognise ("{0}"), so it may not play here.', codec);
    case 'encrypted':
      return note.track === 'audio'
        ? l10n.t('The audio of this video is encrypted (DRM-protected), which the preview cannot play.')
        : l10n.t('This video is encrypted (DRM-protected), which the preview cannot play.');
    case 'noVideoTrack':
      return l10n.t('This file has no video track.');
    case 'containerMayNotPlay':
      return l10n.t('The tracks of this file could not be read, or its container (Matroska) may not play here.');
    case 'unreadable':
      return l10n.t("The video's codecs could not be read: {0}", note.message.replace(/^The video's codecs could not be read\. /, ''));
  }
}
