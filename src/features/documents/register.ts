import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/jobStore';
import { LastTextEditor, insertIntoDocument, type ActivePreview } from './documentCommands';
import { registerCommands } from '../../host/commands';

/** Insert into Document: a saved video as a relative reference at the cursor of the last text editor. */
export function registerDocuments(store: JobStore, previews: ActivePreview): vscode.Disposable {
  const editors = new LastTextEditor();
  return vscode.Disposable.from(
    editors,
    registerCommands({ 'omniVideo.insertIntoDocument': (video) => insertIntoDocument(store, previews, editors, video) }),
  );
}
