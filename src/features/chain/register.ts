import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import type { GenerationFlow } from '../../generation/generationFlow';
import type { FrameSource } from '../../generation/lastFrameCapture';
import { continueFromLastFrame, useAsReference, type PanelOpener } from './chainCommands';
import { registerCommands } from '../../host/commands';

/** Chaining clips: Continue from Last Frame, and Use as Reference in the generation panel. */
export function registerChain(deps: { frames: FrameSource; panel: PanelOpener; flow: GenerationFlow; store: JobStore; logger: Logger }): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommands({
      'omniVideo.continueFromLastFrame': (video, options) => continueFromLastFrame(deps, video, options),
      'omniVideo.useAsReference': (file) => useAsReference(deps.panel, deps.store, file),
    }),
  );
}
