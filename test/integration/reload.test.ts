// A window reload while a job runs (docs/product.md: "Jobs survive a window reload: polling resumes on
// the same id"; "Panels are restored after a reload"), in two phases across a real reload
// (windowReload.ts):
//
//   phase 1, at the end of the normal run: a preview of an MP4 is open, a job is submitted and
//   polled; the test asks for the reload and passes. index.ts then reloads the window.
//   phase 2, in the new extension host: the same job id is listed, polled and saved, it was POSTed
//   once, and the preview panel is back and playing.
//
// Keep this file LAST in allTests.ts. The reload happens once the whole phase-1 run is over, so
// tests after this one would run while the job is pending (and one that resets the simulator would
// drop it). Phase 2 runs only the "after the window reload (phase 2)" tests, so nothing else runs twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe, type VideoState } from './probe';
import { simulator, type LoggedRequest } from './simulatorControl';
import { boardText } from './workspaceFiles';
import { PHASE_2_SUITE, isAfterReload, readReloadState, requestReload, type ReloadState } from './windowReload';

const EXTENSION_ID = 'omni-video.omni-video';
/** The MP4 whose preview is open when the window reloads. */
const CLIP_NAME = 'clip-restored-after-reload.mp4';
/** A clip open in the custom editor ("Open With… → Omni Video Preview"), behind the preview. */
const EDITOR_CLIP_NAME = 'clip-in-custom-editor.mp4';
/**
 * The job must still be running when the window reloads (about 1.5 s after it is submitted; the new
 * extension host starts 3-5 s later), and should finish only once the restored preview has loaded
 * (another 4-5 s): a preview webview created while the restored one is still loading can leave the
 * restored one blank (seen in code-server 4.100.3: its script and stylesheet requests fail).
 */
const PROCESSING_MS = 20_000;

/** What phase 1 hands over to phase 2 in the reload marker. */
interface Handover {
  id: string;
  prompt: string;
  clip: string;
  /** Length of the simulator's request log before the job was submitted. */
  requestLogStart: number;
  /** A storyboard whose first shot runs, and whose two chained shots wait, when the window reloads. */
  board: string;
  boardShotId: string;
}

const BOARD_SHOTS = [
  ['Storm', 'Reload board: a lighthouse in a storm, waves break on the rocks, night.'],
  ['Calm', 'Reload board: the storm passes, the sea calms, first light.'],
  ['Morning', 'Reload board: gulls over a quiet harbour, morning sun.'],
] as const;

