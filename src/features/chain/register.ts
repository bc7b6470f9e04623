import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import type { GenerationFlow } from '../../generation/generationFlow';
import type { FrameSource } from '../../generation/lastFrameCapture';
import { continueFromLastFrame, useAsReference, type PanelOpener } from './chainCommands';

/** Chaining clips: Continue from Last Frame, and Use as Reference in the generation panel. */
export function registerChain(deps: { frames: FrameSource; panel: PanelOpener; flow: GenerationFlow; store: JobStore; logger: Logger }): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('omniVideo.continueFromLastFrame', (video?: unknown, options?: unknown) => continueFromLastFrame(deps, video, options)),
    vscode.commands.registerCommand('omniVideo.useAsReference', (file?: unknown) => useAsReference(deps.panel, deps.store, file)),
  );
}
