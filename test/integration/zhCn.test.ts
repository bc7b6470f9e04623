// What a user who reads Chinese sees: the runner's zh-cn pass starts VS Code with `--locale zh-cn` and
// a language pack (OMNI_TEST_LOCALE=zh-cn), so package.nls.zh-cn.json and the l10n bundle apply. The
// same flows as the English suite, each checked for our Chinese strings, with screenshots to look at.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe } from './probe';
import { simulator } from './simulatorControl';
import { copyFixture, fixtures, withoutPreviewOnComplete } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const repo = path.resolve(fixtures, '..', '..');
const nls = JSON.parse(fs.readFileSync(path.join(repo, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const bundle = JSON.parse(fs.readFileSync(path.join(repo, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const zh = (english: string) => {
  assert.ok(english in bundle, `"${english}" has a Chinese translation`);
  return bundle[english];
};
/** The text of the webview whose text matches `pattern`. */
const webviewWith = (pattern: RegExp) => probe.webviewText().then((list) => list.find((w) => pattern.test(w.text))?.text ?? '');

if (process.env.OMNI_TEST_LOCALE === 'zh-cn') {
  describe('In Simplified Chinese: what a Chinese-reading user sees', function () {
    this.timeout(180_000);
    let api: OmniVideoApi;
    let restoreSettings: () => Promise<void>;

    before(async () => {
      restoreSettings = await withoutPreviewOnComplete();
      api = await activateWithSimulatorKey();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await restoreSettings();
    });

    it('VS Code runs in zh-cn, and our strings come from the Chinese bundles', () => {
      assert.equal(vscode.env.language, 'zh-cn');
      assert.equal(vscode.l10n.t('Saved'), zh('Saved'));
    });

    it('the command palette finds our commands by their Chinese titles', async () => {
      for (const key of ['command.generate', 'command.openPanel', 'command.newStoryboard', 'command.showUsage']) {
        await probe.press('F1');
        await probe.type(nls[key]);
        const rows = await probe.waitFor(() => probe.domText('.quick-input-list .monaco-list-row'), (r) => r.some((t) => t.includes(`Omni Video: ${nls[key]}`)), `"${nls[key]}" in the palette`);
        if (key === 'command.generate') {
          // Beside the Chinese title VS Code shows the English one, so either finds it.
          assert.ok(rows.some((t) => t.includes('Generate Video from Prompt')), rows.join(' | '));
          await probe.screenshot('zh-cn-palette');
        }
        await probe.press('Escape');
      }
    });

    it('a running job in the status bar and the jobs view, in Chinese', async () => {
      const original = await simulator.config();
      let id: string;
      try {
        await simulator.setConfig({ processingMs: 10_000 });
        id = (await api.generate({ prompt: '中文测试：黄昏时分的灯塔，缓慢推进', seconds: '4' })).id;
      } finally {
        await simulator.setConfig({ processingMs: original.processingMs });
      }
      await vscode.commands.executeCommand('omniVideo.showJobs');
      const generating = zh('{0} generating {1}%').replace('{0}', '1').replace(/\s*\{1\}%/, '');
      const queued = zh('{0} queued').replace('{0}', '1');
      const items = await probe.waitFor(() => probe.statusBar(), (list) => list.some((i) => i.text.includes(generating) || i.text.includes(queued)), 'the job in the status bar, in Chinese');
      assert.ok(items.some((i) => i.text.startsWith('Omni Video')));
      const rows = await probe.waitFor(() => probe.domText('.monaco-list-row'), (r) => r.some((t) => t.includes(zh('Running'))), 'the jobs view groups in Chinese');
      assert.ok(rows.some((t) => t.includes('中文测试')));
      await probe.screenshot('zh-cn-status-bar');
      await api.waitForJob(id);
    });

    it('a refused option says why in Chinese, and nothing is sent', async () => {
      const before = (await simulator.creates()).length;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('omniVideo.generate', { prompt: '中文测试', seconds: '7' })), (error: Error) => error.message.includes(zh('seconds must be "4", "8" or "10".')));
      assert.equal((await simulator.creates()).length, before);
    });

    it('the generation panel: its labels in Chinese, and its four slots in line', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('omniVideo.openPanel');
      const text = await probe.waitFor(() => webviewWith(new RegExp(zh('Generate a video'))), (t) => t.includes(zh('Clip to edit')), 'the panel in Chinese', 45_000);
      for (const label of ['Prompt', 'First frame', 'Last frame', 'References (up to 5)', 'Clip to edit', 'Duration', 'Aspect ratio', 'Preview Request']) {
        assert.ok(text.toLowerCase().includes(zh(label).toLowerCase()), `"${zh(label)}" in the panel`);
      }
      const tops = ((await probe.webview('.drop', 'boxes')).values ?? []).map((box) => Number(box.split(',')[0]));
      assert.equal(tops.length, 4);
      assert.ok(Math.max(...tops) - Math.min(...tops) <= 1, `the four drop zones start at the same height: ${tops.join(', ')}`);
      await probe.screenshot('zh-cn-panel');
    });

    it('the preview lists its rows in Chinese', async () => {
      const clip = copyFixture('sample-1280x720-h264-aac.mp4', 'zh/clip.mp4');
      const job = await api.generate({ prompt: '中文测试：雨夜街道上的纸船', seconds: '8', firstImage: copyFixture('frame-640x360.png', 'zh/first.png') });
      const done = await api.waitForJob(job.id);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('omniVideo.openPreview', done.file);
      const text = await probe.waitFor(() => webviewWith(/纸船/), (t) => t.includes(zh('Mode')) && t.includes(zh('Duration')), 'the preview in Chinese', 45_000);
      for (const label of ['Prompt', 'Mode', 'Duration', 'Made from', 'First frame', 'Continue from Last Frame', 'Regenerate']) {
        assert.ok(text.toLowerCase().includes(zh(label).toLowerCase()), `"${zh(label)}" in the preview`);
      }
      assert.ok(text.includes(zh('the server reported {0} s').replace('{0}', '5')), 'the duration notes are in Chinese too');
      await probe.screenshot('zh-cn-preview');
      assert.ok(fs.existsSync(clip.fsPath));
    });

    it('the Get Started walkthrough shows its steps in Chinese', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'omni-video.omni-video#omniVideo.gettingStarted', false);
      const steps = await probe.waitFor(() => probe.domText('.getting-started-step .step-title'), (t) => t.some((s) => s.includes(nls['walkthrough.setApiKey.title'])), 'the walkthrough in Chinese', 30_000);
      for (const key of ['walkthrough.firstVideo.title', 'walkthrough.animateImage.title', 'walkthrough.chainClips.title']) {
        assert.ok(steps.some((s) => s.includes(nls[key])), `"${nls[key]}" in the walkthrough: ${steps.join(' | ')}`);
      }
      await probe.screenshot('zh-cn-walkthrough');
    });
  });
}
