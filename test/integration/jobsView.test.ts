// The jobs view as a user drives it: right-click a row, pick an action from its context menu, answer
// the confirmation. What the simulator received (POST count and body) and what is on disk decide.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';

const ROW = '.monaco-list-row';
const row = (label: string) => `${ROW}:has-text(${JSON.stringify(label)})`;
const MENU_ITEMS = '.monaco-menu .action-item .action-label';

async function extensionApi(): Promise<OmniVideoApi> {
  return vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
}

async function rowsOfJobsView(): Promise<string[]> {
  return probe.domText(`.pane:has(.pane-header[aria-label*="Jobs"]) ${ROW}`);
}

/** Right-clicks the job's row, once it shows `state`, and returns the labels of its context menu. */
async function openContextMenu(label: string, state: string): Promise<string[]> {
  await vscode.commands.executeCommand('omniVideo.showJobs');
  await probe.waitFor(rowsOfJobsView, (rows) => rows.some((r) => r.includes(label) && r.includes(state)), `"${label}" (${state}) in the jobs view`);
  await probe.rightClick(row(label));
  return probe.waitFor(() => probe.domText(MENU_ITEMS), (items) => items.length > 0, 'the context menu');
}

async function closeContextMenu(): Promise<void> {
  await probe.press('Escape');
  await probe.waitFor(() => probe.domText(MENU_ITEMS), (items) => items.length === 0, 'the context menu to close');
}

/** Picks an item of the open context menu from the keyboard (arrows past the separators, then Enter). */
async function chooseMenuItem(item: string): Promise<void> {
  const items = (await probe.domText(MENU_ITEMS)).filter((label) => label !== '');
  const index = items.indexOf(item);
  assert.ok(index >= 0, `"${item}" in the menu: ${items.join(' | ')}`);
  for (let i = 0; i <= index; i++) await probe.press('ArrowDown');
  const focused = await probe.domText('.monaco-menu .action-item.focused .action-label');
  assert.deepEqual(focused, [item], 'the item has focus');
  await probe.press('Enter');
}

/**
 * VS Code refuses modal dialogs while extension tests run ("DialogService: refused to show dialog in
 * tests"), so the suite answers the next modal itself: the extension and this suite share one `vscode`
 * API object. Non-modal messages pass through. Resolves to the modal's message once it was asked.
 */
function answerNextModal(button: string | undefined): Promise<string> {
  const window = vscode.window as unknown as Record<string, (...args: unknown[]) => Thenable<unknown>>;
  const kinds = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;
  const originals = Object.fromEntries(kinds.map((k) => [k, window[k]]));
  const restore = () => kinds.forEach((k) => (window[k] = originals[k]));
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      restore();
      reject(new Error('no modal dialog was asked within 20 s'));
    }, 20_000);
    for (const kind of kinds) {
      window[kind] = (message: unknown, ...rest: unknown[]) => {
        const options = rest[0] as { modal?: boolean } | undefined;
        if (!options || typeof options !== 'object' || !options.modal) return originals[kind].call(vscode.window, message, ...rest);
        clearTimeout(timer);
        restore();
        const buttons = rest.slice(1).map(String);
        assert.ok(button === undefined || buttons.includes(button), `"${button}" among the buttons: ${buttons.join(', ')}`);
        resolve(String(message));
        return Promise.resolve(button);
      };
    }
  });
}

