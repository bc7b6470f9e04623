import { z } from 'zod';

/** The generation panel's media slots. */
export const PANEL_SLOTS = ['firstImage', 'lastImage', 'images', 'video'] as const;
export type PanelSlot = (typeof PANEL_SLOTS)[number];

/** A file in a slot, as the webview shows it. */
export interface SlotItem {
  /** The file's path on disk (the host's key for it). */
  file: string;
  name: string;
  /** `asWebviewUri` of the file, for the thumbnail. */
  src: string;
  kind: 'image' | 'video';
}

export type PanelLabels = Record<'title' | 'prompt' | 'promptPlaceholder' | 'recent' | 'recentNone' | 'mode' | 'choose' | 'remove' | 'duration' | 'seconds' | 'aspectRatio' | 'resolution' | 'fps' | 'auto' | 'billing' | 'generate' | 'submitting' | 'previewRequest', string> & {
  /** What the API documentation says an aspect ratio really gives, for the ratios that are not what they seem. */
  aspectNotes: Record<string, string>;
  modes: Record<'text' | 'image' | 'interpolate' | 'references' | 'video', string>;
  slots: Record<PanelSlot, string>;
  slotHints: Record<PanelSlot, string>;
};

/** Everything the panel shows; sent whole on every change. */
export interface PanelState {
  slots: { firstImage?: SlotItem; lastImage?: SlotItem; images: SlotItem[]; video?: SlotItem };
  /** What the filled slots ask for, or an explanation of why they cannot go together. */
  mode: { id: 'text' | 'image' | 'interpolate' | 'references' | 'video' } | { error: string };
  recentPrompts: string[];
  defaults: { seconds: string; aspectRatio: string; resolution?: string };
  choices: { seconds: string[]; aspectRatios: string[]; resolutions: string[] };
  busy: boolean;
  /** The outcome of the last action: a queued job or why nothing was sent. */
  message?: { kind: 'info' | 'error'; text: string };
  labels: PanelLabels;
}

export type HostToPanel = { type: 'state'; state: PanelState } | { type: 'setPrompt'; prompt: string };

const slot = z.enum(PANEL_SLOTS);

/** Messages from the panel's webview, which is untrusted: checked with zod. */
export const panelToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('pick'), slot }),
  z.object({ type: z.literal('drop'), slot, uris: z.array(z.string().max(4096)).min(1).max(20) }),
  z.object({ type: z.literal('remove'), slot, index: z.number().int().min(0).max(20) }),
  z.object({
    type: z.literal('generate'),
    prompt: z.string().max(100_000),
    seconds: z.string().max(10),
    aspectRatio: z.string().max(10),
    resolution: z.string().max(10).optional(),
    fps: z.number().int().min(1).max(240).optional(),
    /** Preview Request: show what Generate would send, and send nothing. */
    dryRun: z.boolean().optional(),
  }),
  z.object({ type: z.literal('showJobs') }),
]);
export type PanelToHost = z.infer<typeof panelToHostSchema>;

/** What the panel's webview keeps with setState: restored after a reload. */
export const panelWebviewStateSchema = z.object({
  prompt: z.string().max(100_000).optional(),
  slots: z
    .object({
      firstImage: z.string().optional(),
      lastImage: z.string().optional(),
      images: z.array(z.string()).max(5).optional(),
      video: z.string().optional(),
    })
    .optional(),
});
export type PanelWebviewState = z.infer<typeof panelWebviewStateSchema>;

