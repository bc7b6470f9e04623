// Chaining clips: "Continue from Last Frame" captures the clip's final frame in the preview's webview,
// saves it as a PNG beside the clip and starts image-to-video from it; "Use as Reference" puts a
// clip into the generation panel. The preview lists what a video was made from, as links.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { closestFrame } from '../support/frames';
import { extensionLogAvailable, readExtensionLog } from './extensionLog';
import { probe, skipWithoutProbe } from './probe';
import { assertDataUriOf, simulator } from './simulatorControl';
import { activateWithSimulatorKey } from './extension';

const title = (step: string) => probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (t) => t.some((x) => x.includes(step)), `the "${step}" step`);

async function webviewShows(text: string): Promise<string> {
  const texts = await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(text)), `"${text}" in a webview`);
  return texts.find((w) => w.text.includes(text))!.text;
}

/** The captured PNG is the clip's last frame: closer to it than to any other, and close in pixels. */
async function assertLastFrameOf(png: string, video: string): Promise<void> {
  const match = await closestFrame(png, video);
  console.log(`      ${path.basename(png)}: closest to frame ${match.index + 1} of ${match.count}, mean difference ${match.distance.toFixed(2)}/255 (first frame: ${match.toFirst.toFixed(2)})`);
  assert.equal(match.index, match.count - 1, `the PNG is closest to frame ${match.index + 1} of ${match.count}, not the last`);
  assert.ok(match.distance < 3, `mean difference to the last frame ${match.distance.toFixed(2)} (tolerance 3)`);
  assert.ok(match.toFirst > match.distance + 1, 'the last frame is told apart from the first');
}

describe('Chaining clips: continue from the last frame, use as reference', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  let clip: vscode.Uri;
  const prompt = 'A paper lantern drifts over a dark lake, slow pan right';

  before(async () => {
    api = await activateWithSimulatorKey();
    const done = await api.waitForJob((await api.generate({ prompt, seconds: '4', aspectRatio: '16:9' })).id);
    assert.ok(done.file);
    clip = done.file;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Continue from Last Frame in the preview: the last frame is saved beside the clip as a PNG and one image-to-video job starts from it', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('omniVideo.openPreview', clip);
    await webviewShows('Continue from Last Frame');
    const before = (await simulator.creates()).length;
    await probe.webview('button:has-text("Continue from Last Frame")', 'click');

    // The prompt starts as the clip's own, to edit; its title names the frame it animates; duration
    // and aspect ratio are the clip's.
    await title(`Animate ${path.basename(clip.fsPath, '.mp4')}-last-frame`);
    await title(': describe the motion (1/3)');
    await probe.press('End');
    await probe.type(' The lantern reaches the far shore.');
    await probe.press('Enter');
    await title('(2/3)');
    const duration = await probe.domText('.quick-input-list .monaco-list-row.focused');
    assert.ok(duration.some((t) => t.includes('4 seconds') && t.includes('as before')), `duration preselected: ${duration}`);
    await probe.press('Enter');
    await title('(3/3)');
    await probe.press('Enter');

    const creates = await probe.waitFor(() => simulator.creates(), (c) => c.length > before, 'the image-to-video POST');
    assert.equal(creates.length - before, 1, 'exactly one POST');
    const png = vscode.Uri.file(clip.fsPath.replace(/\.mp4$/, '-last-frame.png'));
    assert.ok(fs.existsSync(png.fsPath), `${png.fsPath} exists`);
    const body = creates.at(-1)!.body as Record<string, unknown>;
    assert.equal(body.prompt, `${prompt} The lantern reaches the far shore.`);
    assert.equal(body.seconds, '4');
    assert.equal(body.aspect_ratio, '16:9');
    assertDataUriOf(body.first_image_url, png, 'image/png');
    await assertLastFrameOf(png.fsPath, clip.fsPath);
    if (extensionLogAvailable()) {
      // Captured by the webview (a canvas), not by the ffmpeg fallback.
      const log = await probe.waitFor(async () => readExtensionLog(), (t) => t.includes(`saved as ${png.fsPath}`), 'the capture line in the log');
      assert.match(log, /Last frame of \S+ \(1280x720 at [\d.]+ of [\d.]+ s\) saved as/);
    }
    await probe.screenshot('preview-continue-from-last-frame');

    // The new clip's preview says what it was made from, and the link opens the PNG.
    const jobs = api.listJobs().filter((j) => j.mode === 'image' && j.prompt === body.prompt);
    assert.equal(jobs.length, 1);
    const next = await api.waitForJob(jobs[0].id);
    assert.ok(next.file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omniVideo.openPreview', next.file);
    const text = await webviewShows('First frame: '); // under "Made from" (shown upper-case)
    const recorded = vscode.workspace.asRelativePath(png, false);
    assert.ok(text.includes(`First frame: ${recorded}`), text);
    assert.ok(text.includes('Image to video (first frame)'), text);
    assert.ok(text.includes('16:9'), text);
    await probe.webview(`a:has-text("${recorded}")`, 'click');
    await probe.waitFor(async () => vscode.window.tabGroups.activeTabGroup.activeTab?.label, (label) => label === path.basename(png.fsPath), 'the PNG to open in an editor');
  });

  it('scripted with a prompt and no preview open: asks nothing, resolves to the new job id, one POST', async () => {
    const before = (await simulator.creates()).length;
    const id = await vscode.commands.executeCommand<string>('omniVideo.continueFromLastFrame', clip, { prompt: 'The lantern rises into the stars', seconds: '4' });
    assert.match(id, /^video_/);
    const creates = await simulator.creates();
    assert.equal(creates.length - before, 1);
    const png = vscode.Uri.file(clip.fsPath.replace(/\.mp4$/, '-last-frame-2.png'));
    assert.ok(fs.existsSync(png.fsPath), 'a second capture is saved under a new name; the first PNG is kept');
    assertDataUriOf((creates.at(-1)!.body as Record<string, unknown>).first_image_url, png, 'image/png');
    await assertLastFrameOf(png.fsPath, clip.fsPath);
    const done = await api.waitForJob(id);
    assert.equal(done.mode, 'image');
    assert.equal(done.status, 'completed');
  });

  it('refuses media in its options and a missing video with a clear message, and sends nothing', async () => {
    const before = (await simulator.creates()).length;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.continueFromLastFrame', clip, { prompt: 'x', firstImage: clip })), /without media/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.continueFromLastFrame', 'videos/no-such-clip.mp4', { prompt: 'x' })), /no-such-clip\.mp4 does not exist/);
    assert.equal((await simulator.creates()).length, before);
  });

  it('Use as Reference in the preview opens the generation panel with the clip to edit', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('omniVideo.openPreview', clip);
    const name = path.basename(clip.fsPath);
    await webviewShows(name);
    await probe.webview(`body:has-text("${name}") button:has-text("Use as Reference")`, 'click');
    const panel = await webviewShows('Edit or extend a clip');
    assert.ok(panel.includes(name), panel);
    await probe.screenshot('panel-use-as-reference');
  });
});
