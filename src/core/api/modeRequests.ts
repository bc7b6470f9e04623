/**
 * Request building for the media modes (image-to-video, first/last-frame interpolation, references,
 * video edit/extend) from media already checked by `prepareMedia`. Only the primary field names are
 * sent (`first_image_url`, `last_image_url`, `images`, `video`; never the aliases `video_url`,
 * `duration`, `size`, …), so the server never sees two values for one setting.
 */
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import type { MediaRole, PreparedMedia } from './mediaInput';
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
    throw new OmniVideoError('badRequest', l10n.t('Choose at least one reference image (at most {0}).', MAX_REFERENCE_IMAGES));
  }
  if (count > MAX_REFERENCE_IMAGES) {
    throw new OmniVideoError(
      'badRequest',
      l10n.t('The provider takes at most {0} reference images; you selected {1}. Choose {0} or fewer.', MAX_REFERENCE_IMAGES, count),
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
      expectKind(media.firstImage, 'firstImage');
      body.first_image_url = media.firstImage.value;
      recorded.first_image_url = media.firstImage.recorded;
      break;
    case 'interpolate':
      expectKind(media.firstImage, 'firstImage');
      expectKind(media.lastImage, 'lastImage');
      body.first_image_url = media.firstImage.value;
      body.last_image_url = media.lastImage.value;
      recorded.first_image_url = media.firstImage.recorded;
      recorded.last_image_url = media.lastImage.recorded;
      break;
    case 'references':
      checkReferenceCount(media.images.length);
      media.images.forEach((image) => expectKind(image, 'reference'));
      body.images = media.images.map((image) => image.value);
      recorded.images = media.images.map((image) => image.recorded);
      break;
    case 'video':
      expectKind(media.video, 'video');
      body.video = media.video.value;
      recorded.video = media.video.recorded;
      break;
  }
  return { mode: media.mode, body, recorded };
}

/** Media prepared for another role (an image in the video slot) is a caller's mistake; say so plainly. */
function expectKind(media: PreparedMedia, slot: MediaRole): void {
  const actual = media.kind ?? (media.role === 'video' ? 'video' : 'image');
  const wanted = slot === 'video' ? 'video' : 'image';
  if (actual !== wanted) throw new OmniVideoError('badRequest', wrongKind(media.recorded, slot));
}

/** `recorded` is a video where `slot` wants an image, or an image where it wants a video. */
const wrongKind = (recorded: string, slot: MediaRole): string =>
  ({
    firstImage: () => l10n.t('{0} is a video, but the first frame must be an image.', recorded),
    lastImage: () => l10n.t('{0} is a video, but the last frame must be an image.', recorded),
    reference: () => l10n.t('{0} is a video, but a reference image must be an image.', recorded),
    video: () => l10n.t('{0} is an image, but the video to edit or extend must be a video.', recorded),
  })[slot]();
