import * as vscode from 'vscode';
import type { JobStore } from '../core/jobs/jobStore';
import { recordedPathToUri } from './mediaRefs';

/**
 * The video a command was given: a Uri (explorer, preview), a job from the jobs view or its id, or a
 * path (absolute or workspace-relative) from a keybinding, a task or another extension.
 */
export function videoFrom(store: JobStore, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') {
    const job = store.get(arg);
    if (job) return job.file ? vscode.Uri.file(job.file) : undefined;
    return recordedPathToUri(arg);
  }
  if (arg && typeof arg === 'object' && 'id' in arg) {
    const file = store.get(String((arg as { id: unknown }).id))?.file;
    if (file) return vscode.Uri.file(file);
  }
  return undefined;
}
