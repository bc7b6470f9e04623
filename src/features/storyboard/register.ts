import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { shortPrompt } from '../../core/jobs/jobLabels';
import type { GenerationService } from '../../generation/generationService';
import type { FrameSource } from '../../generation/lastFrameCapture';
import { diskFolders } from '../../generation/mediaRefs';
import { showError } from '../../host/showError';
import { COMPARE_VIEW_TYPE } from '../../shared/ids';
import { SingletonPanel } from '../../webview/singletonPanel';
import { BoardService, generateBoardOptionsSchema, type StoryboardSnapshot } from './boardService';
import { StoryboardLenses } from './codeLenses';
import { CompareView } from './compareView';
import { assembleBoardFilm } from './filmCommand';
import { registerCommands } from '../../host/commands';

/** What the exported API and the status bar read of storyboards. */
export interface StoryboardFeature extends vscode.Disposable {
  getStoryboard(file: vscode.Uri): Promise<StoryboardSnapshot>;
  /** Settles when no shot of the board is waiting, queued or in progress. */
  waitForStoryboard(file: vscode.Uri, token?: vscode.CancellationToken): Promise<StoryboardSnapshot>;
  /** "Harbour: 1/2 shots" for each board with a run in progress. */
  describeRuns(): Promise<string[]>;
  readonly onDidChange: vscode.Event<vscode.Uri>;
}

export interface StoryboardDeps {
  context: vscode.ExtensionContext;
  store: JobStore;
  service: GenerationService;
  frames: FrameSource;
  show: (file: vscode.Uri) => Promise<unknown>;
  logger: Logger;
}

/**
 * Storyboards: Markdown shot lists with CodeLenses that generate, chain and keep takes of their shots,
 * write each chosen take back as a video line, compare takes and assemble a film.
 */
export function registerStoryboard(deps: StoryboardDeps): StoryboardFeature {
  const { context, logger } = deps;
  const boards = new BoardService({ store: deps.store, service: deps.service, frames: deps.frames, state: context.workspaceState, logger });
  const lenses = new StoryboardLenses(boards);
  const compare = new SingletonPanel(COMPARE_VIEW_TYPE, () => vscode.l10n.t('Compare Takes'), context.extensionUri, (panel, state) => new CompareView(panel, context.extensionUri, boards, logger, state));
  const boardOf = (arg: unknown): vscode.Uri => {
    const file = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? (path.isAbsolute(arg) ? vscode.Uri.file(arg) : vscode.Uri.joinPath(diskFolders()[0].uri, arg)) : vscode.window.activeTextEditor?.document.uri;
    if (!file || file.scheme !== 'file') throw new OmniVideoError('badRequest', vscode.l10n.t('Give the storyboard as a Uri or a path, or open it in the editor first.'));
    return file;
  };
  /** A command run by a person shows its errors; one run with arguments by a script gets them thrown. */
  const guarded = <T>(scripted: boolean, task: () => Promise<T>) =>
    task().catch((error: unknown) => {
      if (scripted) throw error instanceof OmniVideoError ? new Error(describeError(error)) : error;
      showError(error);
      return undefined;
    });

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'omniVideo.newStoryboard': (target) => guarded(target !== undefined, () => newStoryboard(target instanceof vscode.Uri ? target : undefined)),
    'omniVideo.generateStoryboard': (file, options) =>
      guarded(options !== undefined && options !== null, async () => {
        const parsed = generateBoardOptionsSchema.safeParse(options ?? {});
        if (!parsed.success) throw new OmniVideoError('badRequest', vscode.l10n.t('omniVideo.generateStoryboard takes {0}.', '{ shots?: number[]; regenerate?: boolean; dryRun?: boolean }'));
        return boards.generate(boardOf(file), parsed.data, options === undefined || options === null);
      }),
    'omniVideo.generateShot': (file, shot) => guarded(false, () => boards.generate(boardOf(file), { shots: [Number(shot)] }, true)),
    'omniVideo.regenerateShot': (file, shot) =>
      guarded(false, async () => {
        const board = boardOf(file);
        const snapshot = await boards.snapshot(board);
        const target = snapshot.shots.find((s) => s.index === Number(shot));
        if (!target) return [];
        const regenerate = vscode.l10n.t('Regenerate');
        const answer = await vscode.window.showInformationMessage(
          vscode.l10n.t('Generate shot {0} "{1}" again? It is a new take, billed again; the earlier takes stay.', target.index, shortPrompt(target.title, 60)),
          { modal: true },
          regenerate,
        );
        return answer === regenerate ? boards.generate(board, { shots: [target.index], regenerate: true }, false) : [];
      }),
    'omniVideo.assembleFilm': (file) => guarded(file !== undefined, () => assembleBoardFilm({ boards, show: deps.show, logger }, boardOf(file), true)),
    'omniVideo.compareTakes': (file, shot) =>
      guarded(false, async () => {
        const board = boardOf(file);
        const { board: parsed } = await boards.read(board);
        const index = Number(shot) || (await pickShot(parsed.shots.map((s) => ({ index: s.index, title: s.title }))));
        if (!index) return;
        const takes = (await boards.takes(board, parsed)).get(index) ?? [];
        if (takes.length < 2) throw new OmniVideoError('badRequest', vscode.l10n.t('Shot {0} has {1} take(s): Regenerate it to have two to compare.', index, takes.length));
        await compare.open().show(board, index);
      }),
    'omniVideo.useTake': (file, shot, video) => guarded(false, () => boards.useTake(boardOf(file), Number(shot), String(video instanceof vscode.Uri ? video.fsPath : video))),
  };
  const registrations = vscode.Disposable.from(
    boards,
    lenses,
    compare,
    vscode.languages.registerCodeLensProvider({ language: 'markdown', scheme: 'file' }, lenses),
    registerCommands(commands),
  );
  boards.resume();

  return {
    getStoryboard: (file) => boards.snapshot(file),
    waitForStoryboard: (file, token) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (boards.isRunning(file)) return;
          subscription.dispose();
          cancel?.dispose();
          boards.snapshot(file).then(resolve, reject);
        };
        const subscription = boards.onDidChange((changed) => changed.fsPath === file.fsPath && check());
        const cancel = token?.onCancellationRequested(() => {
          subscription.dispose();
          reject(new OmniVideoError('cancelled', vscode.l10n.t('Stopped waiting for the storyboard.')));
        });
        check();
      }),
    describeRuns: async () =>
      Promise.all(
        boards.runningBoards.map(async (file) => {
          const { board } = await boards.read(file).catch(() => ({ board: undefined }));
          if (!board) return path.basename(file.fsPath);
          const saved = boards.plan(file, board).shots.filter((s) => s.state === 'saved').length;
          return vscode.l10n.t('{0}: {1}/{2} shots', board.title ?? path.basename(file.fsPath, path.extname(file.fsPath)), saved, board.shots.length);
        }),
      ),
    onDidChange: boards.onDidChange,
    dispose: () => registrations.dispose(),
  };
}

