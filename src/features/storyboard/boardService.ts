import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { RequestPreview } from '../../core/api/requestPreview';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import type { JobRecord } from '../../core/jobs/jobModel';
import type { JobStore } from '../../core/jobs/jobStore';
import { readSidecarCached, type SidecarCache } from '../../core/jobs/sidecar';
import { filmOutOfDate, filmPathsFor, filmSidecarPathOf, readFilmSidecar } from '../../core/storyboard/film';
import { parseStoryboard, type Shot, type Storyboard } from '../../core/storyboard/parser';
import { jobsOfShot, planBoard, runEntrySchema, shotOfEntry, type BoardPlan, type BoardSnapshot, type RunEntry } from '../../core/storyboard/planner';
import { chooseTakesEdits } from '../../core/storyboard/writeBack';
import { confirmBilling } from '../../generation/billing';
import type { GenerateOptions, GenerationService } from '../../generation/generationService';
import { saveLastFrame, type FrameSource } from '../../generation/lastFrameCapture';
import { diskFolders } from '../../generation/mediaRefs';
import { readSettings } from '../../host/settings';

/** The public view of a board (docs/product.md, "Storyboards"). */
export type StoryboardSnapshot = BoardSnapshot<vscode.Uri>;

/** A saved take of a shot: its file, and how it was made. */
export interface Take {
  file: string;
  jobId: string;
  prompt: string;
  createdAt: number;
  /** How long the take really is (from its file), else what the server said. */
  seconds?: string;
}

/** What `generateStoryboard` takes (docs/product.md). */
export const generateBoardOptionsSchema = z.strictObject({
  shots: z.array(z.number().int().min(1)).optional(),
  regenerate: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});
export type GenerateBoardOptions = z.infer<typeof generateBoardOptionsSchema>;

const RUNS_KEY = 'omniVideo.storyboardRuns.v1';
const runsSchema = z.record(z.string(), z.array(runEntrySchema));

/**
 * Runs storyboards: asks for the shots to generate, submits each when what it starts from is ready
 * (the previous shot's chosen take, for a chained shot), writes each saved take back into the document
 * as its video line, and keeps the run in workspace state, so a reload resumes it and nothing is
 * submitted twice. The planner (core/storyboard/planner.ts) decides; this carries it out.
 */
