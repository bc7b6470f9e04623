// A new user's first look, as they see it in the workbench: the Explorer's context menus on an image
// and on a clip, the Get Started walkthrough, and a job running beside a playing preview. These
// screenshots are the ones the README and the walkthrough show.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe, WEBVIEW_START_MS } from './probe';
import { simulator } from './simulatorControl';
import { copyFixture, withoutPreviewOnComplete } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const MENU_ITEMS = '.monaco-menu .action-item .action-label';
const explorerRow = (name: string) => `.explorer-folders-view .monaco-list-row:has-text(${JSON.stringify(name)})`;

async function explorerMenu(file: vscode.Uri, name: string): Promise<string[]> {
  await vscode.commands.executeCommand('revealInExplorer', file);
  await probe.waitFor(() => probe.domText(explorerRow(name)), (rows) => rows.length > 0, `${name} in the Explorer`);
  await probe.rightClick(explorerRow(name));
  return probe.waitFor(() => probe.domText(MENU_ITEMS), (items) => items.length > 0, 'the context menu');
}

async function closeMenu(): Promise<void> {
  await probe.press('Escape');
  await probe.waitFor(() => probe.domText(MENU_ITEMS), (items) => items.length === 0, 'the menu to close');
}

describe('A new user\'s first look', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  let image: vscode.Uri;
  let clip: vscode.Uri;

  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
    image = copyFixture('frame-640x360.png', 'storyboard/harbour-at-dawn.png');
    clip = copyFixture('sample-1280x720-h264-aac.mp4', 'storyboard/take-3.mp4');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await restoreSettings();
  });

  it('right-clicking an image offers to animate it or use it as a reference; a clip, to edit it or preview it', async function () {
    skipWithoutProbe(this);
    const onImage = await explorerMenu(image, 'harbour-at-dawn.png');
    assert.ok(onImage.includes('Generate Video from Image…'), onImage.join(' | '));
    assert.ok(onImage.includes('Generate Video from References…'), onImage.join(' | '));
    assert.ok(!onImage.includes('Interpolate Between Images…'), 'interpolation needs two images');
    assert.ok(!onImage.includes('Edit or Extend Video…'));
    await probe.screenshot('explorer-context-menu-image');
    await closeMenu();
    const onClip = await explorerMenu(clip, 'take-3.mp4');
    assert.ok(onClip.includes('Edit or Extend Video…') && onClip.includes('Open Video Preview'), onClip.join(' | '));
    assert.ok(!onClip.includes('Generate Video from Image…'));
    await closeMenu();
  });

  it('the Get Started walkthrough shows its four steps, each ticked once one of its commands ran', async function () {
    skipWithoutProbe(this);
    // A new user: no key yet when the walkthrough opens.
    await vscode.commands.executeCommand('omniVideo.clearApiKey');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'omni-video.omni-video#omniVideo.gettingStarted', false);
    const steps = ['Set your API key', 'Generate your first video', 'Animate an image', 'Chain clips and find them again'];
    const text = await probe.waitFor(
      () => probe.domText('.gettingStartedContainer'),
      (t) => steps.every((s) => t.join('\n').includes(s)),
      'the walkthrough steps',
    );
    assert.ok(text.join('\n').includes('Get started with Omni Video'));
    // Setting the key checks the first step.
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
    await probe.waitFor(() => probe.domText('button.getting-started-step:has([data-done-step-id].complete)'), (done) => done.some((t) => t.includes('Set your API key')), 'the key step marked done');
    // Each other step ticks once one of its commands ran, however it ran (here from a script, as the
    // suites before this one ran them): the first video, an animated image (a dry run: nothing billed),
    // the gallery.
    // Each webview loaded before the next opens over it and all are closed: closing a webview while it
    // loads can leave code-server's next one blank (docs/test-host.md).
    const loaded = (selector: string, what: string) => probe.waitFor(() => probe.webview(selector, 'text').then(() => true, () => false), (ok) => ok, `${what} loaded`);
    await vscode.commands.executeCommand('omniVideo.openPanel');
    await loaded('#drop-firstImage', 'the panel');
    await vscode.commands.executeCommand('omniVideo.imageToVideo', { prompt: 'Walkthrough check: the image comes alive', firstImage: copyFixture('frame-640x360.png', 'tour/walkthrough.png'), dryRun: true });
    await vscode.commands.executeCommand('omniVideo.openGallery');
    await loaded('#filter', 'the gallery');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'omni-video.omni-video#omniVideo.gettingStarted', false);
    const done = await probe.waitFor(() => probe.domText('button.getting-started-step:has([data-done-step-id].complete)'), (list) => steps.every((s) => list.some((t) => t.includes(s))), 'all four steps ticked', 30_000);
    assert.equal(done.length, 4, done.join(' | '));
    await probe.screenshot('walkthrough');
    await probe.closeAllEditors();
  });

  it('a job runs in the status bar and the jobs view while a finished clip plays beside', async function () {
    skipWithoutProbe(this);
    const first = await api.waitForJob((await api.generate({ prompt: 'Harbour at dawn, fishing boats leave, gulls circle, warm light', seconds: '4', firstImage: image })).id);
    assert.ok(first.file);
    // The clip plays before the job starts: a webview may take up to 30 s to start in code-server
    // (docs/test-host.md), and the job must still be running for the screenshot.
    await probe.closeAllEditors();
    await vscode.commands.executeCommand('omniVideo.openPreview', first.file);
    const playing = () => probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => v.currentTime > 0.3 && !v.paused), 'the clip to play', WEBVIEW_START_MS);
    await playing();
    const config = await simulator.config();
    await simulator.setConfig({ processingMs: 8000 });
    try {
      const running = await api.generate({ prompt: 'The boats return at dusk, lanterns on the water, slow dolly-in', seconds: '8' });
      await vscode.commands.executeCommand('omniVideo.showJobs');
      const bar = await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /Omni Video: 1 generating \d+%/.test(i.text)), 'the job in the status bar');
      assert.ok(bar.some((i) => i.visible && i.text.includes('generating')));
      await playing();
      await probe.screenshot('overview');
      assert.equal((await api.waitForJob(running.id)).status, 'completed'); // nothing left running for the next suite
    } finally {
      await simulator.setConfig({ processingMs: config.processingMs });
    }
  });
});
