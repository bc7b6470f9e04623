/**
 * Why a job failed, read from the server's error, which is undocumented (docs/api.md): a table of the
 * codes and words seen in video APIs, checked tolerantly, and `unknown` rather than a guess.
 */
import type { VideoJob } from '../api/schemas';

export const FAILURE_KINDS = ['prompt', 'media', 'server', 'timeout', 'unknown'] as const;
/** The prompt was refused (content policy), an input image or clip was refused, the service failed, the job expired. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Error codes (and `type`s) that say it outright, lower case. */
const KNOWN_CODES: Record<string, FailureKind> = {
  content_policy_violation: 'prompt',
  content_filter: 'prompt',
  moderation_blocked: 'prompt',
  safety_violation: 'prompt',
  prompt_rejected: 'prompt',
  sensitive_content: 'prompt',
  invalid_image: 'media',
  image_rejected: 'media',
  invalid_video: 'media',
  video_rejected: 'media',
  unsupported_media: 'media',
  media_rejected: 'media',
  image_content_policy_violation: 'media',
  internal_error: 'server',
  server_error: 'server',
  service_unavailable: 'server',
  upstream_error: 'server',
  generation_failed: 'server',
  timeout: 'timeout',
  timed_out: 'timeout',
  task_expired: 'timeout',
  expired: 'timeout',
  deadline_exceeded: 'timeout',
};

/** Words of a message, in English and Chinese (the provider's users read Chinese). */
const POLICY = /content polic|safety|moderat|sensitive|inappropriate|nsfw|not allowed|prohibited|违规|敏感|审核|不当|违禁/i;
const MEDIA = /\b(image|images|picture|photo|frame|video|clip|media)\b|图片|图像|照片|首帧|尾帧|视频|素材/i;
const TIMEOUT = /timed? ?out|expired|deadline|超时|过期/i;
const SERVER = /internal|server error|upstream|unavailable|overloaded|try again later|capacity|服务异常|服务器|繁忙|稍后重试/i;

const PROMPT = /prompt|提示/i;
/** A message that names an image or clip and not the prompt: the media was refused. */
const aboutMediaOnly = (text: string) => MEDIA.test(text) && !PROMPT.test(text);

/**
 * The kind of a failed job from its error (object or string) and its status word: the code first,
 * then the words, else `unknown`. A policy refusal that names an image or a clip, and not the prompt, is the media's.
 */
export function classifyFailure(error: VideoJob['error'], status?: string | null): FailureKind {
  const parts = typeof error === 'string' ? { message: error } : (error ?? {});
  const text = [parts.message, parts.code, 'type' in parts ? parts.type : undefined].filter((p) => p !== undefined && p !== null).join(' ');
  for (const code of [parts.code, 'type' in parts ? parts.type : undefined]) {
    const known = code === undefined || code === null ? undefined : KNOWN_CODES[String(code).trim().toLowerCase()];
    if (known === 'prompt' && aboutMediaOnly(parts.message ?? '')) return 'media'; // a policy refusal of an image
    if (known) return known;
  }
  if (POLICY.test(text)) return aboutMediaOnly(text) ? 'media' : 'prompt';
  if (TIMEOUT.test(text)) return 'timeout';
  if (SERVER.test(text)) return 'server';
  if (MEDIA.test(text) && /refus|reject|invalid|unsupported|corrupt|could not|cannot|无法|不支持|损坏/i.test(text)) return 'media';
  if (!text && status && /^expired$/i.test(status)) return 'timeout';
  return 'unknown';
}
