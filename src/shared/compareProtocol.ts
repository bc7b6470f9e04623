import { z } from 'zod';

/** One take in the compare view; named by its index, never by its path. */
export interface CompareTake {
  /** "Take 2 · 20261204-…mp4", ready to show. */
  label: string;
  /** `asWebviewUri` of the video. */
  src: string;
  prompt: string;
  chosen: boolean;
}

export interface CompareState {
  /** The storyboard's path and the shot: kept in the page's state, so the serializer restores the view. */
  board: string;
  shot: number;
  /** "Shot 2: Open sea". */
  title: string;
  takes: CompareTake[];
  /** The takes shown on the left and on the right. */
  left: number;
  right: number;
  /** Frames per second, for the frame steps. */
  frameRate: number;
  labels: Record<'play' | 'pause' | 'previousFrame' | 'nextFrame' | 'useThisTake' | 'chosen' | 'left' | 'right' | 'keys' | 'time', string>;
}

export type HostToCompare = { type: 'state'; state: CompareState };

/** Messages from the compare page, which is untrusted: checked with zod. */
export const compareToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('show'), side: z.enum(['left', 'right']), take: z.number().int().min(0).max(1000) }),
  z.object({ type: z.literal('useTake'), take: z.number().int().min(0).max(1000) }),
]);
export type CompareToHost = z.infer<typeof compareToHostSchema>;

/** What the compare page keeps with setState: the board and shot, restored after a reload. */
export const compareWebviewStateSchema = z.object({ board: z.string().min(1), shot: z.number().int().min(1), left: z.number().int().min(0).optional(), right: z.number().int().min(0).optional() });
export type CompareWebviewState = z.infer<typeof compareWebviewStateSchema>;
