// The cost guard as a user meets it: a daily limit that refuses before anything is sent, a dry run
// and Preview Request that send nothing, Show Usage with the count, and a refused prompt explained
// in the preview with the step that fits it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';
import { withoutPreviewOnComplete } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const webviewWith = (pattern: RegExp) => probe.webviewText().then((list) => list.find((w) => pattern.test(w.text))?.text ?? '');

describe('Cost guard: limit, dry run, usage, failures explained', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  const settings = () => vscode.workspace.getConfiguration('omniVideo');

  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete(); // a saved job's preview would open on top of the views looked at
    api = await activateWithSimulatorKey();
  });

  after(async () => {
    await settings().update('dailyLimit', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('pricePerGeneration', undefined, vscode.ConfigurationTarget.Global);
    await simulator.setFaults({ failJobs: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreSettings();
  });

  it('with two generations left today, the third is refused with the limit named, and the simulator sees two POSTs', async () => {
    const limit = api.getUsage().today + 2;
    await settings().update('dailyLimit', limit, vscode.ConfigurationTarget.Global);
    const before = (await simulator.creates()).length;
    for (const prompt of ['Limit: a red kite over dunes', 'Limit: the kite lands']) {
      const id = await vscode.commands.executeCommand<string>('omniVideo.generate', { prompt, seconds: '4' });
      assert.ok(id);
    }
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('omniVideo.generate', { prompt: 'Limit: one too many', seconds: '4' })),
      (error: Error) => new RegExp(`limit of ${limit} generations`).test(error.message) && /nothing was sent/.test(error.message),
    );
    assert.equal((await simulator.creates()).length, before + 2, 'two POSTs');
    assert.equal(api.getUsage().today, limit);
    await settings().update('dailyLimit', undefined, vscode.ConfigurationTarget.Global);
  });

  it('dryRun and Preview Request send nothing and count nothing; the request shows in a read-only JSON editor', async function () {
    const before = (await simulator.creates()).length;
    const usage = api.getUsage().total;
    const options = { prompt: 'Dry run: a glass of water on a windowsill, morning light', seconds: '8', aspectRatio: '9:16' };
    const preview = await vscode.commands.executeCommand<{ method: string; url: string; body: Record<string, unknown> }>('omniVideo.generate', { ...options, dryRun: true });
    assert.equal(preview.method, 'POST');
    assert.match(preview.url, /\/v1\/videos$/);
    assert.deepEqual(preview.body, { model: 'omni-fast', prompt: options.prompt, seconds: '8', aspect_ratio: '9:16' });
    const shown = await vscode.commands.executeCommand<{ body: unknown }>('omniVideo.previewRequest', options);
    assert.deepEqual(shown.body, preview.body);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.scheme, 'omni-video-request');
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), { method: 'POST', url: preview.url, body: preview.body });
    assert.equal(vscode.workspace.fs.isWritableFileSystem('omni-video-request'), undefined, 'no file system can save it: the document is read-only');
    if (probe.available) await probe.screenshot('preview-request');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await simulator.creates()).length, before, 'nothing was sent');
    assert.equal(api.getUsage().total, usage, 'nothing was counted');
  });

  it('Show Usage displays the billed generations of today and in total, with the estimate once a price is set', async function () {
    skipWithoutProbe(this);
    await settings().update('pricePerGeneration', 0.5, vscode.ConfigurationTarget.Global);
    const { today, total } = api.getUsage();
    await vscode.commands.executeCommand('omniVideo.showUsage');
    const text = await probe.waitFor(() => webviewWith(/Billed generations/), (t) => t.includes(`≈ ${(total * 0.5).toFixed(2)}`), 'the usage view with its estimate', 45_000);
    assert.match(text, new RegExp(`Today\\s+${today}\\b`));
    assert.match(text, new RegExp(`In total\\s+${total}\\b`));
    assert.match(text, /The last 30 days/);
    assert.match(text, /Per workspace/);
    await probe.screenshot('usage');
  });

  it('a prompt refused under the content policy: the preview says so with the server\'s words, and Edit Prompt and Regenerate opens the panel with it', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await simulator.setFaults({ failJobs: true, failKind: 'prompt', failMessage: 'Your request was rejected by the safety system: the prompt may violate the content policy.' });
    const prompt = 'Policy: a crowded night market, neon, rain';
    const job = await api.generate({ prompt, seconds: '4' });
    const failed = await api.waitForJob(job.id);
    await simulator.setFaults({ failJobs: false });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failureKind, 'prompt');
    const before = (await simulator.creates()).length;
    await vscode.commands.executeCommand('omniVideo.openPreview', job.id);
    const text = await probe.waitFor(() => webviewWith(/This generation failed/), (t) => t.includes('Edit Prompt and Regenerate'), 'the failure in the preview', 45_000);
    assert.match(text, /The service refused the prompt under its content policy/);
    assert.match(text, /rejected by the safety system/, "the server's words");
    assert.match(text, /billed again/);
    await probe.screenshot('policy-failure-preview');
    await probe.webview('role=button[name="Edit Prompt and Regenerate"]', 'click');
    const value = await probe.waitFor(async () => (await probe.webview('role=textbox[name="Prompt"]', 'values').catch(() => ({ values: [] as string[] }))).values ?? [], (v) => v.includes(prompt), 'the panel with the prompt to edit', 30_000);
    assert.ok(value.includes(prompt));
    assert.equal((await simulator.creates()).length, before, 'opening the panel sends nothing');
  });
});
