import { z } from 'zod';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { ASPECT_RATIOS, MAX_PROMPT_CHARS, RESOLUTIONS, SECONDS, type CreateVideoRequest, type JobMode } from './schemas';

/** Generation parameters after defaults from the settings were applied. */
export const generationParamsSchema = z.object({
  prompt: z
    .string({ error: () => l10n.t('The prompt must be text.') })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { error: () => l10n.t('The prompt is empty: describe the scene, camera motion, light and mood.') }))
    .refine((s) => Array.from(s).length <= MAX_PROMPT_CHARS, {
      error: (issue) => l10n.t('The prompt is {0} characters long; at most {1} are accepted.', Array.from(String(issue.input)).length, MAX_PROMPT_CHARS),
    }),
  seconds: z.enum(SECONDS, { error: () => l10n.t('Duration must be "4", "8" or "10" seconds.') }),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: () => l10n.t('Aspect ratio must be one of 16:9, 9:16, 1:1, 4:3, 3:4.') }),
  resolution: z.enum(RESOLUTIONS, { error: () => l10n.t('Resolution must be one of 720p, 1080p, 2k, 4k.') }).optional(),
  fps: z
    .number({ error: () => l10n.t('fps must be a number.') })
    .int({ error: () => l10n.t('fps must be a whole number.') })
    .min(1)
    .max(60, { error: () => l10n.t('fps must be at most 60.') })
    .optional(),
});
export type GenerationParams = z.infer<typeof generationParamsSchema>;

export function parseGenerationParams(input: unknown): GenerationParams {
  const parsed = generationParamsSchema.safeParse(input);
  if (!parsed.success) throw new OmniVideoError('badRequest', parsed.error.issues.map((i) => i.message).join(' '));
  return parsed.data;
}

export interface BuiltRequest {
  mode: JobMode;
  body: CreateVideoRequest;
  /** What the sidecar and the job list record (media as paths or URLs, never data URIs). */
  recorded: Record<string, unknown>;
}

/** Text-to-video: `prompt` with duration, aspect ratio and optional preferences. */
export function buildTextRequest(model: string, params: GenerationParams): BuiltRequest {
  const body: CreateVideoRequest = {
    model,
    prompt: params.prompt,
    seconds: params.seconds,
    aspect_ratio: params.aspectRatio,
  };
  if (params.resolution) body.resolution = params.resolution;
  if (params.fps !== undefined) body.fps = params.fps;
  return { mode: 'text', body, recorded: { ...body } };
}
