import * as vscode from 'vscode';
import type { JobManager } from '../core/jobs/jobManager';
import { parseGenerateOptions, type GenerateOptions, type GenerationService } from '../generation/generationService';
import { toSnapshot, type JobSnapshot } from './jobSnapshot';

/** The value `activate` returns (docs/product.md). */
export interface OmniVideoApi {
  generate(options: GenerateOptions): Promise<JobSnapshot>;
  getJob(id: string): JobSnapshot | undefined;
  listJobs(): JobSnapshot[];
  waitForJob(id: string, token?: vscode.CancellationToken): Promise<JobSnapshot>;
  onDidChangeJob: vscode.Event<JobSnapshot>;
}

export function createPublicApi(manager: JobManager, service: GenerationService, disposables: vscode.Disposable[]): OmniVideoApi {
  const emitter = new vscode.EventEmitter<JobSnapshot>();
  disposables.push(emitter, { dispose: manager.store.onDidChange((job) => emitter.fire(toSnapshot(job))).dispose });
  return {
    async generate(options) {
      return toSnapshot(await service.generate(parseGenerateOptions(options), false));
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
  };
}
