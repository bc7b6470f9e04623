import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { playbackHostFromEnv } from '../../core/media/playability';
import { videoFrom } from '../../generation/videoArgument';
import { pickMediaFiles } from '../../host/mediaPicker';
import { PREVIEW_VIEW_TYPE, VIDEO_EDITOR_VIEW_TYPE } from '../../shared/ids';
import type { CapturedFrame } from '../../shared/protocol';
import { PreviewPanels } from './previewPanels';
import { registerCommands } from '../../host/commands';

/** What other features may do with previews. */
export interface PreviewFeature extends vscode.Disposable {
  /** Opens (or reveals) the preview of a video. */
  show(file: vscode.Uri, options?: { preserveFocus?: boolean }): Promise<unknown>;
  /** Whether a preview of the video is in front in its editor group. */
  isShowing(file: vscode.Uri): boolean;
  /** The video of the active preview panel. */
  readonly activeFile: vscode.Uri | undefined;
  /** The last frame of a video, captured by a running preview of it (one is opened beside, if needed). */
  captureLastFrame(file: vscode.Uri): Promise<CapturedFrame>;
}

/** The preview panel, its serializer, the "Open With…" custom editor and `omniVideo.openPreview`. */
export function registerPreview(context: vscode.ExtensionContext, store: JobStore, logger: Logger): PreviewFeature {
  const previews = new PreviewPanels({ extensionUri: context.extensionUri, store, logger, playbackHost: playbackHostFromEnv(vscode.env) });
  const registrations = vscode.Disposable.from(
    previews,
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, previews),
    vscode.window.registerCustomEditorProvider(VIDEO_EDITOR_VIEW_TYPE, previews, { supportsMultipleEditorsPerDocument: true }),
    registerCommands({ 'omniVideo.openPreview': (arg) => openPreview(previews, store, arg) }),
  );
  return {
    show: (file, options) => previews.show(file, options),
    isShowing: (file) => previews.isShowing(file),
    get activeFile() {
      return previews.activeFile;
    },
    captureLastFrame: async (file) => (await previews.readySession(file)).captureLastFrame(),
    dispose: () => registrations.dispose(),
  };
}

/** Omni Video: Open Video Preview — a video Uri from the explorer, a job from the jobs view, or a picker. */
async function openPreview(previews: PreviewPanels, store: JobStore, arg?: unknown): Promise<void> {
  const job = store.get(typeof arg === 'string' ? arg : String((arg as { id?: unknown } | undefined)?.id ?? ''));
  if (job?.phase === 'failed') return previews.showFailedJob(job.id);
  let file = typeof arg === 'string' && !store.get(arg) ? vscode.Uri.file(arg) : videoFrom(store, arg);
  if (!file) {
    const picked = await pickMediaFiles('video', { many: false, openLabel: vscode.l10n.t('Preview') });
    file = picked?.[0];
  }
  if (file) await previews.show(file);
}
