import { z } from 'zod';

/** One generated video in the gallery: everything is plain text from its sidecar. */
export interface GalleryEntry {
  name: string;
  /** The workspace-relative path, for the tooltip and the filter. */
  relative: string;
  /** `asWebviewUri` of the video, for the thumbnail. */
  src: string;
  prompt: string;
  mode?: string;
  seconds?: string;
  size?: string;
  /** When it was made (milliseconds since 1970): the page formats it, in `GalleryState.language`. */
  created?: number;
}

export type GalleryLabels = Record<'title' | 'filter' | 'filterPlaceholder' | 'count' | 'refresh' | 'empty' | 'noMatch' | 'generate' | 'open' | 'copyPrompt' | 'reveal' | 'scanning', string>;

export interface GalleryState {
  entries: GalleryEntry[];
  scanning: boolean;
  labels: GalleryLabels;
  /** VS Code's display language, for the dates. */
  language: string;
}

export type HostToGallery = { type: 'state'; state: GalleryState };

/** Messages from the gallery's webview, which is untrusted: an entry is named by its index, never by a path. */
export const galleryToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('generate') }),
  z.object({ type: z.enum(['open', 'copyPrompt', 'reveal']), index: z.number().int().min(0).max(100_000) }),
]);
export type GalleryToHost = z.infer<typeof galleryToHostSchema>;

/** What the gallery's webview keeps with setState. */
export const galleryWebviewStateSchema = z.object({ filter: z.string().max(1000).optional() });
export type GalleryWebviewState = z.infer<typeof galleryWebviewStateSchema>;

