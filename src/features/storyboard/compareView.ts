import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { readClipParameters } from '../../core/media/filmAssembly';
import { compareToHostSchema, compareWebviewStateSchema, type CompareState, type CompareToHost, type HostToCompare } from '../../shared/compareProtocol';
import { WebviewHost } from '../../webview/webviewHost';
import type { BoardService, Take } from './boardService';

/**
 * Compare Takes: two takes of a shot side by side, playing, pausing, seeking and stepping frame by
 * frame in lockstep; Use This Take makes one the shot's chosen take (its video line).
 */
export class CompareView extends WebviewHost<CompareToHost, HostToCompare> {
  private board: vscode.Uri | undefined;
  private shot = 1;
  private takes: Take[] = [];
  private left = 0;
  private right = 1;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly boards: BoardService, logger: Logger, savedState: unknown) {
    super(panel, extensionUri, { name: 'the take comparison', page: { script: 'compare.js', style: 'compare.css', title: vscode.l10n.t('Compare Takes') }, schema: compareToHostSchema, logger });
    this._register(boards.onDidChange((file) => file.fsPath === this.board?.fsPath && void this.render()));
    this.load();
    const saved = compareWebviewStateSchema.safeParse(savedState);
    if (saved.success) void this.show(vscode.Uri.file(saved.data.board), saved.data.shot, saved.data.left, saved.data.right);
  }

  /** Shows two takes of shot `shot`: the chosen one and the newest other one, unless said. */
  async show(board: vscode.Uri, shot: number, left?: number, right?: number): Promise<void> {
    this.board = board;
    this.shot = shot;
    await this.render(left, right);
  }

  private async render(left?: number, right?: number): Promise<void> {
    if (!this.board) return;
    const { board } = await this.boards.read(this.board);
    const shot = board.shots.find((s) => s.index === this.shot);
    if (!shot) return;
    this.takes = (await this.boards.takes(this.board, board)).get(shot.index) ?? [];
    const chosen = this.boards.chosenVideo(this.board, shot);
    const chosenIndex = Math.max(0, this.takes.findIndex((t) => t.file === chosen));
    const last = this.takes.length - 1;
    this.left = Math.min(left ?? (this.takes.length ? chosenIndex : 0), last);
    this.right = Math.min(right ?? (chosenIndex === last ? last - 1 : last), last);
    if (this.right < 0) this.right = this.left;
    const frameRate = this.takes[0] ? await readClipParameters(this.takes[0].file).then((p) => p.video.frameRate, () => 24) : 24;
    const state: CompareState = {
      board: this.board.fsPath,
      shot: shot.index,
      title: vscode.l10n.t('Shot {0}: {1}', shot.index, shot.title),
      takes: this.takes.map((take, i) => ({
        label: vscode.l10n.t('Take {0} · {1}', i + 1, path.basename(take.file)),
        src: this.panel.webview.asWebviewUri(vscode.Uri.file(take.file)).toString(),
        prompt: take.prompt,
        chosen: take.file === chosen,
      })),
      left: this.left,
      right: this.right,
      frameRate: frameRate || 24,
      labels: {
        play: vscode.l10n.t('Play'),
        pause: vscode.l10n.t('Pause'),
        previousFrame: vscode.l10n.t('Previous frame'),
        nextFrame: vscode.l10n.t('Next frame'),
        useThisTake: vscode.l10n.t('Use This Take'),
        chosen: vscode.l10n.t('The chosen take'),
        left: vscode.l10n.t('Left'),
        right: vscode.l10n.t('Right'),
        keys: vscode.l10n.t('Space plays or pauses both; , and . step one frame back and forward.'),
        time: vscode.l10n.t('Position'),
      },
    };
    this.panel.title = vscode.l10n.t('Compare Takes: {0}', shot.title);
    this.postState({ type: 'state', state });
  }

  protected async onMessage(message: CompareToHost): Promise<void> {
    if (!this.board) return;
    switch (message.type) {
      case 'show':
        if (message.take < this.takes.length) await this.render(message.side === 'left' ? message.take : this.left, message.side === 'right' ? message.take : this.right);
        return;
      case 'useTake': {
        const take = this.takes[message.take];
        if (take) await this.boards.useTake(this.board, this.shot, take.file);
        return;
      }
    }
  }
}
