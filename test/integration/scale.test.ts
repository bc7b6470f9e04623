// At scale, in the real host: twenty jobs submitted at once, and a workspace of a thousand generated
// videos in the gallery. The figures are printed (time to the first thumbnail, the filter's response,
// the extension host's event-loop delay); the bounds asserted are loose enough for a busy CI machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { makeGeneratedVideos } from '../fixtures/generatedVideos';
import { probe, skipWithoutProbe } from './probe';
import { simulator } from './simulatorControl';
import { fixtures, withoutPreviewOnComplete } from './workspaceFiles';

const COUNT = Number(process.env.OMNI_SCALE_VIDEOS ?? 1000);
const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
/** A gallery card's video (the gallery asks for a frame from the start). */
const isThumbnail = (src: string) => src.endsWith('#t=0.5');

/** The extension host's event-loop delay while `task` runs (1 ms resolution). */
async function eventLoopDuring<T>(task: () => Promise<T>): Promise<{ value: T; p99: number; max: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    const value = await task();
    return { value, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

describe('At scale', function () {
  this.timeout(180_000);
  let api: OmniVideoApi;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
    assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await probe.closeAllEditors();
    await restoreSettings();
  });

  it('twenty jobs at once: the status bar counts them, one poll round per interval covers all, 20 POSTs, 20 distinct files', async function () {
    skipWithoutProbe(this);
    const config = await simulator.config();
    await simulator.setConfig({ processingMs: 5000 });
    const before = (await simulator.requests()).length;
    try {
      const { value: done, p99, max } = await eventLoopDuring(async () => {
        const started = performance.now();
        const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => api.generate({ prompt: `Twenty at once, number ${i + 1}: boats in a row`, seconds: '4' })));
        const bar = await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /Omni Video: 20 (generating|queued)|Omni Video: .*20/.test(i.text)), 'twenty jobs in the status bar');
        console.log(`      status bar: "${bar.find((i) => i.text.includes('Omni Video'))!.text}"`);
        await probe.screenshot('twenty-jobs-status-bar');
        const saved = await Promise.all(jobs.map((job) => api.waitForJob(job.id)));
        console.log(`      20 jobs submitted and saved in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return saved;
      });
      console.log(`      extension host event loop meanwhile: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
      assert.ok(done.every((job) => job.status === 'completed' && job.file), done.map((j) => j.error).join('; '));
      const files = new Set(done.map((job) => job.file!.fsPath));
      assert.equal(files.size, 20, 'twenty distinct files');
      for (const file of files) assert.equal(fs.readFileSync(file).toString('latin1', 4, 8), 'ftyp');

      const log = (await simulator.requests()).slice(before);
      const ids = new Set(done.map((job) => job.id));
      assert.equal(log.filter((r) => r.origin === 'api' && r.method === 'POST').length, 20, 'twenty POSTs');
      // One timer: the status checks come in rounds, one per interval, each asking for every job still running.
      const polls = log.filter((r) => r.origin === 'api' && r.method === 'GET' && /^\/v1\/videos\/[^/]+$/.test(r.path) && ids.has(r.path.split('/').pop()!));
      const rounds: (typeof polls)[] = [];
      for (const poll of polls) {
        const last = rounds.at(-1);
        if (last && poll.time - last[0].time < 400) last.push(poll);
        else rounds.push([poll]);
      }
      const full = rounds.filter((round) => new Set(round.map((r) => r.path)).size === round.length);
      console.log(`      ${polls.length} status checks in ${rounds.length} rounds (sizes ${rounds.map((r) => r.length).join(', ')})`);
      assert.equal(full.length, rounds.length, 'no job is checked twice in a round');
      assert.ok(rounds.length <= 12, `about one round per second while they run, not one timer per job: ${rounds.length} rounds`);
      assert.ok(rounds.some((round) => round.length === 20), 'a round covers all twenty');
    } finally {
      await simulator.setConfig({ processingMs: config.processingMs });
    }
  });

  it(`a gallery of ${COUNT} generated videos: the first thumbnails at once, only those on screen loaded, an instant filter`, async function () {
    skipWithoutProbe(this);
    // In the output folder, where Omni Video saves them (beside the twenty of the test before).
    const folder = path.join(workspace(), 'videos');
    makeGeneratedVideos(folder, COUNT, path.join(fixtures, 'sample-1280x720-h264-aac.mp4'));
    try {
      await probe.closeAllEditors();
      const started = performance.now();
      let firstThumbnailMs = 0;
      let firstCardMs = 0;
      let pageMs = 0;
      const { p99, max } = await eventLoopDuring(async () => {
        const opening = vscode.commands.executeCommand('omniVideo.openGallery');
        await probe.waitFor(() => probe.webview('#filter', 'text').then(() => true, () => false), (ok) => ok, 'the gallery page', 30_000, 50);
        pageMs = performance.now() - started;
        await probe.waitFor(() => probe.webview('.card', 'text').then(() => true, () => false), (ok) => ok, 'the first card', 30_000, 50);
        firstCardMs = performance.now() - started;
        await probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => isThumbnail(v.src) && v.readyState >= 2), 'the first thumbnail', 30_000, 50);
        firstThumbnailMs = performance.now() - started;
        await opening; // resolves once the whole workspace is listed
      });
      // The page has the last state once the count no longer says it is still looking.
      const text = await probe.waitFor(async () => (await probe.webview('#count', 'text')).text ?? '', (t) => /^\d+ of \d+ videos$/.test(t), 'the whole list in the page', 30_000, 50);
      const listedMs = performance.now() - started;
      const [, shown, total] = /(\d+) of (\d+) videos/.exec(text) ?? [];
      assert.ok(Number(total) >= COUNT && shown === total, `every video listed: ${text}`);
      console.log(`      the page up ${pageMs.toFixed(0)} ms, first card ${firstCardMs.toFixed(0)} ms and first thumbnail ${firstThumbnailMs.toFixed(0)} ms after Open Gallery (target ≤ 1000), all ${total} listed after ${listedMs.toFixed(0)} ms`);
      console.log(`      extension host event loop during the first scan: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
      assert.ok(firstThumbnailMs < 5000, `the first thumbnail within 5 s even on a busy machine: ${firstThumbnailMs.toFixed(0)} ms`);
      await probe.screenshot('gallery-1000');

      const loaded = async () => (await probe.videos()).filter((v) => isThumbnail(v.src)).length;
      const onScreen = await loaded();
      console.log(`      thumbnails loaded at the top: ${onScreen}`);
      assert.ok(onScreen > 0 && onScreen <= 60, `only the cards near the view load: ${onScreen}`);
      // Scrolled to the end: those at the top are let go, so the count stays about a screenful.
      await probe.webview('.card', 'scroll');
      await probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => v.src.includes('scale-0000') && v.readyState >= 1), 'the last card loaded', 20_000);
      const atEnd = await probe.waitFor(loaded, (n) => n <= 60, 'thumbnails of the top let go');
      console.log(`      thumbnails loaded at the end: ${atEnd}`);

      // The filter: words that one prompt has.
      const filterStart = performance.now();
      await probe.webview('#filter', 'fill', { value: 'Scale 0421:' });
      const filtered = await probe.waitFor(async () => (await probe.webview('#count', 'text')).text ?? '', (t) => t.startsWith('1 of '), 'the filter to narrow to one', 10_000, 20);
      const filterMs = performance.now() - filterStart;
      console.log(`      filter to 1 of ${total}: ${filterMs.toFixed(0)} ms, round trip from the test included (${filtered})`);
      assert.ok(filterMs < 2000, `the filter answers at once: ${filterMs.toFixed(0)} ms`);
      await probe.webview('#filter', 'fill', { value: '' });
    } finally {
      await probe.closeAllEditors();
      for (const name of fs.readdirSync(folder)) if (/-scale-\d{4}\.(mp4|json)$/.test(name)) fs.rmSync(path.join(folder, name));
    }
  });
});
