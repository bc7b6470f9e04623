import { z } from 'zod';

/** What the preview shows about a video: from its job or its sidecar. Every field is plain text. */
export interface PreviewInfo {
  /** The file's path on disk: kept in the webview state so the serializer can restore the panel. */
  file: string;
  fileName: string;
  /** `asWebviewUri` of the file plus a `?version=` cache buster. */
  videoSrc: string;
  prompt?: string;
  id?: string;
  mode?: string;
  /** Ready to show, e.g. `5 s (8 s requested)`. */
  seconds?: string;
  size?: string;
  createdAt?: string;
  hasSidecar: boolean;
  /** What the preview can play here, in the user's language (empty when everything plays). */
  playbackNotes: string[];
  /** The file has an audio track the host says it can play: the webview checks it really decodes. */
  expectAudio: boolean;
  actions: PreviewActions;
  labels: PreviewLabels;
  /** Where to resume playback after a reload. */
  startAt?: number;
}

/** Which action buttons the preview shows. */
export interface PreviewActions {
  /** The video has a job or sidecar with its request: it can be generated again. */
  regenerate: boolean;
  /** A text document is open to insert a reference into. */
  insertIntoDocument: boolean;
  /** The file is on this computer and something in it may not play in the webview. */
  openSystemPlayer: boolean;
  /** ffmpeg is on the PATH and a copy with MP3 audio would play with sound. */
  makePlayableCopy: boolean;
}

export interface PreviewLabels {
  prompt: string;
  id: string;
  duration: string;
  size: string;
  created: string;
  reveal: string;
  copyPrompt: string;
  noMetadata: string;
  playbackError: string;
  unmute: string;
  regenerate: string;
  insertIntoDocument: string;
  openSystemPlayer: string;
  makePlayableCopy: string;
  /** Said when the audio track does not decode although the host was expected to play it. */
  noAudioDecoded: string;
}

/** Messages from the extension host to the webview. */
export type HostToWebview = { type: 'show'; info: PreviewInfo };

/** Messages from the webview to the host: parsed with zod, because a webview is untrusted. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('reveal') }),
  z.object({ type: z.literal('copyPrompt') }),
  z.object({ type: z.literal('regenerate') }),
  z.object({ type: z.literal('insertIntoDocument') }),
  z.object({ type: z.literal('openSystemPlayer') }),
  z.object({ type: z.literal('makePlayableCopy') }),
  z.object({
    type: z.literal('playback'),
    state: z.enum(['playing', 'paused', 'error', 'mutedAutoplay', 'noAudio']),
    detail: z.string().max(500).optional(),
  }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

/** What the webview saves with `setState`, handed back to the serializer after a reload. */
export const previewStateSchema = z.object({
  file: z.string().min(1),
  currentTime: z.number().min(0).optional(),
});
export type PreviewState = z.infer<typeof previewStateSchema>;

export const PREVIEW_VIEW_TYPE = 'omniVideo.preview';
/** The custom editor ("Open With… → Omni Video Preview"): the same preview for any video file. */
export const VIDEO_EDITOR_VIEW_TYPE = 'omniVideo.videoPreview';
