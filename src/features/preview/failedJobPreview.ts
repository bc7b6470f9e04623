import * as vscode from 'vscode';
import { failureAdvice } from '../../core/jobs/jobLabels';
import type { JobStore } from '../../core/jobs/jobStore';
import { copyPrompt } from '../../host/copyPrompt';
import { webviewToHostSchema, type HostToWebview, type WebviewToHost } from '../../shared/protocol';
import { WebviewHost } from '../../webview/webviewHost';
import { buildFailedJobInfo } from './previewInfo';
import { openSource, openTarget, type PreviewContext } from './previewSession';

/**
 * The preview of a job the server failed: no video, but its request, the server's words, what that
 * kind of failure means and the next step that fits (Edit Prompt and Regenerate, Replace Image, Retry Later).
 */
export class FailedJobPreview extends WebviewHost<WebviewToHost, HostToWebview> {
  private sources: (vscode.Uri | undefined)[] = [];

  constructor(
    panel: vscode.WebviewPanel,
    readonly jobId: string,
    private readonly context: PreviewContext,
  ) {
    super(panel, context.extensionUri, { name: `the preview of failed job ${jobId}`, page: { script: 'preview.js', style: 'preview.css', title: vscode.l10n.t('Failed') }, schema: webviewToHostSchema, logger: context.logger });
    this._register(context.store.onDidChange((job) => job.id === jobId && this.render()));
    this.load();
    this.render();
  }

  private get store(): JobStore {
    return this.context.store;
  }

  private render(): void {
    const job = this.store.get(this.jobId);
    if (!job) return this.panel.dispose(); // removed from the list: nothing left to show
    const decision = buildFailedJobInfo(job, openTarget, vscode.env.language);
    this.sources = decision.targets;
    this.panel.title = vscode.l10n.t('Failed: {0}', decision.info.fileName);
    this.postState({ type: 'show', info: decision.info });
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    const job = this.store.get(this.jobId);
    if (!job) return;
    switch (message.type) {
      case 'failureAction':
        await vscode.commands.executeCommand(failureAdvice(job.failureKind).command, { id: job.id });
        return;
      case 'regenerate':
        await vscode.commands.executeCommand('omniVideo.regenerateJob', { id: job.id });
        return;
      case 'copyPrompt':
        await copyPrompt(job.prompt);
        return;
      case 'openSource':
        return openSource(this.sources[message.index]);
    }
  }
}
