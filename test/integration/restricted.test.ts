// Restricted Mode: the runner's second pass starts VS Code with workspace trust on and this workspace
// not trusted (OMNI_WORKSPACE_TRUST=restricted). The extension declares limited support: everything
// works, but the workspace's values of the restricted settings (baseUrl, outputDirectory) are ignored.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';
import { startDecoy, writeWorkspaceSettings } from './workspaceSettings';

if (process.env.OMNI_WORKSPACE_TRUST === 'restricted') {
  describe('Restricted Mode (an untrusted workspace)', function () {
    this.timeout(120_000);

    it('the workspace is untrusted, the extension activates and its commands are there', async function () {
      assert.equal(vscode.workspace.isTrusted, false, 'Restricted Mode');
      const api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
      assert.equal(typeof api.generate, 'function');
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['omniVideo.generate', 'omniVideo.imageToVideo', 'omniVideo.openPreview', 'omniVideo.setApiKey']) assert.ok(commands.includes(id), id);
      if (probe.available) {
        await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /Restricted Mode/i.test(i.text + i.ariaLabel)), 'the Restricted Mode indicator');
      }
    });

    it('generating works; the workspace cannot redirect the key or the output folder', async function () {
      skipWithoutProbe(this);
      const api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
      assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
      const decoy = await startDecoy();
      try {
        await writeWorkspaceSettings(
          { 'omniVideo.baseUrl': decoy.url, 'omniVideo.outputDirectory': 'hijacked', 'omniVideo.seconds': '4' },
          ['omniVideo.seconds', '4'],
        );
        assert.equal(vscode.workspace.getConfiguration('omniVideo').get('outputDirectory'), 'videos', 'VS Code ignores the restricted setting');
        const before = (await simulator.creates()).length;
        const job = await api.generate({ prompt: 'Generated in Restricted Mode' });
        const done = await api.waitForJob(job.id);
        assert.equal(done.status, 'completed', done.error);
        const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
        assert.equal(path.dirname(done.file!.fsPath), path.join(root, 'videos'));
        assert.ok(!fs.existsSync(path.join(root, 'hijacked')));
        const creates = await simulator.creates();
        assert.equal(creates.length - before, 1);
        assert.equal((creates.at(-1)!.body as { seconds: string }).seconds, '4', 'an unrestricted workspace setting still applies');
        assert.deepEqual(decoy.hits, []);
        await probe.waitFor(() => probe.videos(), (v) => v.some((x) => x.readyState >= 2 && x.currentTime > 0), 'the preview to play');
        await probe.screenshot('restricted-mode-preview');
      } finally {
        await decoy.close();
      }
    });
  });
}
