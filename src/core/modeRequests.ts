/**
 * Request building for the media modes (image-to-video, first/last-frame interpolation, references,
 * video edit/extend) from media already checked by `prepareMedia`. Only the primary field names are
 * sent (`first_image_url`, `last_image_url`, `images`, `video`; never the aliases `video_url`,
 * `duration`, `size`, …), so the server never sees two values for one setting.
 */
import { OmniVideoError } from './errors';
import type { PreparedMedia } from './mediaInput';
import { buildTextRequest, type BuiltRequest, type GenerationParams } from './requestBuilder';

/** The provider takes at most this many reference images. */
export const MAX_REFERENCE_IMAGES = 5;

export type ModeMedia =
  | { mode: 'text' }
  | { mode: 'image'; firstImage: PreparedMedia }
  | { mode: 'interpolate'; firstImage: PreparedMedia; lastImage: PreparedMedia }
  | { mode: 'references'; images: readonly PreparedMedia[] }
  | { mode: 'video'; video: PreparedMedia };

/**
 * Refuses a reference selection of the wrong size. Call it as soon as the selection is known, before
 * reading any file; `buildModeRequest` checks again.
 */
export function checkReferenceCount(count: number): void {
  if (count < 1) {
    throw new OmniVideoError('badRequest', `Choose at least one reference image (at most ${MAX_REFERENCE_IMAGES}).`);
  }
  if (count > MAX_REFERENCE_IMAGES) {
    throw new OmniVideoError(
      'badRequest',
      `The provider takes at most ${MAX_REFERENCE_IMAGES} reference images; you selected ${count}. Choose ${MAX_REFERENCE_IMAGES} or fewer.`,
    );
  }
}

/** The create request for any mode: the text fields of `buildTextRequest` plus the media fields. */
export function buildModeRequest(model: string, params: GenerationParams, media: ModeMedia): BuiltRequest {
  const text = buildTextRequest(model, params);
  const body = { ...text.body };
  const recorded: Record<string, unknown> = { ...text.recorded };
  switch (media.mode) {
    case 'text':
      return text;
    case 'image':
      expectKind(media.firstImage, 'image', 'the first frame');
      body.first_image_url = media.firstImage.value;
      recorded.first_image_url = media.firstImage.recorded;
      break;
    case 'interpolate':
      expectKind(media.firstImage, 'image', 'the first frame');
      expectKind(media.lastImage, 'image', 'the last frame');
      body.first_image_url = media.firstImage.value;
      body.last_image_url = media.lastImage.value;
      recorded.first_image_url = media.firstImage.recorded;
      recorded.last_image_url = media.lastImage.recorded;
      break;
    case 'references':
      checkReferenceCount(media.images.length);
      media.images.forEach((image) => expectKind(image, 'image', 'a reference image'));
      body.images = media.images.map((image) => image.value);
      recorded.images = media.images.map((image) => image.recorded);
      break;
    case 'video':
      expectKind(media.video, 'video', 'the video to edit or extend');
      body.video = media.video.value;
      recorded.video = media.video.recorded;
      break;
  }
  return { mode: media.mode, body, recorded };
}

/** Media prepared for another role (an image in the video slot) is a caller's mistake; say so plainly. */
function expectKind(media: PreparedMedia, kind: 'image' | 'video', slot: string): void {
  const actual = media.kind ?? (media.role === 'video' ? 'video' : 'image');
  if (actual !== kind) {
    throw new OmniVideoError('badRequest', `${media.recorded} is ${actual === 'video' ? 'a video' : 'an image'}, but ${slot} must be ${kind === 'video' ? 'a video' : 'an image'}.`);
  }
}
