import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { OmniVideoError } from '../core/common/errors';
import type { RequestPreview } from '../core/api/requestPreview';
import type { JobManager, SubmitRequest } from '../core/jobs/jobManager';
import type { JobRecord, ShotTag } from '../core/jobs/jobModel';
import type { Logger } from '../core/common/logger';
import { prepareMedia, type MediaRole, type PreparedMedia } from '../core/api/mediaInput';
import { buildModeRequest, checkReferenceCount, type ModeMedia } from '../core/api/modeRequests';
import { parseGenerationParams } from '../core/api/requestBuilder';
import { ASPECT_RATIOS, RESOLUTIONS, SECONDS, type JobMode } from '../core/api/schemas';
import type { ApiKeyStore } from '../host/apiKeyStore';
import { diskFolders, resolveMediaRef, type MediaRef, type ResolvedMedia } from './mediaRefs';
import { readSettings } from '../host/settings';

// Messages are functions: they are translated when an option is refused, not when this module loads.
const mediaRefSchema = z.custom<MediaRef>((v) => v instanceof vscode.Uri || typeof v === 'string', {
  error: () => vscode.l10n.t('A media reference must be a Uri, a path, an http(s) URL or a data URI.'),
});

/** The argument object every generate command takes (docs/product.md), checked at the boundary. */
export const generateOptionsSchema = z.strictObject({
  prompt: z.string({ error: () => vscode.l10n.t('The prompt must be text.') }),
  seconds: z.enum(SECONDS, { error: () => vscode.l10n.t('seconds must be "4", "8" or "10".') }).optional(),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: () => vscode.l10n.t('aspectRatio must be one of 16:9, 9:16, 1:1, 4:3, 3:4.') }).optional(),
  resolution: z.enum(RESOLUTIONS, { error: () => vscode.l10n.t('resolution must be one of 720p, 1080p, 2k, 4k.') }).optional(),
  fps: z.number({ error: () => vscode.l10n.t('fps must be a number.') }).optional(),
  firstImage: mediaRefSchema.optional(),
  lastImage: mediaRefSchema.optional(),
  images: z.array(mediaRefSchema, { error: () => vscode.l10n.t('images must be a list of media references.') }).optional(),
  video: mediaRefSchema.optional(),
  dryRun: z.boolean({ error: () => vscode.l10n.t('dryRun must be true or false.') }).optional(),
});
export type GenerateOptions = z.infer<typeof generateOptionsSchema>;

export function parseGenerateOptions(value: unknown): GenerateOptions {
  const parsed = generateOptionsSchema.safeParse(value);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' ? vscode.l10n.t('Unknown option(s): {0}.', issue.keys.join(', ')) : issue.message,
    );
    throw new OmniVideoError('badRequest', messages.join(' '));
  }
  return parsed.data;
}

/** Which mode the filled fields ask for (docs/api.md: the mode follows from the fields present). */
export function modeOf(options: MediaOptions): JobMode {
  const filled = [options.video && 'video', options.images && 'images', (options.firstImage || options.lastImage) && 'frames'].filter(Boolean);
  if (filled.length > 1) {
    throw new OmniVideoError('badRequest', vscode.l10n.t('Give either a video, reference images, or first/last frames: the API takes one kind of media per video.'));
  }
  if (options.video) return 'video';
  if (options.images) return 'references';
  if (options.lastImage && !options.firstImage) throw new OmniVideoError('badRequest', vscode.l10n.t('A last frame needs a first frame too.'));
  if (options.firstImage) return options.lastImage ? 'interpolate' : 'image';
  return 'text';
}

export type MediaOptions = Pick<GenerateOptions, 'firstImage' | 'lastImage' | 'images' | 'video'>;
export type GenerationChoices = Pick<GenerateOptions, 'prompt' | 'seconds' | 'aspectRatio' | 'resolution' | 'fps'>;

/** Media checked and ready to send, the folder results go to, and what is worth a warning. */
export interface PreparedInputs {
  media: ModeMedia;
  folder: vscode.WorkspaceFolder;
  warnings: string[];
}

/**
 * Turns generate options into one submitted job: fills what is missing from the settings, checks and
 * prepares the media, finds the output folder, makes sure there is a key and submits exactly once.
 */
export class GenerationService {
  constructor(
    private readonly manager: JobManager,
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
  ) {}

