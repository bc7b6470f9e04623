import * as vscode from 'vscode';
import { billedGenerationsText } from '../../core/jobs/costGuard';
import { parseStoryboard } from '../../core/storyboard/parser';
import type { PlannedShot } from '../../core/storyboard/planner';
import { readSettings } from '../../host/settings';
import type { BoardService, Take } from './boardService';

/**
 * The storyboard's CodeLenses: above the board, Generate N shots (with the billed count), Assemble
 * Film and Open Film; above each shot, its state and its actions (Generate, Regenerate, Play, Compare
 * Takes), or why it cannot be sent.
 */
export class StoryboardLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly boards: BoardService) {
    this.subscription = boards.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const board = parseStoryboard(document.getText());
    if (!board.isStoryboard) return [];
    const file = document.uri;
    const lenses: vscode.CodeLens[] = [];
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const lens = (line: number, title: string, command = '', args: unknown[] = [], tooltip?: string) => lenses.push(new vscode.CodeLens(at(line), { title, command, arguments: args, tooltip }));
    const titleLine = board.headLine;
    if (!board.shots.length) {
      lens(titleLine, vscode.l10n.t('$(info) No shots yet: start each shot with a "## " heading and describe it below'));
      return lenses;
    }
    const plan = this.boards.plan(file, board);
    const takes = await this.boards.takes(file, board);
    const chosen = board.shots.map((shot) => this.boards.chosenVideo(file, shot));
    const price = readSettings().pricePerGeneration ?? undefined;
    const toGenerate = board.shots.filter((shot, i) => !chosen[i] && !['waiting', 'queued', 'in_progress'].includes(plan.shots[i].state) && this.boards.problems(file, shot).length === 0);
    if (toGenerate.length) {
      lens(
        titleLine,
        toGenerate.length === 1
          ? vscode.l10n.t('$(play) Generate 1 shot ({0})', billedGenerationsText(1, price, vscode.env.language))
          : vscode.l10n.t('$(play) Generate {0} shots ({1})', toGenerate.length, billedGenerationsText(toGenerate.length, price, vscode.env.language)),
        'omniVideo.generateStoryboard',
        [file],
      );
    }
    if (chosen.every(Boolean)) {
      const snapshot = await this.boards.snapshot(file);
      lens(titleLine, snapshot.filmOutOfDate ? vscode.l10n.t('$(warning) Assemble Film (the film is out of date)') : vscode.l10n.t('$(film) Assemble Film'), 'omniVideo.assembleFilm', [file]);
      if (snapshot.film) lens(titleLine, vscode.l10n.t('$(play-circle) Open Film'), 'omniVideo.openPreview', [snapshot.film]);
    }
    for (const problem of board.problems) lens(titleLine, `$(warning) ${problem}`);
    board.shots.forEach((shot, i) => {
      const shotTakes = takes.get(shot.index) ?? [];
      const take = shotTakes.find((t) => t.file === chosen[i]);
      const problems = this.boards.problems(file, shot);
      if (problems.length) {
        lens(shot.headingLine, vscode.l10n.t('$(warning) Not sent: {0}', problems.join('; ')));
      } else {
        lens(shot.headingLine, stateText(plan.shots[i], take, shot.prompt), plan.shots[i].job ? 'omniVideo.openPreview' : '', plan.shots[i].job ? [plan.shots[i].job!.id] : []);
      }
      const busy = ['waiting', 'queued', 'in_progress'].includes(plan.shots[i].state);
      if (!busy && !problems.length) {
        if (chosen[i]) lens(shot.headingLine, vscode.l10n.t('Regenerate'), 'omniVideo.regenerateShot', [file, shot.index], vscode.l10n.t('A new take of this shot: billed again'));
        else lens(shot.headingLine, vscode.l10n.t('Generate'), 'omniVideo.generateShot', [file, shot.index]);
      }
      if (chosen[i]) lens(shot.headingLine, vscode.l10n.t('Play'), 'omniVideo.openPreview', [vscode.Uri.file(chosen[i]!)]);
      if (shotTakes.length > 1) lens(shot.headingLine, vscode.l10n.t('Compare Takes ({0})', shotTakes.length), 'omniVideo.compareTakes', [file, shot.index]);
    });
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** not generated, waiting, queued, generating 40 %, saved 4 s, failed (reason), prompt changed since this take. */
function stateText(planned: PlannedShot, take: Take | undefined, prompt: string): string {
  switch (planned.state) {
    case 'none':
      return vscode.l10n.t('$(circle-outline) not generated');
    case 'waiting':
      return vscode.l10n.t('$(clock) waiting for the shot before it');
    case 'blocked':
      return vscode.l10n.t('$(circle-slash) blocked: {0}', planned.error ?? '');
    case 'queued':
      return vscode.l10n.t('$(clock) queued');
    case 'in_progress':
      return vscode.l10n.t('$(sync~spin) generating {0}%', planned.job?.progress ?? 0);
    case 'failed':
      return vscode.l10n.t('$(error) failed ({0})', shorten(planned.error ?? vscode.l10n.t('no reason given')));
    case 'saved': {
      if (take && take.prompt.trim() !== prompt.trim()) return vscode.l10n.t('$(edit) prompt changed since this take');
      const seconds = take?.seconds ?? planned.job?.seconds;
      return seconds ? vscode.l10n.t('$(check) saved {0} s', seconds) : vscode.l10n.t('$(check) saved');
    }
  }
}

function shorten(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
