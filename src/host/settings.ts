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
  confirmAbove: z.number().int().min(0).catch(1),
  dailyLimit: z.number().int().min(0).catch(0),
  pricePerGeneration: z.number().positive().nullish().catch(undefined),
});
export type OmniVideoSettings = z.infer<typeof settingsSchema>;

/** Reads `omniVideo.*`, replacing any invalid value by its default. `baseUrl` is application-scoped. */
export function readSettings(scope?: vscode.ConfigurationScope): OmniVideoSettings {
  const config = vscode.workspace.getConfiguration('omniVideo');
  // Only the user's own values of these count: a workspace must never send the key elsewhere or loosen the cost guard.
  const user = <T>(key: string) => userValue<T>(config, key);
  return settingsSchema.parse({
    baseUrl: user<string>('baseUrl') ?? DEFAULT_BASE_URL,
    model: config.get('model'),
    seconds: config.get('seconds'),
    aspectRatio: config.get('aspectRatio'),
    resolution: config.get('resolution') ?? undefined,
    // The only resource-scoped setting: each workspace folder may save elsewhere.
    outputDirectory: vscode.workspace.getConfiguration('omniVideo', scope ?? null).get('outputDirectory'),
    pollIntervalSeconds: config.get('pollIntervalSeconds'),
    openPreviewOnComplete: config.get('openPreviewOnComplete'),
    confirmAbove: user('confirmAbove'),
    dailyLimit: user('dailyLimit'),
    pricePerGeneration: user('pricePerGeneration') ?? undefined,
  });
}

/** `omniVideo.baseUrl` alone, as readSettings() reads it, without validating the other settings. */
export function readBaseUrl(): string {
  const value = userValue<unknown>(vscode.workspace.getConfiguration('omniVideo'), 'baseUrl');
  return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_BASE_URL;
}

/** A setting's value in the user's settings (or its default), whatever a workspace or folder says. */
export function userValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** The API's host when `omniVideo.baseUrl` is not the provider's (e.g. "127.0.0.1:8787"), shown where requests go; else undefined. */
export function customApiHost(settings: Pick<OmniVideoSettings, 'baseUrl'> = { baseUrl: readBaseUrl() }): string | undefined {
  const normalized = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase();
  if (normalized(settings.baseUrl) === normalized(DEFAULT_BASE_URL)) return undefined;
  try {
    return new URL(settings.baseUrl).host;
  } catch {
    return settings.baseUrl;
  }
}
