import * as vscode from 'vscode';
import { z } from 'zod';
import { ASPECT_RATIOS, RESOLUTIONS, SECONDS } from '../core/api/schemas';

export const DEFAULT_BASE_URL = 'https://models.kapon.cloud/v1';

const settingsSchema = z.object({
  baseUrl: z.string().trim().min(1).catch(DEFAULT_BASE_URL),
  model: z.string().trim().min(1).catch('omni-fast'),
  seconds: z.enum(SECONDS).catch('8'),
  aspectRatio: z.enum(ASPECT_RATIOS).catch('16:9'),
  resolution: z.enum(RESOLUTIONS).nullish().catch(undefined),
  outputDirectory: z
    .string()
    .trim()
    .min(1)
    .refine((v) => !v.split(/[\\/]/).includes('..'), 'must stay inside the workspace folder')
    .catch('videos'),
  pollIntervalSeconds: z.number().min(0.2).max(600).catch(10),
  openPreviewOnComplete: z.boolean().catch(true),
});
export type OmniVideoSettings = z.infer<typeof settingsSchema>;

/** Reads `omniVideo.*`, replacing any invalid value by its default. `baseUrl` is application-scoped. */
export function readSettings(scope?: vscode.ConfigurationScope): OmniVideoSettings {
  const config = vscode.workspace.getConfiguration('omniVideo');
  const baseUrl = config.inspect<string>('baseUrl');
  return settingsSchema.parse({
    // Only the user's own (global) value counts: a workspace must never be able to send the key elsewhere.
    baseUrl: baseUrl?.globalValue ?? baseUrl?.defaultValue ?? DEFAULT_BASE_URL,
    model: config.get('model'),
    seconds: config.get('seconds'),
    aspectRatio: config.get('aspectRatio'),
    resolution: config.get('resolution') ?? undefined,
    // The only resource-scoped setting: each workspace folder may save elsewhere.
    outputDirectory: vscode.workspace.getConfiguration('omniVideo', scope ?? null).get('outputDirectory'),
    pollIntervalSeconds: config.get('pollIntervalSeconds'),
    openPreviewOnComplete: config.get('openPreviewOnComplete'),
  });
}