export class BoardService implements vscode.Disposable {
  private runs: Record<string, RunEntry[]>;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A board's shots changed state (a job, a run, a written-back take). */
  readonly onDidChange = this.changed.event;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** The output folders' sidecars, read again only when they change (a board's lenses look at all of them). */
  private readonly sidecars: SidecarCache = new Map();
  /** Each board's write-back under way: the next one starts after it. */
  private readonly writes = new Map<string, Promise<unknown>>();
  /** Each board's takes waiting for their write-back to begin, written together in one edit. */
  private readonly takeBatches = new Map<string, { takes: Map<number, string>; result: Promise<boolean> }>();
  /** Boards with a finished take still being written back: not settled yet. */
  private readonly finishing = new Map<string, number>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly deps: { store: JobStore; service: GenerationService; frames: FrameSource; state: vscode.Memento; logger: Logger },
  ) {
    const saved = runsSchema.safeParse(deps.state.get(RUNS_KEY) ?? {});
    this.runs = saved.success ? saved.data : {};
    this.subscription = deps.store.onDidChange((job) => this.onJobChanged(job));
  }

  /** The board as it is now: the open document's text (unsaved edits too), else the file's. */
  async read(file: vscode.Uri): Promise<{ text: string; board: Storyboard }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    const text = open ? open.getText() : await readFile(file.fsPath, 'utf8').catch(() => {
      throw new OmniVideoError('badRequest', vscode.l10n.t('{0} could not be read.', file.fsPath));
    });
    return { text, board: parseStoryboard(text) };
  }

  /** A shot's chosen take (its video line), as a file that exists. */
  chosenVideo(file: vscode.Uri, shot: Shot): string | undefined {
    if (!shot.video || /^[a-z][a-z0-9+.-]*:/i.test(shot.video.src)) return undefined;
    const decoded = shot.video.src.split('/').map((segment) => safeDecode(segment)).join(path.sep);
    const video = path.resolve(path.dirname(file.fsPath), decoded);
    return existsSync(video) ? video : undefined;
  }

  /** An image of a shot, as an absolute path (relative to the board, as Markdown reads it). */
  imagePath(file: vscode.Uri, relative: string): string {
    return path.resolve(path.dirname(file.fsPath), relative.split('/').map(safeDecode).join(path.sep));
  }

  /** Where the board's takes and film are saved: `omniVideo.outputDirectory` of its workspace folder. */
  outputDir(file: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(file) ?? diskFolders()[0];
    return path.join(folder.uri.fsPath, readSettings(folder).outputDirectory);
  }

  /** The board's jobs, from the job list. */
  jobs(file: vscode.Uri): JobRecord[] {
    return this.deps.store.list().filter((job) => job.storyboard?.file === file.fsPath);
  }

  plan(file: vscode.Uri, board: Storyboard): BoardPlan {
    return planBoard(board, this.jobs(file), this.runs[file.fsPath] ?? [], (shot) => this.chosenVideo(file, shot));
  }

  /** Whether anything of the board still runs or waits. */
  isRunning(file: vscode.Uri): boolean {
    return (this.finishing.get(file.fsPath) ?? 0) > 0 || (this.runs[file.fsPath]?.some((e) => e.state !== 'failed') ?? false) || this.jobs(file).some((job) => job.phase === 'tracking');
  }

  /** Boards with a run in progress (the status bar names them). */
  get runningBoards(): vscode.Uri[] {
    const files = new Set([...Object.keys(this.runs), ...this.deps.store.active().flatMap((job) => (job.storyboard ? [job.storyboard.file] : []))]);
    return [...files].map((f) => vscode.Uri.file(f)).filter((uri) => this.isRunning(uri));
  }

  /** Every saved take of each shot, oldest first: the jobs of the list and the sidecars in the output folder. */
  async takes(file: vscode.Uri, board: Storyboard): Promise<Map<number, Take[]>> {
    const found = new Map<string, Take & { shot: number; title: string }>();
    const outputDir = this.outputDir(file);
    const names = await readdir(outputDir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map(async (name) => {
          const sidecar = await readSidecarCached(path.join(outputDir, name), this.sidecars);
          const tag = sidecar?.storyboard;
          if (!sidecar || !tag || path.resolve(outputDir, tag.file) !== file.fsPath) return;
          const video = path.join(outputDir, sidecar.video);
          if (!existsSync(video)) return;
          const seconds = sidecar.measured?.duration?.toFixed(1) ?? sidecar.job.seconds;
          found.set(sidecar.id, { file: video, jobId: sidecar.id, prompt: sidecar.prompt, createdAt: Date.parse(sidecar.createdAt) || 0, seconds: seconds === undefined ? undefined : String(seconds), shot: tag.shot, title: tag.title });
        }),
    );
    for (const job of this.jobs(file)) {
      if (job.phase === 'saved' && job.file && existsSync(job.file)) found.set(job.id, { file: job.file, jobId: job.id, prompt: job.prompt, createdAt: job.createdAt, seconds: job.duration?.toFixed(1) ?? job.seconds, shot: job.storyboard!.shot, title: job.storyboard!.title });
    }
    const byShot = new Map<number, Take[]>();
    for (const take of [...found.values()].sort((a, b) => a.createdAt - b.createdAt)) {
      const shot = shotOfEntry(board, { shot: take.shot, title: take.title });
      if (shot) byShot.set(shot.index, [...(byShot.get(shot.index) ?? []), take]);
    }
    return byShot;
  }

  /**
   * Generate (or Regenerate) the board's shots: those named, or every shot without a take. Shots that
   * are flagged, or already waiting or running, are not asked for again. Interactive: asks once, naming
   * the billed count. Resolves to the ids of the jobs the server accepted at once, or with `dryRun` to
   * the requests that would be sent at once (nothing is sent).
   */
  async generate(file: vscode.Uri, options: GenerateBoardOptions, interactive: boolean): Promise<string[] | RequestPreview[]> {
    const { board } = await this.read(file);
    if (!board.isStoryboard) throw new OmniVideoError('badRequest', vscode.l10n.t('{0} is not a storyboard: its front matter needs the line "omniVideo: storyboard".', path.basename(file.fsPath)));
    if (!board.shots.length) throw new OmniVideoError('badRequest', vscode.l10n.t('{0} has no shots yet: start each shot with a "## " heading, then describe it.', path.basename(file.fsPath)));
    const unknown = (options.shots ?? []).filter((n) => !board.shots.some((s) => s.index === n));
    if (unknown.length) throw new OmniVideoError('badRequest', vscode.l10n.t('The board has no shot {0}: it has {1}.', unknown.join(', '), board.shots.length));
    const plan = this.plan(file, board);
    const busy = (shot: Shot) => ['waiting', 'queued', 'in_progress'].includes(plan.shots[shot.index - 1].state);
    const named = options.shots ? board.shots.filter((s) => options.shots!.includes(s.index)) : undefined;
    const wanted = (named ?? board.shots.filter((s) => options.regenerate || !this.chosenVideo(file, s))).filter((s) => !busy(s));
    const refused = wanted.flatMap((shot) => this.problems(file, shot).map((problem) => vscode.l10n.t('shot {0} ({1}): {2}', shot.index, shot.title, problem)));
    const sendable = wanted.filter((shot) => this.problems(file, shot).length === 0);
    if (refused.length && (!interactive || !sendable.length)) throw new OmniVideoError('badRequest', vscode.l10n.t('Not sent: {0}', refused.join('; ')));
    if (!sendable.length) {
      if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('Omni Video: every shot of {0} has a take or is on its way. Use Regenerate on a shot for a new take.', path.basename(file.fsPath)));
      return [];
    }
    const entries = sendable.map((shot): RunEntry => ({ shot: shot.index, title: shot.title, state: 'waiting', regenerate: options.regenerate || undefined }));
    if (options.dryRun) return this.preview(file, board, entries);
    if (interactive) {
      if (refused.length) void vscode.window.showWarningMessage(vscode.l10n.t('Omni Video: not sent: {0}', refused.join('; ')));
      const what = sendable.length === 1 ? vscode.l10n.t('shot {0} of {1}', sendable[0].index, path.basename(file.fsPath)) : vscode.l10n.t('{0} shots of {1}', sendable.length, path.basename(file.fsPath));
      if (!(await confirmBilling(sendable.length, what))) return [];
    }
    this.setRun(file, [...(this.runs[file.fsPath] ?? []).filter((e) => !entries.some((n) => n.shot === e.shot)), ...entries]);
    return this.advance(file);
  }

  /** Flags that keep a shot from being sent: the parser's, and images that are not there. */
  problems(file: vscode.Uri, shot: Shot): string[] {
    const missing = shot.images.filter((image) => /^[a-z][a-z0-9+.-]*:/i.test(image.path) ? !/^https?:/i.test(image.path) : !existsSync(this.imagePath(file, image.path)));
    return [...shot.problems, ...missing.map((image) => vscode.l10n.t('the image {0} is not there', image.path))];
  }

  /**
   * Makes `video` the chosen take of shot `index` (an undoable edit of the document). The write-backs
   * of a board run one at a time, each computed from the text as it is then: the takes of an unchained
   * board are saved together, and edits made from the same text were refused by VS Code ("changed in
   * the meantime") but the first, which lost their video lines. Takes saved while one is being written
   * are written together next, in one edit.
   */
  useTake(file: vscode.Uri, index: number, video: string): Promise<boolean> {
    // Takes saved while a write is waiting its turn join it: one edit, one save, and one pass of the
    // Markdown extension over the document, for a screenful of takes saved together.
    const waiting = this.takeBatches.get(file.fsPath);
    if (waiting) {
      waiting.takes.set(index, video);
      return waiting.result;
    }
    const takes = new Map([[index, video]]);
    const result = this.inTurn(this.writes, file, () => {
      this.takeBatches.delete(file.fsPath); // begun: later takes wait for the next write
      return this.writeTakes(file, takes);
    });
    this.takeBatches.set(file.fsPath, { takes, result });
    return result;
  }

  /**
   * Runs `task` once the one before it in `line` for the same board has ended, however it ended. The
   * last of a line is forgotten when it ends, so a line holds nothing once its board is idle.
   */
  private inTurn<T>(line: Map<string, Promise<unknown>>, file: vscode.Uri, task: () => Promise<T>): Promise<T> {
    const key = file.fsPath;
    const next = (line.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    line.set(key, next);
    const forget = () => line.get(key) === next && line.delete(key);
    next.then(forget, forget);
    return next;
  }

  private async writeTakes(file: vscode.Uri, takes: ReadonlyMap<number, string>): Promise<boolean> {
    // An edit is refused when the document changed after its text was read (the user typing): read again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { text } = await this.read(file);
      const edits = chooseTakesEdits(text, file.fsPath, takes);
      if (edits.length === 0) return true;
      const document = await vscode.workspace.openTextDocument(file);
      const wasDirty = document.isDirty;
      const workspaceEdit = new vscode.WorkspaceEdit();
      for (const edit of edits) workspaceEdit.replace(file, new vscode.Range(edit.startLine, 0, edit.endLine, 0), edit.text);
      if (await vscode.workspace.applyEdit(workspaceEdit)) {
        // The user's unsaved edits stay unsaved; a document without any is saved, so the take is on disk.
        if (!wasDirty) await document.save();
        this.changed.fire(file);
        return true;
      }
    }
    this.deps.logger.warn(`Storyboard ${path.basename(file.fsPath)}: the video lines of shots ${[...takes.keys()].join(', ')} could not be written; Use This Take writes them.`);
    this.changed.fire(file);
    return false;
  }

  /** After a reload: runs whose create request was under way are settled, then carried on. */
  resume(): void {
    for (const [board, entries] of Object.entries(this.runs)) {
      const file = vscode.Uri.file(board);
      const jobs = this.jobs(file);
      const settled = entries.flatMap((entry): RunEntry[] => {
        if (entry.state !== 'submitting') return [entry];
        const accepted = jobs.some((job) => job.storyboard?.title === entry.title && job.createdAt >= (entry.since ?? 0) - 2000);
        if (accepted) return [];
        return [{ ...entry, state: 'failed', error: vscode.l10n.t('The window closed while this shot was being submitted, so the server may have accepted (and billed) it. It is not sent again: check the jobs in your provider account, then Regenerate if it is not there.') }];
      });
      this.setRun(file, settled);
      void this.advance(file);
    }
  }

  async snapshot(file: vscode.Uri): Promise<StoryboardSnapshot> {
    const { board } = await this.read(file);
    const plan = this.plan(file, board);
    const takes = await this.takes(file, board);
    const chosen = board.shots.map((shot) => this.chosenVideo(file, shot));
    const { film, sidecar } = filmPathsFor(file.fsPath, this.outputDir(file));
    const filmRecord = existsSync(film) ? await readFilmSidecar(sidecar) : undefined;
    return {
      file,
      shots: board.shots.map((shot, i) => {
        const planned = plan.shots[i];
        const video = chosen[i];
        const chosenTake = takes.get(shot.index)?.find((t) => t.file === video);
        return {
          index: shot.index,
          title: shot.title,
          prompt: shot.prompt,
          state: planned.state,
          jobId: planned.job?.id ?? chosenTake?.jobId,
          video: video ? vscode.Uri.file(video) : undefined,
          takes: (takes.get(shot.index) ?? []).map((t) => vscode.Uri.file(t.file)),
          promptChanged: chosenTake !== undefined && chosenTake.prompt.trim() !== shot.prompt.trim(),
          error: planned.error,
        };
      }),
      film: existsSync(film) ? vscode.Uri.file(film) : undefined,
      filmOutOfDate: filmRecord ? filmOutOfDate(filmRecord, filmSidecarPathOf(film), chosen) : undefined,
    };
  }

  /** Submits every shot that is ready, one board at a time; resolves to the ids accepted. */
  advance(file: vscode.Uri): Promise<string[]> {
    return this.inTurn(this.queues, file, () => this.submitReady(file));
  }

  private async submitReady(file: vscode.Uri): Promise<string[]> {
    const accepted: string[] = [];
    const { board } = await this.read(file).catch(() => ({ board: undefined }));
    if (!board) return accepted;
    const plan = this.plan(file, board);
    if (plan.stale.length) this.setRun(file, (this.runs[file.fsPath] ?? []).filter((e) => !plan.stale.includes(e)));
    for (const { shot, after } of plan.ready) {
      this.updateEntry(file, shot, { state: 'submitting', since: Date.now() });
      try {
        const options = await this.shotOptions(file, board, shot, after);
        const job = await this.deps.service.generate(options, false, { file: file.fsPath, shot: shot.index, title: shot.title });
        accepted.push(job.id);
        this.setRun(file, (this.runs[file.fsPath] ?? []).filter((e) => shotOfEntry(board, e) !== shot));
        this.deps.logger.info(`Storyboard ${path.basename(file.fsPath)}: shot ${shot.index} submitted as ${job.id}`);
      } catch (error) {
        this.deps.logger.warn(`Storyboard ${path.basename(file.fsPath)}: shot ${shot.index} was not submitted: ${describeError(error)}`);
        this.updateEntry(file, shot, { state: 'failed', error: describeError(error) });
      }
    }
    return accepted;
  }

  /** What one shot sends: its prose, the board's settings, and its first (and last) frame. */
  private async shotOptions(file: vscode.Uri, board: Storyboard, shot: Shot, after: { video: string } | undefined): Promise<GenerateOptions> {
    const [first, last] = shot.images.map((image) => (/^https?:/i.test(image.path) ? image.path : this.imagePath(file, image.path)));
    const firstImage = first ?? (after ? (await saveLastFrame(this.deps.frames, vscode.Uri.file(after.video), this.deps.logger)).fsPath : undefined);
    const { seconds, aspectRatio, resolution } = board.settings;
    return {
      prompt: shot.prompt,
      ...(seconds ? { seconds } : {}),
      ...(aspectRatio ? { aspectRatio } : {}),
      ...(resolution ? { resolution } : {}),
      ...(firstImage ? { firstImage } : {}),
      ...(last ? { lastImage: last } : {}),
    };
  }

  private async preview(file: vscode.Uri, board: Storyboard, entries: RunEntry[]): Promise<RequestPreview[]> {
    const plan = planBoard(board, this.jobs(file), entries, (shot) => this.chosenVideo(file, shot));
    // Only the shots sent at once, and without a frame to capture first.
    const now = plan.ready.filter((r) => !r.after);
    return Promise.all(
      now.map(async ({ shot }) => {
        const options = await this.shotOptions(file, board, shot, undefined);
        return this.deps.service.preview(await this.deps.service.prepareInputs(options), options);
      }),
    );
  }

  private onJobChanged(job: JobRecord): void {
    const tag = job.storyboard;
    if (!tag) return;
    const file = vscode.Uri.file(tag.file);
    const current = this.deps.store.get(job.id);
    // A take that is done (not one removed from the list) is written back first: until then the board is not settled.
    if (job.phase !== 'tracking' && current?.phase === job.phase) void this.afterTake(file, current);
    this.changed.fire(file);
  }

  /** A take is done: a saved one becomes its shot's chosen take, then what waited on it may start. */
  private async afterTake(file: vscode.Uri, job: JobRecord): Promise<void> {
    this.finishing.set(file.fsPath, (this.finishing.get(file.fsPath) ?? 0) + 1);
    try {
      if (job.phase === 'saved' && job.file) {
        const { board } = await this.read(file);
        const shot = shotOfEntry(board, { shot: job.storyboard!.shot, title: job.storyboard!.title });
        const latest = shot && jobsOfShot(board, shot, this.jobs(file)).at(-1);
        if (shot && latest?.id === job.id) await this.useTake(file, shot.index, job.file);
      }
      await this.advance(file);
    } catch (error) {
      this.deps.logger.error(`Storyboard ${path.basename(file.fsPath)}: ${describeError(error)}`);
    } finally {
      this.finishing.set(file.fsPath, (this.finishing.get(file.fsPath) ?? 1) - 1);
    }
    this.changed.fire(file);
  }

  private updateEntry(file: vscode.Uri, shot: Shot, patch: Partial<RunEntry>): void {
    this.setRun(file, (this.runs[file.fsPath] ?? []).map((e) => (e.shot === shot.index && e.title === shot.title ? { ...e, ...patch } : e)));
  }

  private setRun(file: vscode.Uri, entries: RunEntry[]): void {
    if (entries.length) this.runs[file.fsPath] = entries;
    else delete this.runs[file.fsPath];
    void this.deps.state.update(RUNS_KEY, this.runs);
    this.changed.fire(file);
  }

  /** Forgets a refused shot (its failure is read, and it is asked for again). */
  clearFailed(file: vscode.Uri): void {
    this.setRun(file, (this.runs[file.fsPath] ?? []).filter((e) => e.state !== 'failed'));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
