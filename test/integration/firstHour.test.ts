// What a new user is told in the first hour: where the key is kept and which address it goes to,
// what Clear API Key leaves in use, which server refused a key, where requests go when that is not
// the provider, and a "Video saved" note that offers Open Preview only when no preview shows it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';

const API_KEY_ENV = 'OMNI_VIDEO_API_KEY';
const host = () => new URL(vscode.workspace.getConfiguration('omniVideo').get<string>('baseUrl')!).host;
const TOASTS = '.notifications-toasts .notification-toast';

async function toast(text: string): Promise<string> {
  const toasts = await probe.waitFor(() => probe.domText(TOASTS), (t) => t.some((x) => x.includes(text)), `a notification saying "${text}"`, 10_000);
  return toasts.find((x) => x.includes(text))!;
}

async function inputBox(text: string): Promise<void> {
  await probe.waitFor(() => probe.domText('.quick-input-widget'), (t) => t.some((x) => x.includes(text)), `an input box saying "${text}"`);
}

describe("What a new user is told in the first hour", function () {
  this.timeout(120_000);
  let api: OmniVideoApi;

  before(async () => {
    api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    delete process.env[API_KEY_ENV];
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
  });

  it('Set API Key, typed in its input box, says where the key is kept and the only address it is sent to', async function () {
    skipWithoutProbe(this);
    const saved = vscode.commands.executeCommand<boolean>('omniVideo.setApiKey');
    await inputBox("kept in VS Code's secret storage");
    await probe.type(simulator.token);
    await probe.press('Enter');
    assert.equal(await saved, true);
    const message = await toast('secret storage');
    assert.ok(message.includes(`It is sent only to ${host()}`), message);
    assert.ok(!message.includes(simulator.token), 'the key itself is never shown');
  });

  it('Clear API Key says it is removed, and names the environment variable whose key is still used', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('omniVideo.clearApiKey');
    const plain = await toast('removed from the secret storage');
    assert.ok(!plain.includes(API_KEY_ENV), plain);
    await vscode.commands.executeCommand('notifications.clearAll');

    process.env[API_KEY_ENV] = simulator.token;
    await vscode.commands.executeCommand('omniVideo.clearApiKey');
    const withEnvironment = await toast(`The key from the environment variable ${API_KEY_ENV} is still used`);
    assert.ok(!withEnvironment.includes(simulator.token), withEnvironment);
    // And it is: with nothing in the secret storage, a video is accepted with the environment's key.
    const creates = (await simulator.creates()).length;
    const job = await api.generate({ prompt: 'The key from the environment', seconds: '4' });
    assert.deepEqual((await simulator.creates()).slice(creates).map((r) => r.status), [200]);
    await api.waitForJob(job.id);
  });

  it('a refused key: the re-prompt names the address that refused it, and a valid key there sends the video once', async function () {
    skipWithoutProbe(this);
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', 'sk-not-the-right-key'), true);
    const creates = (await simulator.creates()).length;
    const submitted = vscode.commands.executeCommand<string | undefined>('omniVideo.generate');
    await inputBox('(1/3)');
    await probe.type('A refused key, then the right one');
    await probe.press('Enter');
    await inputBox('(2/3)');
    await probe.press('Enter');
    await inputBox('(3/3)');
    await probe.press('Enter');
    await inputBox(`${host()} (omniVideo.baseUrl) refused the API key`);
    await probe.screenshot('refused-key-reprompt');
    await probe.type(simulator.token);
    await probe.press('Enter');
    const id = await submitted;
    assert.match(String(id), /^video_/);
    const sent = (await simulator.creates()).slice(creates);
    assert.deepEqual(sent.map((r) => r.status), [401, 200], 'refused once, then accepted once');
    await api.waitForJob(id!);
  });

  it('when requests go to another server, the jobs view and the status bar say which; Video saved offers Open Preview only when no preview shows it', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omniVideo.showJobs');
    await probe.waitFor(() => probe.domText('.pane-header .description, .composite.title .description, .title-description'), (t) => t.some((x) => x.includes(host())), 'the jobs view naming the host');

    const config = await simulator.config();
    const settings = vscode.workspace.getConfiguration('omniVideo');
    const previewBefore = settings.inspect<boolean>('openPreviewOnComplete')?.globalValue;
    await simulator.setConfig({ processingMs: 4000 });
    const started: string[] = [];
    try {
      // The preview opens by itself when the video is saved: the note offers only Reveal in Explorer.
      await settings.update('openPreviewOnComplete', true, vscode.ConfigurationTarget.Global);
      const running = await api.generate({ prompt: 'Saved note check: the preview opens itself', seconds: '4' });
      started.push(running.id);
      const bar = await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => i.text.includes('Omni Video: 1')), 'the job in the status bar');
      const item = bar.find((i) => i.text.includes('Omni Video: 1'))!;
      const tooltip = (await probe.hover(`.part.statusbar [id="${item.id}"]`)).replace(/\s+/g, ' ');
      assert.ok(tooltip.includes(`Requests go to ${host()} (omniVideo.baseUrl)`), `${JSON.stringify(tooltip)} names ${host()}`);
      await probe.press('Escape');
      const done = await api.waitForJob(running.id);
      const opened = await toast(`Video saved: ${done.file!.path.split('/').pop()}`);
      assert.ok(opened.includes('Reveal in Explorer') && !opened.includes('Open Preview'), opened);
      await probe.waitFor(() => probe.videos(), (videos) => videos.length > 0, 'the preview that opened itself');
      await vscode.commands.executeCommand('notifications.clearAll');

      // Nothing shows it: Open Preview is offered, and opens it.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await settings.update('openPreviewOnComplete', false, vscode.ConfigurationTarget.Global);
      const next = await api.generate({ prompt: 'Saved note check: nothing shows it', seconds: '4' });
      started.push(next.id);
      const second = await api.waitForJob(next.id);
      const offered = await toast(`Video saved: ${second.file!.path.split('/').pop()}`);
      assert.ok(offered.includes('Open Preview') && offered.includes('Reveal in Explorer'), offered);
      await probe.screenshot('video-saved-open-preview');
    } finally {
      // Nothing of this test opens a preview over the next one.
      for (const id of started) await api.waitForJob(id).catch(() => undefined);
      await settings.update('openPreviewOnComplete', previewBefore, vscode.ConfigurationTarget.Global);
      await simulator.setConfig({ processingMs: config.processingMs });
      await probe.closeAllEditors();
    }
  });
});