  /** Checks and prepares the media of a request: every refusal happens here, before anything is asked or sent. */
  async prepareInputs(media: MediaOptions): Promise<PreparedInputs> {
    const mode = modeOf(media);
    if (media.images) checkReferenceCount(media.images.length); // before any file is read
    const resolve = (ref: MediaRef | undefined) => (ref === undefined ? undefined : resolveMediaRef(ref));
    const resolved = { firstImage: resolve(media.firstImage), lastImage: resolve(media.lastImage), images: media.images?.map(resolveMediaRef), video: resolve(media.video) };
    const all = [resolved.firstImage, resolved.lastImage, ...(resolved.images ?? []), resolved.video].filter((r): r is ResolvedMedia => !!r);
    const prepare = async (r: ResolvedMedia | undefined, role: MediaRole) => (r ? prepareMedia(r.source, role) : undefined);
    const modeMedia = toModeMedia(mode, {
      firstImage: await prepare(resolved.firstImage, 'firstImage'),
      lastImage: await prepare(resolved.lastImage, 'lastImage'),
      images: resolved.images && (await Promise.all(resolved.images.map((r) => prepareMedia(r.source, 'reference')))),
      video: await prepare(resolved.video, 'video'),
    });
    const warnings = mediaWarnings(modeMedia);
    if (warnings.length) this.logger.warn(warnings.join(' '));
    return { media: modeMedia, folder: all.find((r) => r.folder)?.folder ?? outputFolder(), warnings };
  }

  /** Prepares and submits in one go (the scripted path and the exported API). */
  async generate(options: GenerateOptions, interactive: boolean, storyboard?: ShotTag): Promise<JobRecord> {
    return this.submit(await this.prepareInputs(options), options, interactive, storyboard);
  }

  /**
   * Fills what is missing from the settings, makes sure there is a key and submits exactly once.
   * `interactive` means a person is at the keyboard: a missing or refused key is asked for and the
   * submission continues. Without it a missing key is an error (the command was asked to show no UI).
   */
  async submit(inputs: PreparedInputs, options: GenerationChoices, interactive: boolean, storyboard?: ShotTag): Promise<JobRecord> {
    const request = { ...this.request(inputs, options), storyboard };
    if (!(await this.keys.get())) {
      if (!interactive || !(await this.keys.ensure())) {
        throw new OmniVideoError('auth', vscode.l10n.t('No API key is set. Run "Omni Video: Set API Key" first.'));
      }
    }
    const send = () => this.manager.submit(request);
    try {
      return await send();
    } catch (error) {
      // A refused key means the job was not accepted: ask once for a new key, then send it again.
      if (interactive && error instanceof OmniVideoError && error.kind === 'auth') {
        const host = new URL(readSettings().baseUrl).host;
        const key = await this.keys.prompt(false, vscode.l10n.t('{0} (omniVideo.baseUrl) refused the API key. Enter a valid key for it to submit your video.', host));
        if (key) {
          this.manager.resumeAfterAuthChange();
          return send();
        }
      }
      throw error;
    }
  }

  /** What `submit` would send for the same inputs and choices, with nothing sent and nothing counted. */
  preview(inputs: PreparedInputs, options: GenerationChoices): Promise<RequestPreview> {
    return this.manager.preview(this.request(inputs, options));
  }

  /** The create request for the inputs and choices, with the settings filling what is not chosen. */
  private request(inputs: PreparedInputs, options: GenerationChoices): SubmitRequest {
    const settings = readSettings(inputs.folder);
    const params = parseGenerationParams({
      prompt: options.prompt,
      seconds: options.seconds ?? settings.seconds,
      aspectRatio: options.aspectRatio ?? settings.aspectRatio,
      resolution: options.resolution ?? settings.resolution ?? undefined,
      fps: options.fps,
    });
    const built = buildModeRequest(settings.model, params, inputs.media);
    const folder = inputs.folder.uri.fsPath;
    return { mode: built.mode, prompt: params.prompt, body: built.body, recordedRequest: built.recorded, outputDir: path.join(folder, settings.outputDirectory), workspace: folder };
  }
}

function toModeMedia(
  mode: JobMode,
  prepared: { firstImage?: PreparedMedia; lastImage?: PreparedMedia; images?: PreparedMedia[]; video?: PreparedMedia },
): ModeMedia {
  switch (mode) {
    case 'text':
      return { mode };
    case 'image':
      return { mode, firstImage: prepared.firstImage! };
    case 'interpolate':
      return { mode, firstImage: prepared.firstImage!, lastImage: prepared.lastImage! };
    case 'references':
      return { mode, images: prepared.images! };
    case 'video':
      return { mode, video: prepared.video! };
  }
}

function mediaWarnings(media: ModeMedia): string[] {
  // Every field but `mode` is prepared media, or a list of it.
  return Object.values(media).flat().flatMap((m: PreparedMedia | string) => (typeof m === 'string' ? [] : m.warnings));
}

/** The first workspace folder on disk; results are saved into it. */
export function outputFolder(): vscode.WorkspaceFolder {
  return diskFolders()[0];
}
