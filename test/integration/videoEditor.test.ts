// Videos where users work: any clip opens in our preview ("Open With… → Omni Video Preview") with its
// prompt when we made it; playback is honest about codecs; a selection in the editor is a prompt; a
// saved video goes into a document as a relative reference.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe, WEBVIEW_START_MS, type VideoState } from './probe';
import { simulator } from './simulatorControl';
import { copyFixture, fixtures, withoutPreviewOnComplete } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

let insertTries = 0;
const playing = (videos: VideoState[], name: string) => videos.find((v) => v.src.includes(encodeURIComponent(name)) || v.src.includes(name));

async function previewText(containing: string): Promise<string> {
  const texts = await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(containing)), `"${containing}" in the preview`, WEBVIEW_START_MS);
  return texts.find((w) => w.text.includes(containing))!.text;
}

async function openWithOurEditor(file: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', file, 'omniVideo.videoPreview');
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  assert.ok(tab?.input instanceof vscode.TabInputCustom, `a custom editor tab: ${tab?.label}`);
  assert.equal((tab.input as vscode.TabInputCustom).viewType, 'omniVideo.videoPreview');
}

describe('Videos where users work', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  let restorePreview: () => Promise<void>;

  before(async () => {
    // No preview opens by itself when a video is saved: two saved together are announced when their
    // burst is over, 2 s later, and a preview opening then, during the next test, took the place of the
    // Markdown preview that Insert into Document opens (docs/test-host.md).
    restorePreview = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
  });

  after(async () => {
    await restorePreview();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the built-in preview stays the default editor for .mp4; ours is an option', () => {
    const contributed = vscode.extensions.getExtension('omni-video.omni-video')!.packageJSON.contributes.customEditors;
    assert.deepEqual(contributed.map((e: { viewType: string; priority: string }) => [e.viewType, e.priority]), [['omniVideo.videoPreview', 'option']]);
  });

  it('Open With → Omni Video Preview on a generated clip plays it and shows its prompt and actions', async function () {
    skipWithoutProbe(this);
    const prompt = 'A hummingbird hovering at a red flower, macro, slow motion';
    const job = await api.generate({ prompt, seconds: '4' });
    const done = await api.waitForJob(job.id);
    assert.ok(done.file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openWithOurEditor(done.file);
    const text = await previewText(prompt);
    for (const action of ['Regenerate', 'Insert into Document', 'Reveal in Explorer', 'Copy Prompt']) assert.ok(text.includes(action), `${action} in: ${text}`);
    assert.ok(text.includes(job.id));
    const name = path.basename(done.file.fsPath);
    const videos = await probe.waitFor(() => probe.videos(), (v) => (playing(v, name)?.currentTime ?? 0) > 0, 'the clip to play in the custom editor', WEBVIEW_START_MS);
    assert.equal(playing(videos, name)!.error, null);
    assert.doesNotMatch(text, /without sound|cannot be played/, 'nothing is hidden that this browser plays (H.264 + AAC)');
    await probe.screenshot('custom-editor-generated-clip');
  });

  it('a clip with no sidecar plays with no metadata; AV1 + Opus plays here too (the browser\'s codecs)', async function () {
    skipWithoutProbe(this);
    for (const [fixture, name] of [['codecs/h264-aac.mp4', 'plain-h264-aac.mp4'], ['codecs/av1-opus.mp4', 'plain-av1-opus.mp4']]) {
      if (!fs.existsSync(path.join(fixtures, fixture))) continue;
      const file = copyFixture(fixture, `clips/${name}`);
      await openWithOurEditor(file);
      const text = await previewText(name);
      assert.match(text, /no Omni Video sidecar/);
      assert.ok(!text.includes('Regenerate'), 'nothing to regenerate from');
      assert.doesNotMatch(text, /cannot decode|without sound|may not play/);
      await probe.waitFor(() => probe.videos(), (v) => (playing(v, name)?.currentTime ?? 0) > 0 && playing(v, name)!.error === null, `${name} to play`, WEBVIEW_START_MS);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('an HEVC clip says that its playback depends on the browser, and the webview\'s own result decides', async function () {
    skipWithoutProbe(this);
    if (!fs.existsSync(path.join(fixtures, 'codecs', 'hevc-aac.mp4'))) this.skip();
    const file = copyFixture('codecs/hevc-aac.mp4', 'clips/hevc-aac.mp4');
    await openWithOurEditor(file);
    const text = await previewText('HEVC');
    assert.match(text, /This video uses HEVC \(H\.265\); whether it plays here depends on the browser and the device\./);
    const settled = await probe.waitFor(
      async () => [await probe.videos(), await probe.webviewText()] as const,
      ([videos, texts]) => (playing(videos, 'hevc-aac.mp4')?.readyState ?? 0) >= 2 || texts.some((w) => w.text.includes('cannot be played here')),
      'the HEVC clip to play or say it cannot',
    );
    const video = playing(settled[0], 'hevc-aac.mp4');
    console.log(`      HEVC in this Chromium: ${video && video.readyState >= 2 ? 'plays' : `does not play (error ${video?.error})`}`);
    await probe.screenshot('custom-editor-hevc');
  });

  it('Generate Video from Selection: the selected paragraph, trimmed and editable, is the prompt of exactly one POST', async function () {
    skipWithoutProbe(this);
    const shotList = path.join(workspace(), 'docs', 'shot-list.md');
    fs.mkdirSync(path.dirname(shotList), { recursive: true });
    const shot = 'Shot 3: a red kite rises over a windy beach, the camera tilts up to follow it.';
    fs.writeFileSync(shotList, `# Shot list\n\n   ${shot}   \n\nShot 4: dusk.\n`);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(shotList));
    const line = editor.document.lineAt(2);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);

    const before = (await simulator.creates()).length;
    const submitted = vscode.commands.executeCommand<string | undefined>('omniVideo.generateFromSelection');
    const value = await probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (t) => t.some((x) => x.includes('(1/3)')), 'the prompt step');
    assert.ok(value);
    await probe.press('End');
    await probe.type(' Golden light.');
    await probe.press('Enter');
    await probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (t) => t.some((x) => x.includes('(2/3)')), 'the duration step');
    await probe.press('Enter');
    await probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (t) => t.some((x) => x.includes('(3/3)')), 'the aspect step');
    await probe.press('Enter');
    const id = await submitted;
    assert.match(id ?? '', /^video_/);
    const creates = await simulator.creates();
    assert.equal(creates.length - before, 1, 'exactly one POST');
    assert.equal((creates.at(-1)!.body as { prompt: string }).prompt, `${shot} Golden light.`);

    // Scripted, with an options object: the selection as is, nothing asked.
    const scripted = await vscode.commands.executeCommand<string>('omniVideo.generateFromSelection', { seconds: '4' });
    assert.match(scripted, /^video_/);
    const after = await simulator.creates();
    assert.equal(after.length - before, 2);
    assert.deepEqual(after.at(-1)!.body, { model: 'omni-fast', prompt: shot, seconds: '4', aspect_ratio: '16:9' });
    for (const job of [id!, scripted]) assert.equal((await api.waitForJob(job)).status, 'completed');
  });

  it('Generate Video from Selection refuses an empty or too long selection with a clear message and sends nothing', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: `${'x'.repeat(4001)}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    const before = (await simulator.creates()).length;
    editor.selection = new vscode.Selection(0, 0, 0, 4001);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generateFromSelection', {})), /4001 characters long; a prompt can have at most 4000/);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generateFromSelection', {})), /select the text to use as the prompt/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generateFromSelection', { prompt: 'x' })), /without "prompt"/);
    assert.equal((await simulator.creates()).length, before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Insert into Document puts a relative <video> at the cursor of a Markdown file in a subfolder, and the Markdown preview plays it', async function () {
    const saved = api.listJobs().find((j) => j.file && j.status === 'completed');
    assert.ok(saved?.file, 'an earlier test saved a video');
    if (probe.available) await probe.closeAllEditors();
    // A file of its own for each try: a retried test must not write under the first try's open editor.
    const doc = path.join(workspace(), 'docs', 'story', `chapter-${++insertTries}.md`);
    fs.mkdirSync(path.dirname(doc), { recursive: true });
    fs.writeFileSync(doc, '# Chapter 1\n\nThe opening shot:\n\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(doc));
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    const inserted = await vscode.commands.executeCommand<string>('omniVideo.insertIntoDocument', saved.file);
    const expected = `<video src="../../videos/${path.basename(saved.file.fsPath)}" controls></video>`;
    assert.equal(inserted, expected);
    assert.equal(editor.document.getText(), `# Chapter 1\n\nThe opening shot:\n\n${expected}`);
    await editor.document.save();
    // A plain text file gets the path (an untitled one: relative to the workspace folder).
    const notes = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    await vscode.window.showTextDocument(notes);
    assert.equal(await vscode.commands.executeCommand<string>('omniVideo.insertIntoDocument', saved.file), `videos/${path.basename(saved.file.fsPath)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    if (!probe.available) return;
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('markdown.showPreview');
    const name = path.basename(saved.file.fsPath);
    const videos = await probe.waitFor(() => probe.videos(), (v) => (playing(v, name)?.readyState ?? 0) >= 1, 'the video in the Markdown preview', WEBVIEW_START_MS);
    console.log(`      Markdown preview: <video> readyState ${playing(videos, name)!.readyState}, src ${playing(videos, name)!.src.slice(0, 80)}…`);
    await probe.screenshot('markdown-preview-with-video');
  });
});
