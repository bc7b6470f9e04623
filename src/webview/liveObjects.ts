import * as vscode from 'vscode';
import type { JobStore } from '../core/jobs/jobStore';
import { LIVE_OBJECTS_COMMAND } from '../shared/ids';
import { WebviewHost } from './webviewHost';

/** What is alive that a leak would grow: the job list's listeners, the webview hosts and what they hold. */
export interface LiveObjects {
  jobListeners: number;
  webviewHosts: number;
  webviewDisposables: number;
}

/**
 * The internal command `omniVideo.internal.liveObjects`, which returns the LiveObjects counts. The soak
 * test reads them before and after hundreds of jobs and webview opens; it is in neither the manifest
 * nor the palette.
 */
export function registerLiveObjects(store: JobStore): vscode.Disposable {
  return vscode.commands.registerCommand(LIVE_OBJECTS_COMMAND, (): LiveObjects => ({ jobListeners: store.listenerCount, ...WebviewHost.counts() }));
}
