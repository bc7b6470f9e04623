import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { OmniVideoClient } from '../api/apiClient';
import { OmniVideoError, describeError } from '../common/errors';
import { isActive, normalizeStatus, type JobRecord, type ShotTag } from './jobModel';
import type { JobStore } from './jobStore';
import { l10n } from '../common/l10n';
import { CONNECT_ERROR_CODES, errorCode } from '../common/network';
import { silentLogger, type Logger } from '../common/logger';
import { reserveOutputPath } from '../common/files';
import { outputBaseName } from './outputNaming';
import { Poller } from './poller';
import { serverErrorText, type CreateVideoRequest, type JobMode, type VideoJob } from '../api/schemas';
import { previewCreateRequest, type RequestPreview } from '../api/requestPreview';
import { classifyFailure } from './failureKind';
import { readVideoDuration } from '../media/duration';
import { Slots } from '../common/slots';
import { buildSidecar, writeSidecar } from './sidecar';
import type { UsageLedger } from './usageLedger';

export interface SubmitRequest {
  mode: JobMode;
  prompt: string;
  /** The body sent to `POST /videos` (may hold data URIs). */
  body: CreateVideoRequest;
  /** The same request as recorded on disk: media as workspace paths or URLs. */
  recordedRequest: Record<string, unknown>;
  /** Absolute folder the result is saved into. */
  outputDir: string;
  /** The workspace folder the job is for, as the usage ledger names it. */
  workspace?: string;
  /** The storyboard shot the job is a take of. */
  storyboard?: ShotTag;
}

export interface JobManagerOptions {
  /** The client for the current settings and key. */
  client: () => OmniVideoClient;
  store: JobStore;
  pollIntervalMs: () => number;
  logger?: Logger;
  now?: () => number;
  /** Called once when the server refuses the key; polling pauses until `resumeAfterAuthChange()`. */
  onAuthRequired?: (error: OmniVideoError) => void;
  /** Called when a job reaches its end on this machine (saved, failed, lost, or could not be saved). */
  onJobFinished?: (job: JobRecord) => void;
  maxDownloadAttempts?: number;
  /** Consecutive failed status requests of one job (network, 429, 5xx) before it is marked stalled. */
  maxPollFailures?: number;
  /** Upper bound of the backoff between retries of one job. */
  maxBackoffMs?: number;
  /** Random factor in [0, 1); tests make it deterministic. */
  random?: () => number;
  /** How many status requests a round sends at once. */
  concurrency?: number;
  /** Where every accepted (billed) create is counted. */
  ledger?: UsageLedger;
  /** Generations allowed per local calendar day (0: no limit); needs `ledger`. */
  dailyLimit?: () => number;
}

/** A job's retry state: consecutive failures and when it may be tried again. Kept in memory only. */
interface RetryState {
  failures: number;
  notBefore: number;
}

/** How many create requests are sent at once; the rest wait their turn (still counted as in flight). */
const MAX_CREATES_AT_ONCE = 8;

/**
 * Submits jobs, tracks them with one poller, downloads and saves finished results with their sidecar.
 * It holds no state of its own beyond what is in flight: the JobStore is the source of truth.
 */
export class JobManager {
  private readonly poller: Poller;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly creating = new Set<string>();
  /** Creates sent at once: a batch of 500 goes out a few at a time over a few connections, not 500 sockets at once. */
  private readonly createSlots = new Slots(MAX_CREATES_AT_ONCE);
  private readonly saving = new Set<string>();
  private readonly retries = new Map<string, RetryState>();
  private authBlocked = false;

  constructor(private readonly options: JobManagerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.poller = new Poller(
      () => this.pollRound(),
      () => !this.authBlocked && options.store.active().length > 0,
      () => this.nextRoundDelay(),
    );
  }

  get store(): JobStore {
    return this.options.store;
  }

  /** True while a poll timer is pending (none while idle). */
  get pollScheduled(): boolean {
    return this.poller.scheduled;
  }

