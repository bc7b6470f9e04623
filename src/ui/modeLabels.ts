import * as vscode from 'vscode';
import type { JobMode } from '../core/jobModel';

/** How a video is made, in the user's language: the panel's mode line and the preview's "Mode". */
export function modeLabel(mode: JobMode): string {
  switch (mode) {
    case 'text':
      return vscode.l10n.t('Text to video');
    case 'image':
      return vscode.l10n.t('Image to video (first frame)');
    case 'interpolate':
      return vscode.l10n.t('Interpolate between first and last frame');
    case 'references':
      return vscode.l10n.t('Video from reference images');
    case 'video':
      return vscode.l10n.t('Edit or extend a clip');
  }
}
