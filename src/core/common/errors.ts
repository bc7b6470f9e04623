/**
 * Errors are values with a user-facing message: every failure the client or the job logic can meet is
 * an OmniVideoError whose `kind` tells the UI which action to offer (set the key, retry, check the network).
 */
export type ErrorKind =
  | 'auth' // 401/403: the key is missing, wrong or revoked
  | 'rateLimited' // 429
  | 'server' // 5xx
  | 'network' // connection refused, reset, DNS, TLS
  | 'proxy' // the proxy refused the request (407) or could not be reached: the server never saw it
  | 'timeout' // no answer in time
  | 'badRequest' // 400/413/422: the server refused the request as sent
  | 'notFound' // 404 on a job: the server no longer knows it
  | 'notReady' // /content before the job completed
  | 'invalidResponse' // the server answered something that is not the documented shape
  | 'download' // the downloaded body is incomplete or not an MP4
  | 'filesystem' // could not write the result
  | 'config' // a setting is invalid
  | 'duplicate' // the same request is already being submitted
  | 'unknownOutcome' // the create request may have reached the server, but no answer came back
  | 'limit' // the daily limit of generations is reached: nothing was sent
  | 'cancelled';

export class OmniVideoError extends Error {
  override readonly name = 'OmniVideoError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; serverMessage?: string; cause?: unknown } = {},
  ) {
    super(message);
  }

  /** Whether repeating the same idempotent request later may succeed. */
  get retryable(): boolean {
    return this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout' || this.kind === 'proxy';
  }
}

/** A message safe to show the user for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof OmniVideoError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
