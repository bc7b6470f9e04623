import { z } from 'zod';
import { l10n } from '../common/l10n';
import type { FileDataUri } from './requestBody';

/** The values the API documents; the server may return others, so responses are parsed loosely. */
export const SECONDS = ['4', '8', '10'] as const;
/**
 * The longest prompt sent, in characters (code points). the provider gives no limit (docs/api.md); this is the bound our
 * simulator enforces, like OpenAI-style video APIs: a longer prompt is refused before it costs anything.
 */
export const MAX_PROMPT_CHARS = 4000;
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
export const RESOLUTIONS = ['720p', '1080p', '2k', '4k'] as const;
export const JOB_STATUSES = ['queued', 'in_progress', 'completed', 'failed'] as const;
/** How a video is made; the fields a request fills decide it (docs/api.md). */
export const JOB_MODES = ['text', 'image', 'interpolate', 'references', 'video'] as const;

export type Seconds = (typeof SECONDS)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type Resolution = (typeof RESOLUTIONS)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobMode = (typeof JOB_MODES)[number];

const numberish = z.union([z.number(), z.string()]);

/**
 * A time as seconds since the epoch: documented as a number of seconds; milliseconds, numeric strings
 * and ISO dates are read too.
 */
const timestamp = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((value): number | undefined => {
    if (value === null || value === undefined || value === '') return undefined;
    const n = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Date.parse(value) / 1000;
    if (!Number.isFinite(n) || n <= 0) return undefined;
    return n > 1e11 ? n / 1000 : n; // milliseconds
  });

/** The error the server describes, as an object or a plain string (the failure body is undocumented). */
export const serverErrorSchema = z.union([
  z.string(),
  z.looseObject({ message: z.string().optional(), code: z.union([z.string(), z.number()]).nullish(), type: z.string().nullish() }),
]);

export function serverErrorText(error: z.infer<typeof serverErrorSchema> | null | undefined): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error.trim() || undefined;
  const message = error.message?.trim();
  const code = error.code === undefined || error.code === null ? undefined : String(error.code);
  if (message && code) return `${message} (${code})`;
  return message || code;
}

/**
 * A video job as the server reports it (create and status responses). Unknown fields are kept out of
 * the way but tolerated; fields that matter are checked. `status` stays a string so that a new state the
 * provider adds one day does not break parsing; the job logic treats unknown states as still running.
 */
export const videoJobSchema = z.looseObject({
  // An id is a path segment of later requests: "." or ".." would be resolved away by URL parsing.
  id: z
    .string()
    .min(1)
    .max(200)
    .refine((id) => !/^(\.|%2e){1,2}$/i.test(id), { error: () => l10n.t('not a usable job id') }),
  // Only the id is required. Every other field that does not have the documented type is read as
  // absent instead of failing the answer: a create answer that cannot be parsed would leave the user
  // not knowing whether they paid.
  object: z.string().nullish().catch(undefined),
  model: z.string().nullish().catch(undefined),
  status: z.string().min(1).nullish().catch(undefined),
  progress: numberish.nullish().transform((v) => clampProgress(v)).catch(undefined),
  created_at: timestamp.catch(undefined),
  completed_at: timestamp.catch(undefined),
  seconds: numberish.nullish().transform((v) => (v === null || v === undefined ? undefined : String(v))).catch(undefined),
  size: numberish.nullish().transform((v) => (v === null || v === undefined ? undefined : String(v))).catch(undefined),
  video_url: z.string().nullish().catch(undefined),
  error: serverErrorSchema.nullish().catch(undefined),
});
export type VideoJob = z.infer<typeof videoJobSchema>;

/** The error envelope of a non-2xx answer: `{"error": {...}}`, `{"error": "..."}` or `{"message": "..."}`. */
export const errorEnvelopeSchema = z.looseObject({
  error: serverErrorSchema.optional(),
  message: z.string().optional(),
});

function clampProgress(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number.parseFloat(value);
  if (!Number.isFinite(n)) return undefined;
  return Math.min(100, Math.max(0, Math.round(n)));
}

/** The body of `POST /videos` this extension sends (media fields come with later modes). */
export interface CreateVideoRequest {
  model: string;
  prompt: string;
  seconds?: Seconds;
  aspect_ratio?: AspectRatio;
  resolution?: Resolution;
  fps?: number;
  // A workspace file is a FileDataUri, read and encoded while the request is sent (requestBody.ts).
  first_image_url?: string | FileDataUri;
  last_image_url?: string | FileDataUri;
  images?: (string | FileDataUri)[];
  video?: string | FileDataUri;
}
