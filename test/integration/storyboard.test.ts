// Storyboards as a user meets them: a Markdown shot list with CodeLenses, its shots generated and
// chained from one another's last frames, each take written back as the shot's video line, takes
// compared side by side, and one film assembled without re-encoding, playing with its chapters.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi, StoryboardSnapshot } from '../../src/api/publicApi';
import { probe } from './probe';
import { simulator } from './simulatorControl';
import { boardText, withoutPreviewOnComplete, writeWorkspaceFile } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const SHOTS = [
  ['Dawn', 'Storyboard: fishing boats leave the harbour at dawn, gulls circle, warm light, slow pan right.'],
  ['Open sea', 'Storyboard: the boats cut through grey swell, spray over the bow, handheld camera.'],
  ['Return', 'Storyboard: at dusk the boats return, lanterns on the water, slow dolly-in.'],
] as const;


const lensTexts = () => probe.domText('.contentWidgets .codelens-decoration, .codelens-decoration');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('Storyboards: shots, chaining, takes and a film', function () {
  this.timeout(240_000);
  let api: OmniVideoApi;
  let board: vscode.Uri;
  let restoreSettings: () => Promise<void>;
  let done: StoryboardSnapshot;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
    board = writeWorkspaceFile('boards/harbour.md', boardText('Harbour', SHOTS));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreSettings();
  });

  it('a three-shot chained board: 3 POSTs, shots 2 and 3 start from the last frame before them, each gets its video line', async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(board);
    if (probe.available) {
      const lenses = await probe.waitFor(lensTexts, (t) => t.some((l) => l.includes('Generate 3 shots')), 'the Generate 3 shots lens', 30_000);
      assert.ok(lenses.some((l) => l.includes('3 billed generations')), `the lens names the billed count: ${lenses.join(' | ')}`);
      assert.ok(lenses.filter((l) => l.includes('not generated')).length === 3, 'each shot says it is not generated');
      await probe.screenshot('storyboard-before');
    }
    const before = (await simulator.creates()).length;
    const accepted = await vscode.commands.executeCommand<string[]>('omniVideo.generateStoryboard', board, {});
    assert.equal(accepted.length, 1, 'only shot 1 is sent at once; 2 and 3 wait for the one before');
    const waiting = await api.getStoryboard(board);
    assert.deepEqual(waiting.shots.map((s) => s.state).slice(1), ['waiting', 'waiting']);
    if (probe.available) {
      await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /Harbour: [0-2]\/3 shots/.test(i.text)), 'the board in the status bar');
    }
    done = await api.waitForStoryboard(board);
    assert.deepEqual(done.shots.map((s) => s.state), ['saved', 'saved', 'saved'], JSON.stringify(done.shots.map((s) => s.error)));
    const creates = (await simulator.creates()).slice(before);
    assert.equal(creates.length, 3, 'exactly 3 POSTs');
    assert.deepEqual(creates.map((c) => (c.body as { prompt: string }).prompt), SHOTS.map(([, prose]) => prose));
    assert.equal((creates[0].body as Record<string, unknown>).first_image_url, undefined, 'shot 1 starts from nothing');
    for (const i of [1, 2]) {
      const previous = done.shots[i - 1].video!.fsPath;
      const frame = previous.replace(/\.mp4$/, '-last-frame.png');
      assert.ok(fs.existsSync(frame), `the last frame of shot ${i} is saved beside it`);
      const sent = (creates[i].body as { first_image_url: { mime: string; sha256: string } }).first_image_url;
      assert.equal(sent.mime, 'image/png');
      assert.equal(sent.sha256, sha256(frame), `shot ${i + 1} sends the last frame of shot ${i}`);
    }
    const text = fs.readFileSync(board.fsPath, 'utf8');
    for (const shot of done.shots) {
      const src = path.relative(path.dirname(board.fsPath), shot.video!.fsPath).split(path.sep).map(encodeURIComponent).join('/');
      assert.ok(text.includes(`<video src="${src}" controls></video>`), `shot ${shot.index} has its video line`);
      assert.equal(shot.takes.length, 1);
      assert.equal(shot.promptChanged, false);
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === board.fsPath)!;
    assert.equal(document.isDirty, false, 'written back and saved');
    if (probe.available) {
      await vscode.window.showTextDocument(board);
      await probe.waitFor(lensTexts, (t) => t.filter((l) => l.includes('saved')).length === 3 && t.some((l) => l.includes('Assemble Film')), 'the lenses to show three saved shots and Assemble Film', 30_000);
      await probe.screenshot('storyboard-saved');
    }
  });

  it('Assemble Film joins the takes without re-encoding; the film plays in the preview with one chapter per shot', async function () {
    const film = await vscode.commands.executeCommand<vscode.Uri>('omniVideo.assembleFilm', board);
    assert.ok(film && fs.existsSync(film.fsPath));
    assert.equal(path.basename(film.fsPath), 'harbour-film.mp4');
    const sidecar = JSON.parse(fs.readFileSync(film.fsPath.replace(/\.mp4$/, '.json'), 'utf8'));
    assert.equal(sidecar.method, 'copy');
    assert.deepEqual(sidecar.shots.map((s: { title: string }) => s.title), SHOTS.map(([title]) => title));
    assert.deepEqual(sidecar.shots.map((s: { jobId: string }) => s.jobId), done.shots.map((s) => s.jobId));
    assert.ok(sidecar.shots[1].start > 0 && sidecar.duration > sidecar.shots[2].start);
    const snapshot = await api.getStoryboard(board);
    assert.equal(snapshot.film?.fsPath, film.fsPath);
    assert.equal(snapshot.filmOutOfDate, false);
    if (!probe.available) return;
    const text = await probe.waitFor(() => probe.webviewText().then((list) => list.find((w) => w.text.includes('harbour-film.mp4'))?.text ?? ''), (t) => /chapters/i.test(t), 'the film in the preview with its chapters', 45_000);
    for (const [title] of SHOTS) assert.ok(text.includes(title), `the chapter "${title}" is listed`);
    await probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => v.src.includes('harbour-film.mp4') && v.currentTime > 0.3 && !v.paused), 'the film to play', 30_000);
    await probe.webview('button.chapter >> nth=2', 'click');
    const seeked = await probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => v.src.includes('harbour-film.mp4') && v.currentTime >= sidecar.shots[2].start), 'a click on the third chapter to seek to it');
    assert.ok(seeked.length);
    await probe.screenshot('film-chapters');
  });

  it('Regenerate a shot: a new take beside the earlier one, the film out of date; Compare Takes plays both in step; Use This Take rewrites the line', async function () {
    const before = (await simulator.creates()).length;
    const ids = await vscode.commands.executeCommand<string[]>('omniVideo.generateStoryboard', board, { shots: [2], regenerate: true });
    assert.equal(ids.length, 1);
    const regenerated = await api.waitForStoryboard(board);
    assert.equal((await simulator.creates()).length, before + 1, 'one POST');
    const shot = regenerated.shots[1];
    assert.equal(shot.takes.length, 2, 'the earlier take stays');
    assert.ok(shot.takes.every((t) => fs.existsSync(t.fsPath)));
    assert.equal(shot.video?.fsPath, shot.takes[1].fsPath, 'the new take is chosen');
    assert.equal(regenerated.filmOutOfDate, true);
    if (!probe.available) return;
    await vscode.commands.executeCommand('omniVideo.compareTakes', board, 2);
    await probe.waitFor(() => probe.videos(), (videos) => videos.filter((v) => v.readyState >= 2).length >= 2, 'both takes loaded', 45_000);
    await probe.webview('#playPause', 'click');
    const inStep = await probe.waitFor(
      () => probe.videos(),
      (videos) => {
        const pair = videos.filter((v) => shot.takes.some((t) => v.src.includes(path.basename(t.fsPath))));
        return pair.length === 2 && pair.every((v) => !v.paused && v.currentTime > 0.6) && Math.abs(pair[0].currentTime - pair[1].currentTime) < 0.06;
      },
      'the two takes to play in step',
      30_000,
    );
    const pair = inStep.filter((v) => shot.takes.some((t) => v.src.includes(path.basename(t.fsPath))));
    console.log(`      takes in step: ${pair.map((v) => v.currentTime.toFixed(3)).join(' and ')}`);
    await probe.screenshot('compare-takes');
    await probe.webview('button:has-text("Use This Take")', 'click');
    await probe.waitFor(async () => (await api.getStoryboard(board)).shots[1].video?.fsPath, (video) => video === shot.takes[0].fsPath, 'the earlier take to be chosen again');
    assert.ok(fs.readFileSync(board.fsPath, 'utf8').includes(encodeURIComponent(path.basename(shot.takes[0].fsPath))));
  });

  it('a shot without prose or with a missing image is flagged and never sent; an empty board says how to start', async function () {
    const flawed = writeWorkspaceFile('boards/flawed.md', boardText('Flawed', [['Silent', ''], ['Lost', '![first](missing.png)\nA boat.']]));
    const before = (await simulator.creates()).length;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generateStoryboard', flawed, {})), (error: Error) => /shot 1 \(Silent\): This shot has no prose/.test(error.message) && /shot 2 \(Lost\): the image missing\.png is not there/.test(error.message));
    const empty = writeWorkspaceFile('boards/empty.md', '---\nomniVideo: storyboard\n---\n# Nothing yet\n');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generateStoryboard', empty, {})), /no shots yet: start each shot with a "## " heading/);
    assert.equal((await simulator.creates()).length, before, 'nothing was sent');
    if (!probe.available) return;
    await vscode.window.showTextDocument(flawed);
    await probe.waitFor(lensTexts, (t) => t.some((l) => l.includes('Not sent') && l.includes('no prose')) && t.some((l) => l.includes('missing.png')), 'the flags on the lenses', 30_000);
    await vscode.window.showTextDocument(empty);
    await probe.waitFor(lensTexts, (t) => t.some((l) => l.includes('No shots yet')), 'the empty board lens', 30_000);
  });
});
