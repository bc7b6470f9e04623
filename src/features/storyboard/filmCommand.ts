import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import { findFfmpeg } from '../../core/media/ffmpeg';
import { reencodeFilm, type AssembledFilm, type FilmClip } from '../../core/media/filmAssembly';
import { assembleFilmInWorker } from '../../core/media/filmInWorker';
import { filmPathsFor, writeFilmSidecar } from '../../core/storyboard/film';
import type { BoardService } from './boardService';

/**
 * Assemble Film: the chosen takes, in shot order, joined into `<outputDirectory>/<stem>-film.mp4`
 * without re-encoding (replaced on the next assembly), with its sidecar; then it opens in the preview.
 * Clips that differ are named; with ffmpeg on the PATH a re-encode is offered (asked, not assumed).
 */
export async function assembleBoardFilm(
  deps: { boards: BoardService; show: (file: vscode.Uri) => Promise<unknown>; logger: Logger },
  file: vscode.Uri,
  interactive: boolean,
): Promise<vscode.Uri | undefined> {
  const snapshot = await deps.boards.snapshot(file);
  if (!snapshot.shots.length) throw new OmniVideoError('badRequest', vscode.l10n.t('{0} has no shots to assemble.', path.basename(file.fsPath)));
  const missing = snapshot.shots.filter((shot) => !shot.video);
  if (missing.length) {
    throw new OmniVideoError('badRequest', vscode.l10n.t('A film needs a take of every shot; these have none yet: {0}.', missing.map((s) => `${s.index} (${s.title})`).join(', ')));
  }
  const clips: FilmClip[] = snapshot.shots.map((shot) => ({ path: shot.video!.fsPath, title: shot.title }));
  const outputDir = deps.boards.outputDir(file);
  await mkdir(outputDir, { recursive: true });
  const { film, sidecar } = filmPathsFor(file.fsPath, outputDir);
  const run = (method: 'copy' | 'ffmpeg', ffmpeg?: string) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Omni Video: assembling {0}…', path.basename(film)), cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        const onProgress = (done: number) => {
          const percent = Math.round(done * 100);
          if (percent > reported) progress.report({ increment: percent - reported });
          reported = percent;
        };
        return method === 'copy'
          ? assembleFilmInWorker(clips, film, { signal: abort.signal, onProgress, translations: vscode.l10n.bundle })
          : reencodeFilm(clips, film, { ffmpeg: ffmpeg!, signal: abort.signal });
      },
    );
  let assembled: AssembledFilm;
  let method: 'copy' | 'ffmpeg' = 'copy';
  const started = performance.now();
  try {
    assembled = await run('copy');
  } catch (error) {
    const ffmpeg = error instanceof OmniVideoError && error.kind === 'badRequest' ? await findFfmpeg() : undefined;
    if (!interactive || !ffmpeg) throw error;
    const reencode = vscode.l10n.t('Re-encode with ffmpeg');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Omni Video: {0}', describeError(error)), { modal: true, detail: vscode.l10n.t('ffmpeg can re-encode the takes into one film at the first shot\'s size and frame rate. This takes longer and loses a little quality; the takes stay as they are.') }, reencode);
    if (answer !== reencode) return undefined;
    method = 'ffmpeg';
    assembled = await run('ffmpeg', ffmpeg);
  }
  deps.logger.info(`Film ${film}: ${clips.length} shots, ${assembled.duration.toFixed(2)} s (${method}) in ${(performance.now() - started).toFixed(0)} ms`);
  await writeFilmSidecar(sidecar, {
    generator: 'omni-video',
    kind: 'film',
    version: 1,
    storyboard: path.relative(path.dirname(sidecar), file.fsPath).split(path.sep).join('/'),
    shots: snapshot.shots.map((shot, i) => ({
      index: shot.index,
      title: shot.title,
      video: path.relative(path.dirname(sidecar), shot.video!.fsPath).split(path.sep).join('/'),
      ...(shot.jobId ? { jobId: shot.jobId } : {}),
      start: assembled.starts[i],
    })),
    duration: assembled.duration,
    method,
    createdAt: new Date().toISOString(),
  });
  const uri = vscode.Uri.file(film);
  await deps.show(uri);
  return uri;
}