  /**
   * Sends one `POST /videos` and records the accepted job. The same request is refused while an
   * identical one is still being sent, and a create is never retried: every accepted call is billed.
   */
  async submit(request: SubmitRequest, signal?: AbortSignal): Promise<JobRecord> {
    const key = JSON.stringify(request.body);
    if (this.creating.has(key)) {
      throw new OmniVideoError('duplicate', l10n.t('The same video request is already being submitted; wait for it instead of paying twice.'));
    }
    this.checkDailyLimit();
    this.creating.add(key);
    let accepted: VideoJob;
    try {
      const release = await this.createSlots.acquire(signal, () => new OmniVideoError('cancelled', l10n.t('The request was cancelled.')));
      try {
        accepted = await this.options.client().createVideo(request.body, signal);
      } finally {
        release();
      }
    } catch (error) {
      throw this.createError(error);
    } finally {
      this.creating.delete(key);
    }
    const now = this.now();
    const job: JobRecord = {
      id: accepted.id,
      mode: request.mode,
      prompt: request.prompt,
      request: request.recordedRequest,
      status: normalizeStatus(accepted.status, 'queued'),
      phase: 'tracking',
      progress: accepted.progress ?? 0,
      createdAt: accepted.created_at ? Math.min(accepted.created_at * 1000, now) : now,
      outputDir: request.outputDir,
      serverJob: accepted as Record<string, unknown>,
      downloadAttempts: 0,
      ...(request.storyboard ? { storyboard: request.storyboard } : {}),
    };
    this.logger.info(`Job ${job.id} accepted (${job.status})`);
    this.options.ledger?.record({ id: job.id, at: now, mode: job.mode, workspace: request.workspace ?? request.outputDir });
    this.options.store.add(job);
    this.applyServerJob(job.id, accepted);
    this.poller.ensureRunning();
    return this.options.store.get(job.id) ?? job;
  }

  /**
   * What `submit` would send, with nothing sent and nothing counted: the method, the URL and the body,
   * data URIs summarised by type, size and SHA-256 (requestPreview.ts).
   */
  async preview(request: SubmitRequest): Promise<RequestPreview> {
    return previewCreateRequest(this.options.client().videosUrl, request.body);
  }

  /** Refuses a create beyond the daily limit, before anything is sent (creates in flight count too). */
  private checkDailyLimit(): void {
    const limit = this.options.dailyLimit?.() ?? 0;
    const ledger = this.options.ledger;
    if (!ledger || !(limit > 0)) return;
    if (ledger.countOnDay(this.now()) + this.creating.size >= limit) {
      throw new OmniVideoError('limit', l10n.t("Today's limit of {0} generations (omniVideo.dailyLimit) is reached, so nothing was sent. Raise the limit or wait until tomorrow.", limit));
    }
  }

  /** Starts polling jobs restored from storage (after a reload): the same ids, nothing resubmitted. */
  resume(): void {
    const active = this.options.store.active();
    if (active.length) this.logger.info(`Resuming ${active.length} job(s): ${active.map((j) => j.id).join(', ')}`);
    this.poller.pollSoon();
  }

  /** After the key changed: polling paused by a 401 starts again. */
  resumeAfterAuthChange(): void {
    this.authBlocked = false;
    this.poller.pollSoon();
  }

