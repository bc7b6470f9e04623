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

/**
 * Values read from the configuration, kept until a configuration change: reading a setting through
 * `inspect()` takes VS Code's configuration model a good part of a millisecond, and 500 running jobs
 * read the settings (and the proxy's) for every request, which stalled the extension host for whole
 * seconds. Kept only while `cacheSettings()` (called once from activate) listens for changes.
 */
const cache = new Map<string, unknown>();
let caching = false;

/** Starts keeping read settings until the next configuration change. */
export function cacheSettings(): vscode.Disposable {
  caching = true;
  const listener = vscode.workspace.onDidChangeConfiguration(() => cache.clear());
  return new vscode.Disposable(() => {
    listener.dispose();
    caching = false;
    cache.clear();
  });
}

/** `read()` once per `key` until the configuration changes (or every time, when nothing listens for changes). */
export function cachedSetting<T>(key: string, read: () => T): T {
  if (!caching) return read();
  if (!cache.has(key)) cache.set(key, read());
  return cache.get(key) as T;
}

function scopeKey(scope: vscode.ConfigurationScope | undefined): string {
  if (!scope) return '';
  if (scope instanceof vscode.Uri) return scope.toString();
  return 'uri' in scope && scope.uri ? scope.uri.toString() : JSON.stringify(scope);
}

/** Reads `omniVideo.*`, replacing any invalid value by its default. `baseUrl` is application-scoped. */
export function readSettings(scope?: vscode.ConfigurationScope): OmniVideoSettings {
  return cachedSetting(`omniVideo:${scopeKey(scope)}`, () => readSettingsNow(scope));
}

function readSettingsNow(scope?: vscode.ConfigurationScope): OmniVideoSettings {
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
  return cachedSetting('omniVideo.baseUrl', () => {
    const value = userValue<unknown>(vscode.workspace.getConfiguration('omniVideo'), 'baseUrl');
    return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_BASE_URL;
  });
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
