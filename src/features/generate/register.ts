import * as vscode from 'vscode';
import type { GenerationFlow } from '../../generation/generationFlow';
import { editVideo, generateFromSelection, imageToVideo, interpolate, referencesToVideo } from './generateCommands';
import { registerCommands } from '../../host/commands';

/** The generate commands: from a prompt, an image or two, references, a clip, the editor's selection. */
export function registerGenerate(flow: GenerationFlow): vscode.Disposable {
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'omniVideo.generate': (args) => (args === undefined || args === null ? flow.runInteractive('text', {}) : flow.runScripted(args)),
    'omniVideo.imageToVideo': (clicked, selected) => imageToVideo(flow, clicked, selected),
    'omniVideo.interpolate': (clicked, selected) => interpolate(flow, clicked, selected),
    'omniVideo.referencesToVideo': (clicked, selected) => referencesToVideo(flow, clicked, selected),
    'omniVideo.editVideo': (clicked, selected) => editVideo(flow, clicked, selected),
    'omniVideo.generateFromSelection': (options) => generateFromSelection(flow, options),
    // Preview Request: asks like Generate (or takes its options object), shows the request, sends nothing.
    'omniVideo.previewRequest': (options) => (options === undefined || options === null ? flow.runInteractive('text', {}, { dryRun: true }) : flow.previewScripted(options)),
  };
  return registerCommands(commands);
}
