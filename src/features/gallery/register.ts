import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { GALLERY_VIEW_TYPE } from '../../shared/ids';
import { SingletonPanel } from '../../webview/singletonPanel';
import { GalleryView } from './galleryView';
import { registerCommands } from '../../host/commands';

/** The video gallery: `omniVideo.openGallery` and its panel, restored after a reload. */
export function registerGallery(context: vscode.ExtensionContext, store: JobStore, logger: Logger): vscode.Disposable {
  const gallery = new SingletonPanel(GALLERY_VIEW_TYPE, () => vscode.l10n.t('Video Gallery'), context.extensionUri, (panel) => new GalleryView(panel, context.extensionUri, store, logger));
  return vscode.Disposable.from(
    gallery,
    registerCommands({
      'omniVideo.openGallery': async () => {
        const wasOpen = gallery.current !== undefined;
        const view = gallery.open();
        await (wasOpen ? view.scan() : view.firstScan); // resolves once the list is up to date
      },
    }),
  );
}