  /** Settles once the job is saved, failed, lost or could not be saved. */
  waitFor(id: string, signal?: AbortSignal): Promise<JobRecord> {
    return new Promise((resolve, reject) => {
      const settle = (job: JobRecord | undefined): boolean => {
        if (!job) {
          cleanup();
          reject(new OmniVideoError('notFound', l10n.t('No job with id {0} is being tracked.', id)));
          return true;
        }
        if (!isActive(job)) {
          cleanup();
          resolve(job);
          return true;
        }
        return false;
      };
      const onAbort = () => {
        cleanup();
        reject(new OmniVideoError('cancelled', l10n.t('Stopped waiting for the job.')));
      };
      const subscription = this.options.store.onDidChange((job) => {
        if (job.id === id) settle(this.options.store.get(id));
      });
      const cleanup = () => {
        subscription.dispose();
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      settle(this.options.store.get(id));
    });
  }

  /**
   * Tracks a stalled job again, or retries saving a result that could not be saved: the same id, no
   * new submission.
   */
  retry(id: string): boolean {
    const job = this.options.store.get(id);
    if (!job || (job.phase !== 'stalled' && job.phase !== 'downloadFailed' && job.phase !== 'lost')) return false;
    this.retries.delete(id);
    this.options.store.update(id, { phase: 'tracking', downloadAttempts: 0, error: undefined });
    this.poller.pollSoon();
    return true;
  }

  /** Stops tracking a job (it is not cancelled at the server: the API has no cancel). */
  remove(id: string): boolean {
    this.retries.delete(id);
    return this.options.store.remove(id);
  }

  dispose(): void {
    this.poller.dispose();
  }

  private createError(error: unknown): OmniVideoError {
    if (!(error instanceof OmniVideoError)) return new OmniVideoError('network', describeError(error), { cause: error });
    if (error.kind === 'network' || error.kind === 'timeout') {
      const code = errorCode(error.details.cause);
      if (code && CONNECT_ERROR_CODES.has(code)) return error; // never reached the server: nothing was billed
      return new OmniVideoError(
        'unknownOutcome',
        l10n.t('The request was sent but no answer came back, so the server may have accepted (and billed) it. Check the jobs in your provider account before generating again.'),
        { cause: error },
      );
    }
    if (error.kind === 'invalidResponse') {
      return new OmniVideoError(
        'unknownOutcome',
        l10n.t(
          'The server answered the request, but the answer could not be used ({0}), so it may have accepted (and billed) it. Check the jobs in your provider account before generating again.',
          error.message,
        ),
        { cause: error },
      );
    }
    return error;
  }

  private async pollRound(): Promise<void> {
    const now = this.now();
    const queue = this.options.store.active().filter((job) => (this.retries.get(job.id)?.notBefore ?? 0) <= now);
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (this.authBlocked) return;
        await this.advance(job.id);
      }
    });
    await Promise.all(workers);
  }

  /** One step for one job: refresh its status, or download it once completed. */
  private async advance(id: string): Promise<void> {
    const job = this.options.store.get(id);
    if (!job || !isActive(job)) return;
    try {
      if (job.status === 'completed') {
        await this.save(job);
        return;
      }
      const serverJob = await this.options.client().getVideo(id);
      this.retries.delete(id);
      const updated = this.applyServerJob(id, serverJob);
      if (updated?.status === 'completed' && isActive(updated)) await this.save(updated);
    } catch (error) {
      this.handlePollError(id, error);
    }
  }

  private applyServerJob(id: string, serverJob: VideoJob): JobRecord | undefined {
    const job = this.options.store.get(id);
    if (!job) return undefined;
    const status = normalizeStatus(serverJob.status, job.status);
    const patch: Partial<JobRecord> = {
      status,
      progress: status === 'completed' ? 100 : (serverJob.progress ?? job.progress),
      serverJob: serverJob as Record<string, unknown>,
      seconds: serverJob.seconds ?? job.seconds,
      size: serverJob.size ?? job.size,
      error: undefined,
    };
    if (serverJob.completed_at) patch.completedAt = serverJob.completed_at * 1000;
    if (status === 'failed') {
      patch.phase = 'failed';
      patch.completedAt ??= this.now();
      patch.error = serverErrorText(serverJob.error) ?? l10n.t('The server reported that the generation failed, without giving a reason.');
      patch.failureKind = classifyFailure(serverJob.error, serverJob.status);
      this.options.ledger?.markFailed(id);
      this.logger.warn(`Job ${id} failed (${patch.failureKind}): ${patch.error}`);
    }
    const updated = this.options.store.update(id, patch);
    if (updated && !isActive(updated)) this.options.onJobFinished?.(updated);
    return updated;
  }

  private async save(job: JobRecord): Promise<void> {
    if (this.saving.has(job.id)) return;
    this.saving.add(job.id);
    let target: string | undefined;
    try {
      await mkdir(job.outputDir, { recursive: true });
      target = await reserveOutputPath(job.outputDir, outputBaseName(job.createdAt, job.prompt, job.id));
      await this.options.client().downloadContent(job.id, target);
      const savedAt = this.now();
      const duration = await readVideoDuration(target);
      const patch = { phase: 'saved', file: target, completedAt: job.completedAt ?? savedAt, error: undefined, duration } as const;
      // The sidecar is written before the job is reported saved, so whoever sees "saved" finds both files.
      const current = this.options.store.get(job.id) ?? job;
      await writeSidecar(target, buildSidecar({ ...current, ...patch }, path.basename(target), savedAt)).catch((error: unknown) =>
        this.logger.error(`Could not write the sidecar of ${target}: ${describeError(error)}`),
      );
      const saved = this.options.store.update(job.id, patch);
      if (saved) this.options.onJobFinished?.(saved);
    } catch (error) {
      if (target) await rm(target, { force: true }).catch(() => undefined);
      this.handleSaveError(job.id, error);
    } finally {
      this.saving.delete(job.id);
    }
  }

  private handleSaveError(id: string, error: unknown): void {
    const job = this.options.store.get(id);
    if (!job) return;
    const attempts = job.downloadAttempts + 1;
    const message = describeError(error);
    const retryable = error instanceof OmniVideoError && (error.retryable || error.kind === 'download' || error.kind === 'notReady');
    if (error instanceof OmniVideoError && error.kind === 'auth') return this.handlePollError(id, error);
    if (retryable && attempts < (this.options.maxDownloadAttempts ?? 5)) {
      this.logger.warn(`Download of ${id} failed (attempt ${attempts}), will retry: ${message}`);
      this.backOff(id, error);
      this.options.store.update(id, { downloadAttempts: attempts, error: message });
      return;
    }
    this.logger.error(`Download of ${id} failed: ${message}`);
    this.retries.delete(id);
    const updated = this.options.store.update(id, { downloadAttempts: attempts, phase: 'downloadFailed', error: l10n.t('The video is ready but could not be saved: {0}', message) });
    if (updated) this.options.onJobFinished?.(updated);
  }

  /**
   * Schedules the next try of one job with exponential backoff and jitter (at least the server's
   * Retry-After). Returns the number of consecutive failures.
   */
  private backOff(id: string, error: unknown): number {
    const failures = (this.retries.get(id)?.failures ?? 0) + 1;
    const interval = this.options.pollIntervalMs();
    const exponential = Math.min(this.options.maxBackoffMs ?? 5 * 60_000, interval * 2 ** (failures - 1));
    const jittered = exponential * (0.75 + 0.5 * (this.options.random ?? Math.random)());
    const retryAfter = error instanceof OmniVideoError ? (error.details.retryAfterMs ?? 0) : 0;
    this.retries.set(id, { failures, notBefore: this.now() + Math.max(jittered, retryAfter) });
    return failures;
  }

  /** The next round waits for the poll interval, or until the first job whose backoff ends. */
  private nextRoundDelay(): number {
    const interval = this.options.pollIntervalMs();
    const now = this.now();
    const due = this.options.store.active().map((job) => Math.max(interval, (this.retries.get(job.id)?.notBefore ?? 0) - now));
    return due.length ? Math.min(...due) : interval;
  }

  private handlePollError(id: string, error: unknown): void {
    if (!(error instanceof OmniVideoError)) {
      this.logger.error(`Polling ${id} failed: ${describeError(error)}`);
      return;
    }
    switch (error.kind) {
      case 'auth':
        if (!this.authBlocked) {
          this.authBlocked = true;
          this.logger.warn('The API key was refused; polling pauses until a key is set.');
          this.options.onAuthRequired?.(error);
        }
        return;
      case 'notFound': {
        const lost = this.options.store.update(id, { phase: 'lost', error: l10n.t('The server no longer knows this job (HTTP 404). It cannot be resumed.') });
        if (lost) this.options.onJobFinished?.(lost);
        return;
      }
      default: {
        // Network errors, timeouts, 429 and 5xx: back off this job; after too many in a row, stop and
        // say so (the user retries when the network is back). Anything else is unexpected: same path.
        const failures = this.backOff(id, error);
        this.logger.warn(`Polling ${id} failed (${failures} in a row): ${error.message}`);
        if (failures >= (this.options.maxPollFailures ?? 8)) {
          this.retries.delete(id);
          const stalled = this.options.store.update(id, {
            phase: 'stalled',
            error: l10n.t('No answer about this job after {0} tries: {1} Retry when the connection is back; the job keeps its id.', failures, error.message),
          });
          if (stalled) this.options.onJobFinished?.(stalled);
        }
      }
    }
  }
}
