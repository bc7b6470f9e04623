import * as vscode from 'vscode';
import type { RequestPreview } from '../core/api/requestPreview';
import type { JobManager } from '../core/jobs/jobManager';
import type { UsageLedger } from '../core/jobs/usageLedger';
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
}

export function createPublicApi(manager: JobManager, service: GenerationService, ledger: UsageLedger, disposables: vscode.Disposable[]): OmniVideoApi {
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
    getUsage() {
      const { today, month, total, failed } = ledger.summary(Date.now());
      return { today, month, total, failed };
    },
  };
}