const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function extensionApi(): Promise<OmniVideoApi> {
  const extension = vscode.extensions.getExtension<OmniVideoApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

function playing(videos: VideoState[], fileName: string): VideoState | undefined {
  return videos.find((v) => v.src.includes(fileName) && v.readyState >= 2 && v.currentTime > 0 && v.error === null);
}

/** Status polls: `GET /v1/videos/{id}` (not `/content`). */
const statusPollId = (r: LoggedRequest): string | undefined =>
  r.origin === 'api' && r.method === 'GET' ? /^\/v1\/videos\/([^/?]+)(\?.*)?$/.exec(r.path)?.[1] : undefined;

describe('Window reload while a job runs', function () {
  this.timeout(120_000);

  if (!isAfterReload()) {
    it('before the reload: a preview is open, a job is submitted and polled, then the window reloads', async function () {
      skipWithoutProbe(this); // a window reload needs the code-server runner: the desktop runner has no probe
      const api = await extensionApi();
      assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);

      // The layout: a text editor on the left (the active group, where the new video's preview will
      // open when the job is saved) and the preview of an existing MP4 on the right.
      const dir = path.join(workspace(), 'reload');
      fs.mkdirSync(dir, { recursive: true });
      const clip = path.join(dir, CLIP_NAME);
      fs.copyFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'sample-1280x720-h264-aac.mp4'), clip);
      const notes = path.join(dir, 'NOTES.md');
      fs.writeFileSync(notes, `# Window reload check\n\nThe preview of ${CLIP_NAME} (right) must come back after the reload.\n`);
      await vscode.commands.executeCommand('workbench.action.closeAllGroups');
      await vscode.window.showTextDocument(vscode.Uri.file(notes), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('workbench.action.newGroupRight');
      assert.equal(vscode.window.tabGroups.activeTabGroup.viewColumn, vscode.ViewColumn.Two, 'a second editor group is active');
      const editorClip = path.join(dir, EDITOR_CLIP_NAME);
      fs.copyFileSync(clip, editorClip);
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(editorClip), 'omniVideo.videoPreview', vscode.ViewColumn.Two);
      await probe.waitFor(() => probe.videos(), (videos) => playing(videos, EDITOR_CLIP_NAME) !== undefined, `the custom editor of ${EDITOR_CLIP_NAME} to play`, 30_000);
      await vscode.commands.executeCommand('omniVideo.openPreview', vscode.Uri.file(clip));
      await probe.waitFor(() => probe.videos(), (videos) => playing(videos, CLIP_NAME) !== undefined, `the preview of ${CLIP_NAME} to play`, 30_000);
      await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      assert.equal(vscode.window.tabGroups.activeTabGroup.viewColumn, vscode.ViewColumn.One);

      // A job that is still running when the window reloads.
      const prompt = `A lighthouse beam sweeping over a stormy sea at night, reload check ${Date.now().toString(36)}`;
      const requestLogStart = (await simulator.requests()).length;
      const original = await simulator.config();
      const board = path.join(dir, 'reload-board.md');
      let id: string;
      let boardShotId: string;
      try {
        await simulator.setConfig({ processingMs: PROCESSING_MS });
        id = await vscode.commands.executeCommand<string>('omniVideo.generate', { prompt });
        // A board mid-run: shot 1 is running; shots 2 and 3 wait for it (they start from its last frame).
        fs.writeFileSync(board, boardText('Reload board', BOARD_SHOTS));
        [boardShotId] = await vscode.commands.executeCommand<string[]>('omniVideo.generateStoryboard', vscode.Uri.file(board), {});
      } finally {
        await simulator.setConfig({ processingMs: original.processingMs }); // a job keeps the timings it was created with
      }
      assert.match(id, /^video_/);
      await probe.waitFor(
        async () => (await simulator.requests()).slice(requestLogStart),
        (log) => log.some((r) => statusPollId(r) === id),
        'a status poll of the job before the reload',
        10_000,
      );
      const job = api.getJob(id);
      assert.ok(job && (job.status === 'queued' || job.status === 'in_progress') && !job.file, `the job is still running: ${JSON.stringify(job)}`);
      await probe.screenshot('before-reload');

      const waiting = await api.getStoryboard(vscode.Uri.file(board));
      assert.ok(['queued', 'in_progress'].includes(waiting.shots[0].state), `shot 1 runs: ${waiting.shots[0].state}`);
      assert.deepEqual(waiting.shots.slice(1).map((s) => s.state), ['waiting', 'waiting'], 'shots 2 and 3 wait');
      const handover: Handover = { id, prompt, clip, requestLogStart, board, boardShotId };
      requestReload(this.test!.fullTitle(), { ...handover });
      console.log(`      job ${id} is ${job.status} (${job.progress}%); the window reloads once this run is over`);
    });
  } else {
    describe(PHASE_2_SUITE, () => {
      let state: ReloadState;
      let handover: Handover;
      let api: OmniVideoApi;
      /** When the simulator finishes the job (ms since the epoch). */
      let finishesAt = 0;

      before(async () => {
        state = readReloadState()!;
        handover = state.data as unknown as Handover;
        assert.ok(handover.id && handover.clip, `the reload marker holds the job: ${JSON.stringify(state.data)}`);
        api = await extensionApi();
      });

      it('runs in a new extension host, and the first one has gone away', async () => {
        assert.ok(state.phase1Pid && state.phase2Pid, 'both extension hosts recorded their pid');
        assert.notEqual(process.pid, state.phase1Pid, 'a new extension host process');
        assert.equal(process.pid, state.phase2Pid);
        await probe.waitFor(
          () => Promise.resolve(isRunning(state.phase1Pid!)),
          (running) => !running,
          `the first extension host (pid ${state.phase1Pid}) to exit`,
          15_000,
        );
      });

      it('lists the job under the same id, restored from workspace state', async () => {
        const job = api.getJob(handover.id);
        assert.ok(job, `job ${handover.id} is listed after the reload: ${JSON.stringify(api.listJobs().map((j) => j.id))}`);
        assert.equal(job.prompt, handover.prompt);
        assert.equal(job.mode, 'text');
        assert.ok(api.listJobs().some((j) => j.id === handover.id));
        // It really was running when the window reloaded: the server finishes it only after that.
        const simJob = (await simulator.jobs()).find((j) => j.id === handover.id);
        assert.ok(simJob, 'the simulator knows the job');
        finishesAt = simJob.createdAtMs + simJob.queuedMs + simJob.processingMs;
        assert.ok(finishesAt > state.reloadAt!, `the job was still running at the reload (ends ${finishesAt - state.reloadAt!} ms after it)`);
        console.log(`      job ${handover.id}: ${job.status} ${job.progress}% at the start of phase 2; the server finishes it ${((finishesAt - state.reloadAt!) / 1000).toFixed(1)} s after the reload was asked for`);
        if (probe.available) {
          // What the user sees: the status bar tracks the job again.
          const items = await probe.waitFor(() => probe.statusBar(), (list) => list.some((i) => /Omni Video: .*(generating \d+%|queued)/.test(i.text)), 'the job in the status bar');
          console.log(`      status bar after the reload: "${items.find((i) => i.text.includes('Omni Video'))!.text}"`);
        }
      });

      it('restores the preview panel of the MP4, playing', async function () {
        skipWithoutProbe(this);
        const tab = vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && t.label === CLIP_NAME);
        assert.ok(tab, `a webview tab "${CLIP_NAME}"; tabs: ${JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)))}`);
        assert.match((tab.input as vscode.TabInputWebview).viewType, /omniVideo\.preview$/);
        assert.equal(tab.group.viewColumn, vscode.ViewColumn.Two, 'in the editor group it was in');
        const videos = await probe.waitFor(() => probe.videos(), (list) => playing(list, CLIP_NAME) !== undefined, `the restored preview of ${CLIP_NAME} to play`, 30_000);
        const first = playing(videos, CLIP_NAME)!;
        assert.equal(first.videoWidth, 1280);
        assert.equal(first.videoHeight, 720);
        assert.doesNotMatch(first.src, /^data:/);
        const later = await probe.waitFor(
          () => probe.videos(),
          (list) => list.some((v) => v.src === first.src && v.currentTime !== first.currentTime),
          'the restored preview to keep playing',
        );
        console.log(
          `      restored preview plays (currentTime ${first.currentTime.toFixed(2)} → ${later.find((v) => v.src === first.src)!.currentTime.toFixed(2)}), ` +
            `${((Date.now() - state.reloadAt!) / 1000).toFixed(1)} s after the reload, ${((finishesAt - Date.now()) / 1000).toFixed(1)} s before the job finishes`,
        );
      });

      it('polls the same id until the job is saved; nothing is submitted or saved twice', async function () {
        const done = await api.waitForJob(handover.id);
        assert.equal(done.status, 'completed', done.error);
        assert.ok(done.file && fs.existsSync(done.file.fsPath), 'the MP4 is saved');
        assert.equal(fs.readFileSync(done.file.fsPath).toString('latin1', 4, 8), 'ftyp');
        const sidecar = JSON.parse(fs.readFileSync(done.file.fsPath.replace(/\.mp4$/, '.json'), 'utf8'));
        assert.equal(sidecar.id, handover.id);
        const saved = fs.readdirSync(path.dirname(done.file.fsPath)).filter((f) => f.endsWith('.mp4') && f.includes(handover.id.slice(-7).toLowerCase()));
        assert.deepEqual(saved, [path.basename(done.file.fsPath)], 'saved once');

        const log = (await simulator.requests()).slice(handover.requestLogStart);
        // The storyboard resumed in the same reload sends its own shots (counted in its test).
        const boardPrompts = new Set<string>(BOARD_SHOTS.map(([, prose]) => prose));
        const creates = log.filter((r) => r.origin === 'api' && r.method === 'POST' && !boardPrompts.has(String((r.body as { prompt?: string })?.prompt)));
        assert.equal(creates.length, 1, `exactly one POST /v1/videos for this job since it was submitted: ${JSON.stringify(creates.map((r) => r.path))}`);
        assert.equal(creates[0].path, '/v1/videos');
        assert.equal((creates[0].body as { prompt?: string }).prompt, handover.prompt);
        const simJobs = (await simulator.jobs()).filter((j) => j.request.prompt === handover.prompt);
        assert.deepEqual(simJobs.map((j) => j.id), [handover.id], 'one job at the server for this prompt');

        const boardJobs = new Set((await simulator.jobs()).filter((j) => boardPrompts.has(String(j.request.prompt))).map((j) => j.id));
        const polls = log.filter((r) => statusPollId(r) !== undefined && !boardJobs.has(statusPollId(r)!));
        assert.deepEqual([...new Set(polls.map(statusPollId))], [handover.id], 'every status poll is for this job (or a shot of the board)');
        const before = polls.filter((r) => r.time < state.reloadAt!);
        const after = polls.filter((r) => r.time >= state.phase2StartedAt!);
        assert.ok(before.length > 0, 'polled before the reload');
        assert.ok(after.length > 0, 'polled again after the reload');
        const contents = log.filter((r) => r.origin === 'api' && r.path.startsWith(`/v1/videos/${handover.id}/content`));
        assert.ok(contents.length > 0, 'the content was fetched');
        assert.ok(
          contents.every((r) => r.time >= state.phase2StartedAt!),
          'downloaded by the new extension host only',
        );
        console.log(`      ${polls.length} status polls of ${handover.id}: ${before.length} before the reload, ${after.length} after it; 1 POST; saved ${path.basename(done.file.fsPath)}`);

        if (!probe.available) {
          return;
        }
        // The new video's preview opens and plays. The restored preview stays open beside it, though a
        // preview the board opens to take a shot's last frame may be in front of it in that group.
        const name = path.basename(done.file.fsPath);
        await probe.waitFor(() => probe.videos(), (list) => playing(list, name) !== undefined, 'the saved video to play', 30_000);
        const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
        assert.ok(tabs.some((label) => label.includes(CLIP_NAME)), `the restored preview is still open: ${tabs.join(' | ')}`);
        await probe.screenshot('after-reload');
      });

      it('the storyboard resumes: its running shot on the same id, the waiting shots once it is saved; 3 POSTs in all', async () => {
        const board = vscode.Uri.file(handover.board);
        const resumed = await api.getStoryboard(board);
        assert.equal(resumed.shots[0].jobId, handover.boardShotId, 'shot 1 is the same job');
        const done = await api.waitForStoryboard(board);
        assert.deepEqual(done.shots.map((s) => s.state), ['saved', 'saved', 'saved'], JSON.stringify(done.shots.map((s) => s.error)));
        const creates = (await simulator.requests()).slice(handover.requestLogStart).filter((r) => r.origin === 'api' && r.method === 'POST' && BOARD_SHOTS.some(([, prose]) => (r.body as { prompt?: string }).prompt === prose));
        assert.deepEqual(creates.map((r) => (r.body as { prompt: string }).prompt), BOARD_SHOTS.map(([, prose]) => prose), 'each shot POSTed once, in order');
        assert.ok(creates[1].time >= state.phase2StartedAt!, 'the waiting shots were sent by the new extension host');
        const text = fs.readFileSync(handover.board, 'utf8');
        assert.equal((text.match(/<video src=/g) ?? []).length, 3, 'each shot has its video line');
      });

      it('restores the custom editor ("Open With… → Omni Video Preview") of the other clip, which plays when shown', async function () {
        skipWithoutProbe(this);
        const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((t) => t.label === EDITOR_CLIP_NAME);
        assert.ok(tab, `a tab "${EDITOR_CLIP_NAME}"; tabs: ${JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)))}`);
        assert.ok(tab.input instanceof vscode.TabInputCustom, 'a custom editor tab');
        assert.equal((tab.input as vscode.TabInputCustom).viewType, 'omniVideo.videoPreview');
        assert.equal(tab.group.viewColumn, vscode.ViewColumn.Two);
        await vscode.commands.executeCommand('vscode.openWith', (tab.input as vscode.TabInputCustom).uri, 'omniVideo.videoPreview', vscode.ViewColumn.Two);
        await probe.waitFor(() => probe.videos(), (list) => playing(list, EDITOR_CLIP_NAME) !== undefined, `the restored custom editor of ${EDITOR_CLIP_NAME} to play`, 30_000);
        const texts = await probe.webviewText();
        assert.ok(texts.some((w) => w.text.includes(EDITOR_CLIP_NAME) && w.text.includes('no Omni Video sidecar')), 'the restored editor shows the file, with no metadata');
      });
    });
  }
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
