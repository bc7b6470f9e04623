// The gallery: every generated video of the workspace with its prompt, from the sidecars; filtered by
// typing, opened with a click, and up to date when a new video is saved.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { copyFixture, fixtures, withoutPreviewOnComplete, writeWorkspaceFile } from './workspaceFiles';
import { simulator } from './simulatorControl';
import { activateWithSimulatorKey } from './extension';

const galleryText = () => probe.webviewText().then((list) => list.find((w) => /\d+ of \d+ videos/.test(w.text))?.text ?? '');

/** The gallery's text once `accept` holds. Its page can take a while to start on a busy machine. */
async function galleryShows(accept: (text: string) => boolean, what: string): Promise<string> {
  return probe.waitFor(galleryText, accept, what, 45_000);
}

/** Videos in the workspace with an Omni Video sidecar beside them: what the gallery must list. */
function generatedVideos(): string[] {
  const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const found: string[] = [];
  for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
    if (!/\.(mp4|mov|webm)$/.test(name)) continue;
    const sidecar = path.join(root, name.replace(/\.[^.]+$/, '.json'));
    try {
      if (JSON.parse(fs.readFileSync(sidecar, 'utf8')).generator === 'omni-video') found.push(name);
    } catch {
      // no sidecar, or not one of ours
    }
  }
  return found;
}