describe('Jobs view actions', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;

  before(async () => {
    api = await extensionApi();
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
  });

  afterEach(async () => {
    await simulator.setFaults({ failJobs: false });
    await probe.press('Escape').catch(() => undefined);
  });

  it('a failed job is listed under "Needs attention" with the reason; Regenerate asks first, Cancel sends nothing, Regenerate sends the same request once', async function () {
    skipWithoutProbe(this);
    const prompt = 'Lighthouse in a storm';
    await simulator.setFaults({ failJobs: true, failMessage: 'The prompt was blocked by the content policy.' });
    const first = await api.generate({ prompt, seconds: '4', aspectRatio: '1:1' });
    const failed = await api.waitForJob(first.id);
    assert.equal(failed.status, 'failed');
    await simulator.setFaults({ failJobs: false });
    const firstBody = (await simulator.creates()).at(-1)!.body;

    const menu = await openContextMenu(prompt, 'Failed');
    assert.ok(menu.includes('Regenerate') && menu.includes('Copy Prompt') && menu.includes('Remove from List'), `menu: ${menu.join(' | ')}`);
    assert.ok(!menu.includes('Stop Tracking'), 'a finished job offers Remove, not Stop Tracking');
    await closeContextMenu();
    const rows = await rowsOfJobsView();
    assert.ok(rows.some((r) => /Needs attention/.test(r)), `grouped: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => r.includes(prompt) && r.includes('Failed')), 'the row says Failed');
    const tooltip = (await probe.hover(row(prompt))).replace(/\s+/g, ' ');
    assert.match(tooltip, /blocked by the content policy/, `the server reason is in the tooltip: "${tooltip}"`);

    const before = (await simulator.creates()).length;
    await openContextMenu(prompt, 'Failed');
    let asked = answerNextModal(undefined); // Cancel, Escape or closing the dialog
    await chooseMenuItem('Regenerate');
    const question = await asked;
    assert.match(question, /billed again/, 'the dialog says it is billed again');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await simulator.creates()).length, before, 'Cancel sends nothing');

    await openContextMenu(prompt, 'Failed');
    asked = answerNextModal('Regenerate');
    await chooseMenuItem('Regenerate');
    await asked;
    const creates = await probe.waitFor(() => simulator.creates(), (list) => list.length === before + 1, 'one new POST');
    assert.deepEqual(creates.at(-1)!.body, firstBody, 'the same request');
    const again = api.listJobs().find((j) => j.prompt === prompt && j.id !== first.id);
    assert.ok(again, 'a new job is listed');
    assert.equal((await api.waitForJob(again.id)).status, 'completed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await simulator.creates()).length, before + 1, 'exactly one POST');
  });

  it('Remove from List takes a saved job off the list and keeps its video and sidecar on disk', async function () {
    skipWithoutProbe(this);
    const prompt = 'Kites over a green hill';
    const job = await api.generate({ prompt, seconds: '4' });
    const saved = await api.waitForJob(job.id);
    assert.ok(saved.file);
    const menu = await openContextMenu(prompt, 'Saved');
    assert.ok(menu.includes('Remove from List') && !menu.includes('Stop Tracking'), `menu: ${menu.join(' | ')}`);
    await chooseMenuItem('Remove from List');
    await probe.waitFor(rowsOfJobsView, (rows) => !rows.some((r) => r.includes(prompt)), 'the row to go');
    assert.equal(api.getJob(job.id), undefined);
    assert.ok(fs.existsSync(saved.file.fsPath), 'the video stays');
    assert.ok(fs.existsSync(saved.file.fsPath.replace(/\.mp4$/, '.json')), 'the sidecar stays');
  });

  it('Stop Tracking a running job asks first; Cancel keeps it tracked', async function () {
    skipWithoutProbe(this);
    const config = await simulator.config();
    await simulator.setConfig({ queuedMs: 60_000 });
    try {
      const prompt = 'Snow falling on a quiet town';
      const job = await api.generate({ prompt, seconds: '4' });
      const menu = await openContextMenu(prompt, 'Queued');
      assert.ok(menu.includes('Stop Tracking') && !menu.includes('Remove from List'), `menu: ${menu.join(' | ')}`);
      const asked = answerNextModal(undefined);
      await chooseMenuItem('Stop Tracking');
      const question = await asked;
      assert.match(question, /billed/);
      assert.ok(api.getJob(job.id), 'still tracked');
      await openContextMenu(prompt, 'Queued');
      const confirmed = answerNextModal('Stop Tracking');
      await chooseMenuItem('Stop Tracking');
      await confirmed;
      await probe.waitFor(rowsOfJobsView, (rows) => !rows.some((r) => r.includes(prompt)), 'the row to go');
      assert.equal(api.getJob(job.id), undefined);
    } finally {
      await simulator.setConfig({ queuedMs: config.queuedMs });
    }
  });

  it('Clear Finished Jobs in the view title leaves running jobs and every file', async function () {
    skipWithoutProbe(this);
    const finished = api.listJobs().filter((j) => j.status === 'completed' || j.status === 'failed');
    assert.ok(finished.length > 0, 'earlier tests left finished jobs');
    await vscode.commands.executeCommand('omniVideo.showJobs');
    // Like a mouse: the title actions show while the pointer is over the view.
    await probe.hover(ROW);
    await probe.click('.action-label[aria-label="Clear Finished Jobs"]:visible');
    await probe.waitFor(async () => api.listJobs(), (jobs) => jobs.every((j) => j.status !== 'completed' && j.status !== 'failed'), 'finished jobs to go');
    for (const job of finished) if (job.file) assert.ok(fs.existsSync(job.file.fsPath), `${job.file.fsPath} stays`);
  });
});
