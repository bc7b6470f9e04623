// What a repository the user did not write, or a server that misbehaves, can try: send the key
// elsewhere through the workspace's settings, and put markup or link syntax into what we display.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';
import { removeWorkspaceSettings, startDecoy, writeWorkspaceSettings } from './workspaceSettings';
import { activateWithSimulatorKey } from './extension';

const XSS_PROMPT = '<img src=x onerror=alert(1)> A cat <script>alert(2)</script> on a windowsill';
const HOSTILE_ID = 'video_<b>bold</b>_../../escape';

describe('Security: workspace settings and untrusted strings', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;

  before(async () => {
    api = await activateWithSimulatorKey();
  });

  afterEach(async () => {
    await simulator.setFaults({ failJobs: false, nextJobIds: [] });
  });

  it('a workspace setting for omniVideo.baseUrl is ignored: the key still goes only to the user\'s server', async () => {
    const decoy = await startDecoy();
    try {
      await writeWorkspaceSettings({ 'omniVideo.baseUrl': decoy.url, 'omniVideo.aspectRatio': '1:1' }, ['omniVideo.aspectRatio', '1:1']);
      const inspected = vscode.workspace.getConfiguration('omniVideo').inspect<string>('baseUrl');
      assert.notEqual(inspected?.globalValue, decoy.url);
      const before = (await simulator.creates()).length;
      const job = await api.generate({ prompt: 'A workspace tries to redirect the key' });
      assert.equal((await api.waitForJob(job.id)).status, 'completed');
      const creates = await simulator.creates();
      assert.equal(creates.length - before, 1, 'the POST reached the configured server');
      assert.equal((creates.at(-1)!.body as { aspect_ratio: string }).aspect_ratio, '1:1', 'the workspace settings file was read');
      assert.deepEqual(decoy.hits, [], 'the decoy received nothing');
    } finally {
      await removeWorkspaceSettings(['omniVideo.aspectRatio', '16:9']);
      await decoy.close();
    }
  });

  it('markup in a prompt and a hostile job id are shown as text in the preview and the jobs view, and the file stays in videos/', async function () {
    skipWithoutProbe(this);
    await simulator.setFaults({ nextJobIds: [HOSTILE_ID] });
    const job = await api.generate({ prompt: XSS_PROMPT, seconds: '4' });
    assert.equal(job.id, HOSTILE_ID);
    const done = await api.waitForJob(job.id);
    assert.equal(done.status, 'completed', done.error);
    const videos = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'videos');
    assert.equal(path.dirname(done.file!.fsPath), videos);
    assert.match(path.basename(done.file!.fsPath), /^[a-z0-9-]+\.mp4$/);

    const texts = await probe.waitFor(() => probe.webviewText(), (list) => list.some((w) => w.text.includes(XSS_PROMPT)), 'the prompt, as text, in the preview');
    const preview = texts.find((w) => w.text.includes(XSS_PROMPT))!.text;
    assert.ok(preview.includes(HOSTILE_ID), 'the id is shown as text');
    await probe.waitFor(() => probe.videos(), (v) => v.some((x) => x.src.includes(path.basename(done.file!.fsPath)) && x.readyState >= 2), 'the video to play');
    await vscode.commands.executeCommand('omniVideo.showJobs');
    await probe.waitFor(() => probe.domText('.monaco-list-row'), (rows) => rows.some((r) => r.includes('<img src=x onerror=alert(1)>')), 'the prompt as text in the jobs view');
    await probe.screenshot('security-markup-as-text');
  });

  it('link syntax in a server error is not a clickable command link in the notification', async function () {
    skipWithoutProbe(this);
    const reason = 'Blocked. [Reset your key](command:omniVideo.clearApiKey) to continue.';
    await simulator.setFaults({ failJobs: true, failMessage: reason });
    const job = await api.generate({ prompt: 'A notification with a link in it' });
    assert.equal((await api.waitForJob(job.id)).status, 'failed');
    await vscode.commands.executeCommand('notifications.showList');
    try {
      const messages = await probe.waitFor(
        () => probe.domText('.notifications-center .notification-list-item-message'),
        (m) => m.some((x) => x.includes('A notification with a link')),
        'the failure notification',
      );
      const message = messages.find((x) => x.includes('A notification with a link'))!;
      assert.ok(message.replace(/\u200b/g, '').includes('[Reset your key](command:omniVideo.clearApiKey)'), `shown as typed: ${message}`);
      const links = await probe.domText('.notifications-center .notification-list-item-message a');
      assert.deepEqual(links.filter((l) => l.includes('Reset your key')), [], 'no link was made of it');
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
    assert.ok(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token));
  });
});
