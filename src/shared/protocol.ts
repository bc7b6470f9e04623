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
  labels: PreviewLabels;
  /** Where to resume playback after a reload. */
  startAt?: number;
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
}

/** Messages from the extension host to the webview. */
export type HostToWebview = { type: 'show'; info: PreviewInfo };

/** Messages from the webview to the host: parsed with zod, because a webview is untrusted. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('reveal') }),
  z.object({ type: z.literal('copyPrompt') }),
  z.object({
    type: z.literal('playback'),
    state: z.enum(['playing', 'paused', 'error', 'mutedAutoplay']),
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
