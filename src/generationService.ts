import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { OmniVideoError } from './core/errors';
import type { JobManager } from './core/jobManager';
import type { JobRecord } from './core/jobModel';
import { buildTextRequest, parseGenerationParams } from './core/requestBuilder';
import { ASPECT_RATIOS, RESOLUTIONS, SECONDS } from './core/schemas';
import type { ApiKeyStore } from './apiKeyStore';
import { readSettings } from './settings';

/** The argument object every generate command takes (product.md), checked at the boundary. */
export const generateOptionsSchema = z.strictObject({
  prompt: z.string({ error: 'The prompt must be text.' }),
  seconds: z.enum(SECONDS, { error: 'seconds must be "4", "8" or "10".' }).optional(),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: 'aspectRatio must be one of 16:9, 9:16, 1:1, 4:3, 3:4.' }).optional(),
  resolution: z.enum(RESOLUTIONS, { error: 'resolution must be one of 720p, 1080p, 2k, 4k.' }).optional(),
  fps: z.number({ error: 'fps must be a number.' }).optional(),
});
export type GenerateOptions = z.infer<typeof generateOptionsSchema>;

export function parseGenerateOptions(value: unknown): GenerateOptions {
  const parsed = generateOptionsSchema.safeParse(value);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown option(s): ${issue.keys.join(', ')}.` : issue.message,
    );
    throw new OmniVideoError('badRequest', messages.join(' '));
  }
  return parsed.data;
}

/**
 * Turns generate options into one submitted job: fills what is missing from the settings, finds the
 * output folder, makes sure there is a key and submits exactly once.
 */
export class GenerationService {
  constructor(
    private readonly manager: JobManager,
    private readonly keys: ApiKeyStore,
  ) {}

  /**
   * `interactive` means a person is at the keyboard: a missing or refused key is asked for and the
   * submission continues. Without it, a missing key is an error (the command was asked to show no UI).
   */
  async generateText(options: GenerateOptions, interactive: boolean): Promise<JobRecord> {
    const folder = outputFolder();
    const settings = readSettings(folder);
    const params = parseGenerationParams({
      prompt: options.prompt,
      seconds: options.seconds ?? settings.seconds,
      aspectRatio: options.aspectRatio ?? settings.aspectRatio,
      resolution: options.resolution ?? settings.resolution ?? undefined,
      fps: options.fps,
    });
    const built = buildTextRequest(settings.model, params);
    const outputDir = path.join(folder.uri.fsPath, settings.outputDirectory);
    if (!(await this.keys.get())) {
      if (!interactive || !(await this.keys.ensure())) {
        throw new OmniVideoError('auth', vscode.l10n.t('No API key is set. Run "Omni Video: Set API Key" first.'));
      }
    }
    const submit = () => this.manager.submit({ mode: built.mode, prompt: params.prompt, body: built.body, recordedRequest: built.recorded, outputDir });
    try {
      return await submit();
    } catch (error) {
      // A refused key means the job was not accepted: ask once for a new key, then send it again.
      if (interactive && error instanceof OmniVideoError && error.kind === 'auth') {
        const key = await this.keys.prompt(false, vscode.l10n.t('The server refused the API key. Enter a valid key to submit your video.'));
        if (key) {
          this.manager.resumeAfterAuthChange();
          return submit();
        }
      }
      throw error;
    }
  }
}

/** The first workspace folder on disk; results are saved into it. */
export function outputFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    throw new OmniVideoError('config', vscode.l10n.t('Open a folder first: Omni Video saves generated videos into your workspace.'));
  }
  return folder;
}
