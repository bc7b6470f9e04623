import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError } from '../core/common/errors';
import type { MediaSource } from '../core/api/mediaInput';

/** A media reference as commands and the API take it (docs/product.md). */
export type MediaRef = vscode.Uri | string;

export interface ResolvedMedia {
  source: MediaSource;
  /** The workspace folder a local file lives in; results are saved there. */
  folder?: vscode.WorkspaceFolder;
}

/**
 * Resolves a Uri, a workspace-relative or absolute path, an http(s) URL or a data URI. Local files must
 * be inside a workspace folder: that is where the result is saved, and what the sidecar records.
 */
export function resolveMediaRef(ref: MediaRef): ResolvedMedia {
  if (typeof ref === 'string') {
    const text = ref.trim();
    if (!text) throw new OmniVideoError('badRequest', vscode.l10n.t('A media reference is empty.'));
    if (/^data:/i.test(text)) return { source: { kind: 'dataUri', uri: text } };
    if (/^https?:\/\//i.test(text)) return { source: { kind: 'url', url: text } };
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text)) {
      throw new OmniVideoError('badRequest', vscode.l10n.t('{0} is not a file path, an http(s) URL or a data URI.', text.slice(0, 80)));
    }
    return resolveFile(path.isAbsolute(text) ? vscode.Uri.file(text) : relativeToWorkspace(text));
  }
  if (ref.scheme === 'http' || ref.scheme === 'https') return { source: { kind: 'url', url: ref.toString(true) } };
  if (ref.scheme !== 'file') {
    throw new OmniVideoError('badRequest', vscode.l10n.t('{0} is not on this machine\'s disk ({1}:), so it cannot be uploaded.', path.basename(ref.path), ref.scheme));
  }
  return resolveFile(ref);
}

/** The workspace folders on disk, first one first; without any, nothing can be saved. */
export function diskFolders(): vscode.WorkspaceFolder[] {
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
  if (!folders.length) throw new OmniVideoError('config', vscode.l10n.t('Open a folder first: Omni Video saves generated videos into your workspace.'));
  return folders;
}

/**
 * A media path as a sidecar records it (workspace-relative, or absolute) back to a file Uri; undefined
 * for URLs, data URIs and when no folder is open.
 */
export function recordedPathToUri(recorded: string): vscode.Uri | undefined {
  if (/^[a-z][a-z0-9+.-]+:/i.test(recorded) && !/^[a-z]:[\\/]/i.test(recorded)) return undefined;
  if (path.isAbsolute(recorded)) return vscode.Uri.file(recorded);
  return vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme === 'file') ? relativeToWorkspace(recorded) : undefined;
}

function relativeToWorkspace(relative: string): vscode.Uri {
  const folders = diskFolders();
  // "folderName/x.png" in a multi-root workspace names the folder; otherwise the first folder.
  const [head, ...rest] = relative.split(/[\\/]/);
  const named = folders.length > 1 ? folders.find((f) => f.name === head) : undefined;
  return named ? vscode.Uri.joinPath(named.uri, ...rest) : vscode.Uri.joinPath(folders[0].uri, relative);
}

function resolveFile(uri: vscode.Uri): ResolvedMedia {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    throw new OmniVideoError(
      'badRequest',
      vscode.l10n.t('{0} is outside the workspace folders. Copy it into your workspace first, so the result and its record are saved beside it.', uri.fsPath),
    );
  }
  const displayPath = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  return { source: { kind: 'file', path: uri.fsPath, displayPath }, folder };
}

/** The explorer passes `(clicked, selected[])`; a keybinding passes nothing; tests pass either. */
export function explorerSelection(clicked: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.length && selected.every((u) => u instanceof vscode.Uri)) return selected as vscode.Uri[];
  if (clicked instanceof vscode.Uri) return [clicked];
  return [];
}