describe('Video gallery', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  let fox: vscode.Uri;
  const foxPrompt = 'Gallery: a red fox leaps through fresh snow, low angle';
  const markupPrompt = 'Gallery: a lighthouse at dusk <img src=x onerror=alert(1)> <b>bold</b>';
  const fadePrompt = 'Gallery: a harbour fades in from black at dawn';
  const hevcPrompt = 'Gallery: an orchard in HEVC, which no poster can show here';
  let hevc: vscode.Uri;

  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
    const jobs = await Promise.all([foxPrompt, markupPrompt].map((prompt) => api.generate({ prompt, seconds: '4' })));
    const done = await Promise.all(jobs.map((job) => api.waitForJob(job.id)));
    fox = done[0].file!;
    // A video that fades in from black: its poster must not be the black first frame.
    const config = await simulator.config();
    await simulator.setConfig({ videoFile: path.join(fixtures, 'fade-in-640x360-h264.mp4') });
    try {
      await api.waitForJob((await api.generate({ prompt: fadePrompt, seconds: '4' })).id);
      // HEVC, which this browser's WebCodecs cannot decode (no hardware decoder): the card shows its video.
      await simulator.setConfig({ videoFile: path.join(fixtures, 'codecs', 'hevc-aac.mp4') });
      hevc = (await api.waitForJob((await api.generate({ prompt: hevcPrompt, seconds: '4' })).id)).file!;
    } finally {
      await simulator.setConfig({ videoFile: config.videoFile });
    }
    // Not listed: a clip without a sidecar, and one whose sidecar is not valid JSON.
    copyFixture('sample-1280x720-h264-aac.mp4', 'clips/plain-gallery-clip.mp4');
    copyFixture('sample-1280x720-h264-aac.mp4', 'clips/broken-gallery-clip.mp4');
    writeWorkspaceFile('clips/broken-gallery-clip.json', '{ "generator": "omni-video", ');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreSettings();
  });

  it('lists every generated video with its prompt (markup as text), newest first, and not clips without a sidecar', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omniVideo.openGallery');
    const expected = generatedVideos().length;
    const text = await galleryShows((t) => t.includes(`${expected} of ${expected} videos`) && !t.includes('Looking for videos'), `"${expected} of ${expected} videos", the scan over`);
    assert.ok(text.includes(foxPrompt), text);
    assert.ok(text.includes(markupPrompt), 'the markup is shown as the text it is');
    assert.ok(!text.includes('plain-gallery-clip') && !text.includes('broken-gallery-clip'), text);
    // Newest first: the first card is the one made last (the run made others before it).
    const firstCard = text.slice(text.indexOf(`${expected} videos`) + `${expected} videos`.length).trim();
    assert.ok(firstCard.startsWith(hevcPrompt), `first card: ${firstCard.slice(0, 80)}`);
    // Each card's picture is a poster: a frame decoded from the video's first packets, no video loaded.
    const foxCard = '.card:has(button.open[aria-label*="red fox leaps"])';
    const [poster] = await probe.waitFor(() => probe.images(foxCard), (images) => images.some((i) => i.src.startsWith('blob:') && i.width > 0), 'the fox poster');
    assert.ok(poster.spread > 2 && poster.mean > 5, `the poster is a picture, not one colour: ${JSON.stringify(poster)}`);
    assert.ok(Math.abs(poster.width / poster.height - 16 / 9) < 0.02, `the video's shape: ${poster.width}×${poster.height}`);
    const foxVideo = (v: { src: string }) => v.src.includes(encodeURIComponent(path.basename(fox.fsPath)));
    assert.ok(!(await probe.videos()).some(foxVideo), 'no video loaded for a poster');
    const [fade] = await probe.waitFor(() => probe.images('.card:has(button.open[aria-label*="fades in from black"])'), (images) => images.some((i) => i.src.startsWith('blob:') && i.width > 0), 'the fade-in poster');
    assert.ok(fade.mean > 40 && fade.spread > 20, `a video that starts black has a poster from half a second in: ${JSON.stringify(fade)}`);
    const hevcCard = '.card:has(button.open[aria-label*="orchard in HEVC"])';
    const fallback = await probe.waitFor(() => probe.videos(), (v) => v.some((x) => x.src.includes(encodeURIComponent(path.basename(hevc.fsPath)))), 'the HEVC card showing its video instead of a poster');
    assert.ok(fallback.some((v) => v.src.endsWith('#t=0.5')), 'loaded as a thumbnail: a frame from the start');
    assert.deepEqual((await probe.images(hevcCard)).map((i) => i.src), [''], 'no poster');
    await probe.screenshot('gallery');
    // Hovering the card plays its clip, silently, over the poster.
    await probe.webview(`${foxCard} button.open`, 'hover');
    const playing = await probe.waitFor(() => probe.videos(), (v) => v.some((x) => foxVideo(x) && !x.paused && x.currentTime > 0.2), 'the fox clip playing on hover');
    assert.ok(playing.filter(foxVideo).every((v) => v.muted && !v.src.startsWith('data:')));
  });

  it('typing in the filter narrows the list; a click opens the video in the preview', async function () {
    skipWithoutProbe(this);
    await probe.webview('#filter', 'fill', { value: 'red FOX snow' });
    const expected = generatedVideos().length;
    const text = await galleryShows((t) => t.includes(`1 of ${expected} videos`), 'one match');
    assert.ok(text.includes(foxPrompt) && !text.includes(markupPrompt), text);
    await probe.webview('#filter', 'fill', { value: 'no such words anywhere' });
    await galleryShows((t) => t.includes('No video matches the filter.'), 'the no-match line');
    await probe.webview('#filter', 'fill', { value: 'red fox' });
    await galleryShows((t) => t.includes(`1 of ${expected} videos`), 'one match again');
    await probe.webview('button.open:has-text("red fox")', 'click');
    await probe.waitFor(async () => vscode.window.tabGroups.activeTabGroup.activeTab?.label, (label) => label === path.basename(fox.fsPath), 'the fox preview to open');
  });

  it('a video saved while the gallery is open appears in it', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('omniVideo.openGallery');
    await galleryShows((t) => /\d+ of \d+ videos/.test(t), 'the gallery'); // brought back: its page loads again
    await probe.webview('#filter', 'fill', { value: '' });
    const prompt = 'Gallery: hot air balloons over a canyon at sunrise';
    await api.waitForJob((await api.generate({ prompt, seconds: '4' })).id);
    const text = await galleryShows((t) => t.includes(prompt), 'the new video in the gallery');
    const expected = generatedVideos().length;
    assert.ok(text.includes(`${expected} of ${expected} videos`), text);
  });
});
