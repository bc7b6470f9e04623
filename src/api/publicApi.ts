import * as vscode from 'vscode';
import type { RequestPreview } from '../core/api/requestPreview';
import type { JobManager } from '../core/jobs/jobManager';
import type { UsageLedger } from '../core/jobs/usageLedger';
import type { BoardSnapshot } from '../core/storyboard/planner';
import { parseGenerateOptions, type GenerateOptions, type GenerationService } from '../generation/generationService';
import { toSnapshot, type JobSnapshot } from './jobSnapshot';

/** The value `activate` returns (docs/product.md). */
export interface OmniVideoApi {
  /** Resolves once the server accepted the job; with `dryRun: true`, to the request it would send (nothing sent). */
  generate(options: GenerateOptions & { dryRun: true }): Promise<RequestPreview>;
  generate(options: GenerateOptions): Promise<JobSnapshot>;
  getJob(id: string): JobSnapshot | undefined;
  listJobs(): JobSnapshot[];
  waitForJob(id: string, token?: vscode.CancellationToken): Promise<JobSnapshot>;
  onDidChangeJob: vscode.Event<JobSnapshot>;
  /** Billed generations (accepted by the server) today, this month and in total, all workspaces together. */
  getUsage(): { today: number; month: number; total: number; failed: number };
  /** A storyboard parsed now, with the state of every shot. */
  getStoryboard(file: vscode.Uri): Promise<StoryboardSnapshot>;
  /** Settles when no shot of the storyboard is waiting, queued or in progress. */
  waitForStoryboard(file: vscode.Uri, token?: vscode.CancellationToken): Promise<StoryboardSnapshot>;
}

/** A storyboard's shots as the exported API reports them (docs/product.md, "Storyboards"). */
export type StoryboardSnapshot = BoardSnapshot<vscode.Uri>;

export function createPublicApi(
  manager: JobManager,
  service: GenerationService,
  ledger: UsageLedger,
  storyboards: Pick<OmniVideoApi, 'getStoryboard' | 'waitForStoryboard'>,
  disposables: vscode.Disposable[],
): OmniVideoApi {
  const emitter = new vscode.EventEmitter<JobSnapshot>();
  disposables.push(emitter, { dispose: manager.store.onDidChange((job) => emitter.fire(toSnapshot(job))).dispose });
  return {
    async generate(options: GenerateOptions): Promise<never> {
      const parsed = parseGenerateOptions(options);
      if (parsed.dryRun) return (await service.preview(await service.prepareInputs(parsed), parsed)) as never;
      return toSnapshot(await service.generate(parsed, false)) as never;
    },
    getJob(id) {
      const job = manager.store.get(id);
      return job && toSnapshot(job);
    },
    listJobs() {
      return manager.store.list().map(toSnapshot);
    },
    async waitForJob(id, token) {
      const abort = new AbortController();
      const subscription = token?.onCancellationRequested(() => abort.abort());
      try {
        return toSnapshot(await manager.waitFor(id, abort.signal));
      } finally {
        subscription?.dispose();
      }
    },
    onDidChangeJob: emitter.event,
    getStoryboard: (file) => storyboards.getStoryboard(file),
    waitForStoryboard: (file, token) => storyboards.waitForStoryboard(file, token),
    getUsage() {
      const { today, month, total, failed } = ledger.summary(Date.now());
      return { today, month, total, failed };
    },
  };
}
