import { z } from 'zod';

/** What the preview shows about a video: from its job or its sidecar. Every field is plain text. */
export interface PreviewInfo {
  /** The file's path on disk (a failed job: its id): kept in the webview state so the serializer can restore the panel. */
  file: string;
  fileName: string;
  /** `asWebviewUri` of the file plus a `?version=` cache buster; none for a job that failed. */
  videoSrc?: string;
  /** A job that failed at the server: its words, what that kind of failure means, the next step. */
  failure?: { serverMessage: string; sentence: string; action: string; actionDetail: string };
  prompt?: string;
  id?: string;
  /** How it was made, in the user's language ("Image to video (first frame)"). */
  mode?: string;
  /** The request's parameters as label and value (aspect ratio, resolution, frames per second). */
  parameters: { label: string; value: string }[];
  /** The media it was made from (first/last frame, references, clip), as the sidecar records them. */
  sources: PreviewSource[];
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
  /** A storyboard's film: one chapter per shot (from the film's sidecar). */
  chapters?: { title: string; start: number; time: string }[];
}

/** A file or URL a video was made from; `openSource` names it by its index, never by its path. */
export interface PreviewSource {
  /** Its role: "First frame", "Reference 2", "Clip". */
  role: string;
  /** The workspace path or URL as recorded. */
  text: string;
  /** Whether it can be opened: a workspace file that still exists, or an http(s) URL. */
  openable: boolean;
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
  /** The video plays here, so its last frame can be captured and animated. */
  continueFromLastFrame: boolean;
  /** The video can go into the generation panel as the clip to edit or extend. */
  useAsReference: boolean;
}

/** The preview's fixed texts (`noAudioDecoded`: the audio does not decode although the host was expected to play it). */
export type PreviewLabels = Record<'prompt' | 'id' | 'duration' | 'size' | 'created' | 'reveal' | 'copyPrompt' | 'noMetadata' | 'playbackError' | 'unmute' | 'regenerate' | 'insertIntoDocument' | 'openSystemPlayer' | 'makePlayableCopy' | 'noAudioDecoded' | 'mode' | 'madeFrom' | 'continueFromLastFrame' | 'useAsReference' | 'failed' | 'serverSaid' | 'chapters' | 'regenerateShot', string>;

/** Messages from the extension host to the webview. */
export type HostToWebview = { type: 'show'; info: PreviewInfo } | { type: 'captureLastFrame'; requestId: number };

/** The largest captured frame accepted from the webview (a 4k PNG is well below). */
export const MAX_CAPTURED_FRAME_CHARS = 64 * 1024 * 1024;

/** Messages from the webview to the host: parsed with zod, because a webview is untrusted. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('reveal') }),
  z.object({ type: z.literal('copyPrompt') }),
  z.object({ type: z.literal('regenerate') }),
  z.object({ type: z.literal('insertIntoDocument') }),
  z.object({ type: z.literal('openSystemPlayer') }),
  z.object({ type: z.literal('makePlayableCopy') }),
  z.object({ type: z.literal('continueFromLastFrame') }),
  z.object({ type: z.literal('useAsReference') }),
  z.object({ type: z.literal('failureAction') }),
  z.object({ type: z.literal('regenerateShot'), chapter: z.number().int().min(0).max(1000) }),
  z.object({ type: z.literal('openSource'), index: z.number().int().min(0).max(16) }),
  z.object({
    type: z.literal('frameCaptured'),
    requestId: z.number().int().min(0),
    dataUrl: z.string().startsWith('data:image/png;base64,').max(MAX_CAPTURED_FRAME_CHARS),
    width: z.number().int().min(1).max(16384),
    height: z.number().int().min(1).max(16384),
    /** Where the frame was taken, and the video's duration (seconds). */
    time: z.number().min(0),
    duration: z.number().min(0),
  }),
  z.object({ type: z.literal('frameCaptureFailed'), requestId: z.number().int().min(0), reason: z.string().max(500) }),
  z.object({
    type: z.literal('playback'),
    state: z.enum(['playing', 'paused', 'error', 'mutedAutoplay', 'noAudio']),
    detail: z.string().max(500).optional(),
  }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;
/** A frame the preview captured, as it reported it. */
export type CapturedFrame = Extract<WebviewToHost, { type: 'frameCaptured' }>;

/** What the webview saves with `setState`, handed back to the serializer after a reload. */
export const previewStateSchema = z.object({
  file: z.string().min(1),
  currentTime: z.number().min(0).optional(),
  /** The preview shows a job that failed (it has no file): `file` is the job's id. */
  failedJob: z.boolean().optional(),
});
export type PreviewState = z.infer<typeof previewStateSchema>;
