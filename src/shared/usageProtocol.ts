import { z } from 'zod';

/** A count with its estimate (in the user's currency) when a price is set; every text is ready to show. */
export interface UsageFigure {
  label: string;
  count: number;
  estimate?: string;
}

export interface UsageState {
  /** Today, this month, in total. */
  figures: UsageFigure[];
  /** "2 of them failed at the server (billed all the same)", or nothing. */
  failedNote?: string;
  /** The daily limit and what is left of it today, or that there is none. */
  limitNote: string;
  /** The last 30 days, oldest first. */
  days: { label: string; count: number }[];
  byWorkspace: { name: string; detail: string; count: number }[];
  byMode: { name: string; count: number }[];
  labels: Record<'title' | 'chart' | 'chartEmpty' | 'byWorkspace' | 'byMode' | 'none' | 'raiseLimit' | 'setPrice' | 'generations', string>;
}

export type HostToUsage = { type: 'state'; state: UsageState };

/** Messages from the usage page, which is untrusted: checked with zod. */
export const usageToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('openSetting'), setting: z.enum(['omniVideo.dailyLimit', 'omniVideo.pricePerGeneration']) }),
]);
export type UsageToHost = z.infer<typeof usageToHostSchema>;
