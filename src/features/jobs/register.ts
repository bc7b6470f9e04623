import * as vscode from 'vscode';
import type { JobManager } from '../../core/jobs/jobManager';
import type { JobRecord } from '../../core/jobs/jobModel';
import type { GenerationFlow } from '../../generation/generationFlow';
import { customApiHost } from '../../host/settings';
import { JOBS_VIEW_ID } from '../../shared/ids';
import { clearFinishedJobs, copyJobPrompt, regenerateJob, removeJob, retryJob, revealJobFile, showJobs, stopTrackingJob } from './jobCommands';
import { JobsTreeProvider } from './jobsTree';
import { FinishedJobNotices, type VideoOpener } from './notifications';
import { JobsStatusBarItem, type BoardRuns } from './statusBar';
import { registerCommands } from '../../host/commands';

/** The jobs view, the status bar item, the job commands, and the notice when a job ends. */
export function registerJobs(manager: JobManager, flow: GenerationFlow, onJobFinished: vscode.Event<JobRecord>, previews: VideoOpener, boards?: BoardRuns): vscode.Disposable {
  const store = manager.store;
  const tree = new JobsTreeProvider(store);
  const commands: Record<string, (arg?: unknown) => unknown> = {
    'omniVideo.showJobs': () => showJobs(),
    'omniVideo.revealJobFile': (arg) => revealJobFile(store, arg),
    'omniVideo.copyJobPrompt': (arg) => copyJobPrompt(store, arg),
    'omniVideo.stopTrackingJob': (arg) => stopTrackingJob(store, arg),
    'omniVideo.removeJob': (arg) => removeJob(store, arg),
    'omniVideo.retryJob': (arg) => retryJob(manager, arg),
    'omniVideo.regenerateJob': (arg) => regenerateJob(store, flow, arg),
    'omniVideo.clearFinishedJobs': () => clearFinishedJobs(store),
    'omniVideo.showMoreJobs': (group) => typeof group === 'string' && tree.showMore(group as Parameters<JobsTreeProvider['showMore']>[0]),
  };
  const view = vscode.window.createTreeView(JOBS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  // Where requests go, when it is not the provider's own address.
  const describe = () => (view.description = customApiHost());
  describe();
  const notices = new FinishedJobNotices(previews);
  return vscode.Disposable.from(
    tree,
    view,
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('omniVideo.baseUrl') && describe()),
    new JobsStatusBarItem(store, boards),
    notices,
    onJobFinished((job) => notices.announce(job)),
    registerCommands(commands),
  );
}