async function pickShot(shots: { index: number; title: string }[]): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(
    shots.map((s) => ({ label: `${s.index}. ${s.title}`, index: s.index })),
    { title: vscode.l10n.t('Compare the takes of which shot?') },
  );
  return picked?.index;
}

/** New Storyboard: a starter board with two chained shots, in the user's language, opened. */
async function newStoryboard(target?: vscode.Uri): Promise<vscode.Uri> {
  const folder = diskFolders()[0].uri;
  let file = target;
  for (let n = 1; !file; n++) {
    const candidate = vscode.Uri.joinPath(folder, n === 1 ? 'storyboard.md' : `storyboard-${n}.md`);
    if (!existsSync(candidate.fsPath)) file = candidate;
  }
  if (existsSync(file.fsPath)) throw new OmniVideoError('badRequest', vscode.l10n.t('{0} exists already; it is not replaced.', file.fsPath));
  const text = [
    '---',
    'omniVideo: storyboard',
    'seconds: "4"',
    'aspectRatio: "16:9"',
    '---',
    `# ${vscode.l10n.t('Harbour')}`,
    '',
    `<!-- ${vscode.l10n.t('Each "## " heading is a shot; its text is the prompt. An image (![first frame](path.png)) is its first frame; otherwise a shot starts from the last frame of the one before. Generate from the lenses above the shots.')} -->`,
    '',
    `## ${vscode.l10n.t('Dawn')}`,
    vscode.l10n.t('Fishing boats leave the harbour at dawn, gulls circle, warm light, slow pan right.'),
    '',
    `## ${vscode.l10n.t('Open sea')}`,
    vscode.l10n.t('The boats cut through grey swell, spray over the bow, handheld camera.'),
    '',
  ].join('\n');
  await writeFile(file.fsPath, text, { flag: 'wx' });
  await vscode.window.showTextDocument(file);
  return file;
}
