// A long session, in the real host: many jobs through the simulator, and many opens and closes of the
// preview, the panel and the gallery. The extension host's heap (after a full GC), its count of
// active handles (timers, sockets, watchers), and our live listeners and disposables (the job list's
// listeners, the webview hosts and what they hold) are read before and after, and must not grow
// beyond a bound. CI runs a small version (20 jobs, 3 opens of each); `npm run soak` the long one (200 jobs,
// 100 opens of each).
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { LIVE_OBJECTS_COMMAND } from '../../src/shared/ids';
import type { LiveObjects } from '../../src/webview/liveObjects';
import { probe, skipWithoutProbe, WEBVIEW_START_MS } from './probe';
import { withoutPreviewOnComplete } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const JOBS = Number(process.env.OMNI_SOAK_JOBS ?? 20);
const OPENS = Number(process.env.OMNI_SOAK_OPENS ?? 3);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The extension host's heap after full collections, and its active handles. */
async function footprint(): Promise<{ heapMb: number; handles: number; live: LiveObjects }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  const live = (await vscode.commands.executeCommand<LiveObjects>(LIVE_OBJECTS_COMMAND))!;
  return { heapMb: process.memoryUsage().heapUsed / 1e6, handles, live };
}

const describeLive = (live: LiveObjects) => `${live.jobListeners} job-list listeners, ${live.webviewHosts} webview hosts holding ${live.webviewDisposables} disposables`;

describe('Soak: a long session', function () {
  // Each open may wait up to 30 s for the browser host's webview worker (docs/test-host.md).
  this.timeout(120_000 + JOBS * 3_000 + OPENS * 3 * 45_000);
  let api: OmniVideoApi;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
    await probe.closeAllEditors();
  });

  after(async () => {
    await probe.closeAllEditors();
    await restoreSettings();
  });

  it(`${JOBS} jobs and ${OPENS} opens and closes of the preview, the panel and the gallery leave the heap and the handles where they were`, async function () {
    skipWithoutProbe(this);
    // A first round of each, so that what is loaded once (bundles, caches) is in the baseline. Each page
    // gets 60 s to start: in a browser-hosted VS Code a webview closed while it was loading something
    // holds up the next one for up to 30 s (docs/test-host.md).
    const first = await api.waitForJob((await api.generate({ prompt: 'Soak: the first of many', seconds: '4' })).id);
    const openEach = async () => {
      await vscode.commands.executeCommand('omniVideo.openPreview', first.file);
      await probe.waitFor(() => probe.videos(), (videos) => videos.some((v) => v.readyState >= 2), 'the preview', WEBVIEW_START_MS, 100);
      await probe.closeAllEditors();
      await vscode.commands.executeCommand('omniVideo.openPanel');
      await probe.waitFor(() => probe.webview('#drop-firstImage', 'text').then(() => true, () => false), (ok) => ok, 'the panel', WEBVIEW_START_MS, 100);
      await probe.closeAllEditors();
      await vscode.commands.executeCommand('omniVideo.openGallery');
      await probe.waitFor(() => probe.webview('#filter', 'text').then(() => true, () => false), (ok) => ok, 'the gallery', WEBVIEW_START_MS, 100);
      await probe.closeAllEditors();
    };
    await openEach();
    const before = await footprint();
    const started = performance.now();

    for (let done = 0; done < JOBS; ) {
      const wave = Array.from({ length: Math.min(20, JOBS - done) }, (_, i) => api.generate({ prompt: `Soak job ${done + i + 1}: waves on a breakwater`, seconds: '4' }));
      const saved = await Promise.all((await Promise.all(wave)).map((job) => api.waitForJob(job.id)));
      assert.ok(saved.every((job) => job.status === 'completed'), saved.map((j) => j.error).join('; '));
      done += saved.length;
    }
    const afterJobs = await footprint();
    for (let i = 0; i < OPENS; i++) await openEach();
    const after = await footprint();

    console.log(`      ${JOBS} jobs and ${OPENS} × 3 webview opens in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`      heap after GC: ${before.heapMb.toFixed(1)} MB before, ${afterJobs.heapMb.toFixed(1)} MB after the jobs, ${after.heapMb.toFixed(1)} MB after the opens`);
    console.log(`      active handles: ${before.handles} before, ${afterJobs.handles} after the jobs, ${after.handles} after the opens`);
    console.log(`      listeners and disposables: ${describeLive(before.live)} before; ${describeLive(afterJobs.live)} after the jobs; ${describeLive(after.live)} after the opens`);
    // Bounds: each finished job stays listed (its record, a few KB); webviews leave nothing behind.
    assert.ok(afterJobs.heapMb - before.heapMb <= 8 + JOBS * 0.02, `the jobs grew the heap by ${(afterJobs.heapMb - before.heapMb).toFixed(1)} MB`);
    assert.ok(after.heapMb - afterJobs.heapMb <= 6, `the opens grew the heap by ${(after.heapMb - afterJobs.heapMb).toFixed(1)} MB`);
    assert.ok(after.handles <= before.handles + 3, `handles: ${before.handles} → ${after.handles}`);
    // Every webview is closed before each count: none may be left alive, nor any listener it added.
    assert.deepEqual(after.live, before.live, `listeners and disposables: ${describeLive(before.live)} → ${describeLive(after.live)}`);
    assert.deepEqual(afterJobs.live, before.live, 'the jobs leave no listener behind');
  });
});
