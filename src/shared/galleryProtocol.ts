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

/**
 * A card's poster as the page gets it: the packets from a key frame and how to decode them with
 * WebCodecs (times in microseconds). The extension host reads it as core/media's `PosterFrames`, the
 * same shape, which the compiler checks where the gallery sends it.
 */
export interface PosterFrames {
  codec: string;
  description?: Uint8Array<ArrayBuffer>;
  codedWidth: number;
  codedHeight: number;
  colorSpace?: { primaries?: string; transfer?: string; matrix?: string; fullRange?: boolean };
  displayWidth: number;
  displayHeight: number;
  rotation: 0 | 90 | 180 | 270;
  flip: boolean;
  packets: { key: boolean; timestamp: number; duration: number; data: Uint8Array<ArrayBuffer> }[];
  target: number;
  partial: boolean;
}

/**
 * To the page: the list, or the poster packets of one card's video (`poster` null: none could be read,
 * the card shows the video itself).
 */
export type HostToGallery = { type: 'state'; state: GalleryState } | { type: 'poster'; src: string; poster: PosterFrames | null };

/**
 * Messages from the gallery's webview, which is untrusted: an entry is named by its index, a poster by the
 * `src` the host gave its card, never by a path.
 */
export const galleryToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('generate') }),
  z.object({ type: z.enum(['open', 'copyPrompt', 'reveal']), index: z.number().int().min(0).max(100_000) }),
  // A card near the view asks for its poster by its video's `src` (one the host gave it): the key frame
  // alone, or (`whole`, when that frame is blank) every packet to the poster's time.
  z.object({ type: z.literal('poster'), src: z.string().max(10_000), whole: z.boolean().optional() }),
]);
export type GalleryToHost = z.infer<typeof galleryToHostSchema>;

/** What the gallery's webview keeps with setState. */
export const galleryWebviewStateSchema = z.object({ filter: z.string().max(1000).optional() });
export type GalleryWebviewState = z.infer<typeof galleryWebviewStateSchema>;

