// Text-to-video end to end, as a user sees it: palette → job → status bar → jobs view → saved MP4 and
// sidecar → the preview webview playing the video.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';

const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const videosDir = () => path.join(workspace(), 'videos');

async function extensionApi(): Promise<OmniVideoApi> {
  const extension = vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video');
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

async function quickInputTitle(expected: string): Promise<void> {
  await probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (titles) => titles.some((t) => t.includes(expected)), `the "${expected}" input`);
}

describe('Text to video, end to end', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;

  before(async () => {
    api = await extensionApi();
    await simulator.reset();
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
  });

  afterEach(async () => {
    await simulator.setFaults({ failJobs: false });
  });

  it('a prompt typed in the palette flow becomes one job that is saved, listed and played in the editor', async function () {
    skipWithoutProbe(this);
    const prompt = 'Ocean waves gently rolling onto a sandy beach at golden hour, slow dolly-in, cinematic';
    const before = (await simulator.creates()).length;

    // The user runs the command and answers like at the keyboard: type, Enter, Enter, Enter.
    const submitted = vscode.commands.executeCommand<string | undefined>('omniVideo.generate');
    await quickInputTitle('(1/3)');
    await probe.type(prompt);
    await probe.press('Enter');
    await quickInputTitle('(2/3)');
    await probe.press('Enter'); // the default duration
    await quickInputTitle('(3/3)');
    await probe.press('Enter'); // the default aspect ratio
    const id = await submitted;
    assert.ok(id, 'the command resolves to the job id');
    assert.match(id, /^video_/);

    // The status bar shows the job while it runs, queued vs generating with progress.
    const running = await probe.waitFor(
      () => probe.statusBar(),
      (items) => items.some((i) => /Omni Video: .*(generating \d+%|queued)/.test(i.text)),
      'the Omni Video status bar item',
    );
    const item = running.find((i) => i.text.includes('Omni Video'))!;
    console.log(`      status bar while running: "${item.text}"`);
    await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /generating \d+%/.test(i.text)), 'the in-progress state');
    await vscode.commands.executeCommand('omniVideo.showJobs');
    await probe.waitFor(() => probe.domText('.monaco-list-row'), (rows) => rows.some((r) => r.includes('Ocean waves gently rolling')), 'the job in the jobs view');
    await probe.screenshot('status-bar-and-jobs-view-while-generating');

    // It completes: saved into videos/ with its sidecar, exactly one POST.
    const done = await api.waitForJob(id);
    assert.equal(done.status, 'completed', done.error);
    assert.ok(done.file, 'the saved file is reported');
    assert.equal(path.dirname(done.file.fsPath), videosDir());
    const bytes = fs.readFileSync(done.file.fsPath);
    assert.equal(bytes.toString('latin1', 4, 8), 'ftyp', 'an MP4 on disk');
    const sidecar = JSON.parse(fs.readFileSync(done.file.fsPath.replace(/\.mp4$/, '.json'), 'utf8'));
    assert.equal(sidecar.id, id);
    assert.equal(sidecar.prompt, prompt);
    assert.deepEqual(sidecar.request, { model: 'omni-fast', prompt, seconds: '8', aspect_ratio: '16:9' });
    assert.equal(sidecar.job.status, 'completed');
    assert.ok(!JSON.stringify(sidecar).includes(simulator.token), 'no token in the sidecar');
    const creates = await simulator.creates();
    assert.equal(creates.length - before, 1, 'exactly one POST');
    const storageHits = (await simulator.requests()).filter((r) => r.origin === 'storage');
    assert.ok(storageHits.length > 0 && storageHits.every((r) => !r.hasAuthorization), 'no token sent to the storage origin');

    // The preview opens by itself and plays the video: read from the browser side.
    const playing = await probe.waitFor(
      () => probe.videos(),
      (videos) => videos.some((v) => v.readyState >= 2 && v.videoWidth === 1280 && v.videoHeight === 720 && v.currentTime > 0),
      'the preview video to play',
      30_000,
    );
    const first = playing.find((v) => v.videoWidth === 1280)!;
    assert.equal(first.error, null);
    await new Promise((r) => setTimeout(r, 700));
    const later = (await probe.videos()).find((v) => v.src === first.src)!;
    assert.ok(later.currentTime !== first.currentTime, `currentTime advances (${first.currentTime} → ${later.currentTime})`);
    assert.match(first.src, /^(https?|vscode-\w+):/, 'served from the workspace, not inlined');
    assert.doesNotMatch(first.src, /^data:/);
    const texts = await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(prompt)), 'the prompt in the preview');
    const previewText = texts.find((w) => w.text.includes(prompt))!.text;
    assert.ok(previewText.includes(id), 'the job id is shown');
    assert.ok(previewText.includes('1280x720'), 'the size is shown');
    await probe.screenshot('preview-playing');

    // Back to idle: the status bar item is gone.
    await probe.waitFor(() => probe.statusBar(), (items) => !items.some((i) => i.text.includes('Omni Video:')), 'the status bar to go quiet');
  });

  it('a preview hidden behind another editor shows its video and prompt again when brought back', async function () {
    skipWithoutProbe(this);
    const saved = api.listJobs().find((j) => j.file && j.prompt.startsWith('Ocean waves gently rolling'));
    assert.ok(saved?.file, 'the first test saved a video');
    await vscode.commands.executeCommand('omniVideo.openPreview', saved.file);
    await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(saved.prompt)), 'the preview');
    const doc = await vscode.workspace.openTextDocument({ content: 'covering the preview' });
    await vscode.window.showTextDocument(doc, { preview: false });
    await probe.waitFor(() => probe.webviewText(), (list) => !list.some((w) => w.text.includes(saved.prompt)), 'the preview to be hidden');
    await vscode.commands.executeCommand('omniVideo.openPreview', saved.file);
    await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(saved.prompt)), 'the prompt again');
    await probe.waitFor(() => probe.videos(), (v) => v.some((x) => x.src.includes(path.basename(saved.file!.fsPath)) && x.readyState >= 2), 'the video again');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a job with an options object asks nothing, resolves once queued and is saved', async () => {
    const before = (await simulator.creates()).length;
    const id = await vscode.commands.executeCommand<string>('omniVideo.generate', { prompt: 'A paper boat on a rainy street, macro, shallow depth of field', seconds: '4', aspectRatio: '9:16' });
    assert.match(id, /^video_/);
    const queued = api.getJob(id);
    assert.ok(queued && (queued.status === 'queued' || queued.status === 'in_progress'));
    const done = await api.waitForJob(id);
    assert.equal(done.status, 'completed', done.error);
    assert.equal(done.size, '720x1280');
    const creates = await simulator.creates();
    assert.equal(creates.length - before, 1);
    assert.deepEqual(creates.at(-1)?.body, { model: 'omni-fast', prompt: 'A paper boat on a rainy street, macro, shallow depth of field', seconds: '4', aspect_ratio: '9:16' });
    assert.ok(fs.existsSync(done.file!.fsPath));
  });

  it('a failed job shows the server reason and stays listed', async () => {
    await simulator.setFaults({ failJobs: true, failMessage: 'The prompt was blocked by the content policy.' });
    const job = await api.generate({ prompt: 'Something the provider refuses' });
    const done = await api.waitForJob(job.id);
    assert.equal(done.status, 'failed');
    assert.match(done.error ?? '', /blocked by the content policy/);
    assert.ok(api.listJobs().some((j) => j.id === job.id), 'the failed job stays listed');
  });

  it('bad input gets a clear message and sends nothing', async () => {
    const before = (await simulator.creates()).length;
    const cases: [unknown, RegExp][] = [
      [{ prompt: '   ' }, /prompt is empty/],
      [{ prompt: 'Waves', seconds: '7' }, /seconds must be/],
      [{ prompt: 'Waves', aspectRatio: '2:1' }, /aspectRatio must be/],
      [{ prompt: 'Waves', color: 'blue' }, /Unknown option\(s\): color/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generate', options)), message);
    }
    assert.equal((await simulator.creates()).length, before, 'nothing was sent');
  });

  it('without a key a scripted generate fails with a clear message, sends nothing, and works again once the key is set', async () => {
    const before = (await simulator.creates()).length;
    await vscode.commands.executeCommand('omniVideo.clearApiKey');
    try {
      await assert.rejects(api.generate({ prompt: 'No key yet' }), /No API key is set/);
      assert.equal((await simulator.creates()).length, before);
    } finally {
      await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token);
    }
    const job = await api.generate({ prompt: 'Key is back' });
    assert.equal((await api.waitForJob(job.id)).status, 'completed');
  });
});
