// At scale, in the real host: twenty jobs submitted at once, and a workspace of a thousand generated
// videos in the gallery. The figures are printed (time to the first thumbnail, the filter's response,
// the extension host's event-loop delay); the bounds asserted are loose enough for a busy CI machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { makeGeneratedVideos } from '../fixtures/generatedVideos';
import { probe, skipWithoutProbe, WEBVIEW_START_MS, type ImageShown } from './probe';
import { simulator } from './simulatorControl';
import { boardText, fixtures, withoutPreviewOnComplete, writeWorkspaceFile } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';
import { JOBS_VIEW_ID } from '../../src/shared/ids';

const COUNT = Number(process.env.OMNI_SCALE_VIDEOS ?? 1000);
const MANY_JOBS = Number(process.env.OMNI_SCALE_JOBS ?? 500);
const BOARD_SHOTS = Number(process.env.OMNI_SCALE_SHOTS ?? 24);
const JOBS_ROWS = '.pane:has(.pane-header[aria-label*="Jobs"]) .monaco-list-row';
const MENU_ITEMS = '.monaco-menu .action-item .action-label';
let boardTries = 0;
const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
/** A gallery card's video used as its thumbnail (where posters cannot be decoded; a frame from the start). */
const isThumbnail = (src: string) => src.endsWith('#t=0.5');
/** The gallery's most posters kept (media/gallery.ts, MAX_POSTERS). */
const MAX_POSTERS = 240;

/**
 * The gallery cards' pictures: posters shown (decoded frames: loaded, and not of one colour), posters
 * held (an image set, shown or not), and video thumbnails showing a frame.
 */
async function galleryPictures(container = '#grid'): Promise<{ posters: number; held: number; videos: number; spread: number }> {
  const [images, videos] = await Promise.all([probe.images(container, { loadedOnly: true }), probe.videos()]);
  const drawn = images.filter((i) => i.src.startsWith('blob:') && i.complete && i.width > 0 && i.spread > 2);
  return {
    posters: drawn.length,
    held: images.filter((i) => i.src !== '').length,
    videos: videos.filter((v) => isThumbnail(v.src) && v.readyState >= 2).length,
    spread: Math.max(0, ...drawn.map((i) => i.spread)),
  };
}

/** The information messages shown while `task` runs (the suite shares the extension's `vscode` object). */
async function noticesDuring<T>(task: () => Promise<T>): Promise<{ value: T; notices: string[] }> {
  const window = vscode.window as unknown as Record<string, (...args: unknown[]) => Thenable<unknown>>;
  const original = window.showInformationMessage;
  const notices: string[] = [];
  window.showInformationMessage = (message: unknown, ...rest: unknown[]) => {
    notices.push(String(message));
    return original.call(vscode.window, message, ...rest);
  };
  try {
    return { value: await task(), notices };
  } finally {
    window.showInformationMessage = original;
  }
}

/**
 * The extension host's event-loop delay while `task` runs (1 ms resolution); printed beside it, the
 * garbage collector's pauses and the longest stall with the CPU the process used in it. With
 * OMNI_PROFILE=1, a CPU profile of the extension host during `task` is written to the run directory as
 * `<name>.cpuprofile` (open it in Chrome's DevTools), and each stall over 50 ms is printed with when it
 * happened (its window kept in `<name>.stalls.json`, on the profile's clock).
 */
async function eventLoopDuring<T>(task: () => Promise<T>, name: string): Promise<{ value: T; p99: number; max: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const profiling = process.env.OMNI_PROFILE === '1' && process.env.OMNI_TEST_RUN_DIR;
  const session = profiling ? new inspector.Session() : undefined;
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session!.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  const started = performance.now();
  let last = started;
  const stalls: string[] = [];
  /** Each stall's window on the profile's clock (microseconds, monotonic), to find it in the profile. */
  const windows: { from: number; to: number }[] = [];
  const micros = () => Number(process.hrtime.bigint() / 1000n);
  let lastMicros = micros();
  /**
   * The longest stall a 10 ms timer saw, and the CPU time the whole process used meanwhile (all its
   * threads): far less CPU than wall time means the thread was not running (the machine was busy
   * elsewhere), not that our code held it.
   */
  let longest = { ms: 0, cpuMs: 0 };
  let lastCpu = process.cpuUsage();
  const watch = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (now - last - 10 > longest.ms) longest = { ms: now - last - 10, cpuMs: (cpu.user + cpu.system) / 1000 };
    if (profiling && now - last > 60) {
      stalls.push(`${(now - last - 10).toFixed(0)} ms at +${((last - started) / 1000).toFixed(1)} s`);
      windows.push({ from: lastMicros, to: micros() });
    }
    last = now;
    lastMicros = micros();
    lastCpu = process.cpuUsage();
  }, 10);
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    if (probe.available) console.log(`      profiling the browser: ${(await probe.browserProfile('start', name)).files?.join(', ')}`);
  }
  // The garbage collector's pauses meanwhile: the whole extension host's heap, not only ours.
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => pauses.push(...list.getEntries().map((entry) => entry.duration)));
  gc.observe({ entryTypes: ['gc'] });
  delay.enable();
  try {
    const value = await task();
    return { value, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
  } finally {
    delay.disable();
    gc.disconnect();
    const longestPauses = pauses.sort((a, b) => b - a).slice(0, 3);
    console.log(`      garbage collection meanwhile: ${pauses.length} pauses, ${pauses.reduce((sum, d) => sum + d, 0).toFixed(0)} ms in all, the longest ${longestPauses.map((d) => d.toFixed(1)).join(', ')} ms; the longest stall ${longest.ms.toFixed(0)} ms, with ${longest.cpuMs.toFixed(0)} ms of the process's CPU in it`);
    clearInterval(watch);
    if (session) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(path.join(process.env.OMNI_TEST_RUN_DIR!, `${name}.cpuprofile`), JSON.stringify(profile));
      fs.writeFileSync(path.join(process.env.OMNI_TEST_RUN_DIR!, `${name}.stalls.json`), JSON.stringify(windows));
      session.disconnect();
      if (probe.available) await probe.browserProfile('stop', name);
      console.log(`      profile: ${name}.cpuprofile; stalls over 50 ms: ${stalls.join(', ') || 'none'}`);
    }
  }
}

/**
 * Runs `write` and waits until the file events it causes under `folder` stop (a second without one,
 * within 30 s); resolves to how long that took.
 */
async function filesSettled(folder: string, write: () => void): Promise<number> {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
  let lastEvent = performance.now();
  const seen = () => (lastEvent = performance.now());
  const listeners = [watcher.onDidCreate(seen), watcher.onDidChange(seen), watcher.onDidDelete(seen)];
  const started = performance.now();
  try {
    write();
    lastEvent = performance.now();
    while (performance.now() - lastEvent < 1000 && performance.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 100));
    return lastEvent - started;
  } finally {
    for (const listener of listeners) listener.dispose();
    watcher.dispose();
  }
}

describe('At scale', function () {
  this.timeout(180_000);
  let api: OmniVideoApi;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    restoreSettings = await withoutPreviewOnComplete();
    api = await activateWithSimulatorKey();
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
      const { value: { value: done, p99, max }, notices } = await noticesDuring(() => eventLoopDuring(async () => {
        const started = performance.now();
        const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => api.generate({ prompt: `Twenty at once, number ${i + 1}: boats in a row`, seconds: '4' })));
        const bar = await probe.waitFor(() => probe.statusBar(), (items) => items.some((i) => /Omni Video: 20 (generating|queued)|Omni Video: .*20/.test(i.text)), 'twenty jobs in the status bar');
        console.log(`      status bar: "${bar.find((i) => i.text.includes('Omni Video'))!.text}"`);
        await probe.screenshot('twenty-jobs-status-bar');
        const saved = await Promise.all(jobs.map((job) => api.waitForJob(job.id)));
        console.log(`      20 jobs submitted and saved in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        await new Promise((resolve) => setTimeout(resolve, 2500)); // the burst's notice comes when it is over
        return saved;
      }, 'twenty-jobs'));
      console.log(`      extension host event loop meanwhile: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
      const saveNotices = notices.filter((n) => /^Video saved|more videos saved/.test(n));
      console.log(`      notices of saved videos: ${saveNotices.length} (${saveNotices.join(' | ')})`);
      assert.ok(saveNotices.length >= 1 && saveNotices.length <= 4, `a batch is announced in a few notices, not one per video: ${saveNotices.join(' | ')}`);
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
    // A workspace that holds them already: the file events of writing 2,000 files reach the workbench
    // and every extension host's watchers, which a user opening the gallery later does not pay for.
    const settledMs = await filesSettled(folder, () => makeGeneratedVideos(folder, COUNT, path.join(fixtures, 'sample-1280x720-h264-aac.mp4')));
    console.log(`      ${COUNT} videos and their sidecars written; their file events over after ${settledMs.toFixed(0)} ms`);
    try {
      await probe.closeAllEditors();
      const started = performance.now();
      let firstThumbnailMs = 0;
      let firstCardMs = 0;
      let pageMs = 0;
      const { p99, max } = await eventLoopDuring(async () => {
        const opening = vscode.commands.executeCommand('omniVideo.openGallery');
        // The page's start is the host's: in a browser-hosted VS Code every webview shares one service
        // worker, and a webview closed while it was loading something holds up the next one for up to
        // 30 s (docs/test-host.md). What follows the page is ours.
        await probe.waitFor(() => probe.webview('#filter', 'text').then(() => true, () => false), (ok) => ok, 'the gallery page', WEBVIEW_START_MS, 50);
        pageMs = performance.now() - started;
        await probe.waitFor(() => probe.webview('.card', 'text').then(() => true, () => false), (ok) => ok, 'the first card', 30_000, 50);
        firstCardMs = performance.now() - started;
        await probe.waitFor(() => galleryPictures(), (p) => p.posters + p.videos > 0, 'the first thumbnail', 30_000, 50);
        firstThumbnailMs = performance.now() - started;
        await opening; // resolves once the whole workspace is listed
      }, 'gallery');
      // The page has the last state once the count no longer says it is still looking.
      const text = await probe.waitFor(async () => (await probe.webview('#count', 'text')).text ?? '', (t) => /^\d+ of \d+ videos$/.test(t), 'the whole list in the page', 30_000, 50);
      const listedMs = performance.now() - started;
      const [, shown, total] = /(\d+) of (\d+) videos/.exec(text) ?? [];
      assert.ok(Number(total) >= COUNT && shown === total, `every video listed: ${text}`);
      console.log(`      the page up ${pageMs.toFixed(0)} ms, first card ${firstCardMs.toFixed(0)} ms and first thumbnail ${firstThumbnailMs.toFixed(0)} ms after Open Gallery; ${(firstThumbnailMs - pageMs).toFixed(0)} ms from the page to the first thumbnail (target ≤ 1000), all ${total} listed after ${listedMs.toFixed(0)} ms`);
      console.log(`      extension host event loop during the first scan: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
      assert.ok(firstThumbnailMs - pageMs < 5000, `the first thumbnail within 5 s of the page, even on a busy machine: ${(firstThumbnailMs - pageMs).toFixed(0)} ms`);
      await probe.screenshot('gallery-1000');

      // The workspace also holds the videos of the suites before, newer and so listed first, some in codecs
      // no poster can show here: the checks below are of the fixture's cards, which follow them.
      const states = async () => (await probe.webview('#grid > .card .thumb', 'attributes', { value: 'data-poster' })).values ?? [];
      const labels = (await probe.webview('#grid > .card button.open', 'attributes', { value: 'aria-label' })).values ?? [];
      const offset = labels.findIndex((label) => /: Scale \d{4}:/.test(label));
      assert.ok(offset >= 0 && labels.length - offset === COUNT, `the fixture's ${COUNT} cards follow the ${offset} others`);
      const top = await galleryPictures();
      console.log(`      pictures at the top: ${top.posters} posters (brightness spread up to ${top.spread.toFixed(0)}), ${top.videos} video thumbnails; the fixture's cards from card ${offset + 1}`);
      assert.ok(top.posters > 0, `posters decoded from the first packets: ${JSON.stringify(top)}`);
      assert.ok(top.held <= 60, `only the cards near the view load: ${top.held}`);
      // Scrolled down a few rows at a time, each time until every card passed has its poster: those made
      // earlier are let go beyond a bound, the first fixture card's (the least recently shown) among them.
      const posterShown = (image: ImageShown | undefined) => image !== undefined && image.src.startsWith('blob:') && image.width > 0;
      const firstCard = `#grid > .card:nth-child(${offset + 1})`;
      await probe.webview(firstCard, 'scroll');
      await probe.waitFor(() => probe.images(firstCard), ([image]) => posterShown(image), "the first fixture card's poster", 20_000, 50);
      const scrollStarted = performance.now();
      const last = Math.min(COUNT, 260);
      for (let at = offset + 20; at <= offset + last; at += 20) {
        await probe.webview(`#grid > .card:nth-child(${at})`, 'scroll');
        const shown = (images: ImageShown[]) => new Set(images.filter(posterShown).map((image) => image.index + 1));
        await probe.waitFor(() => probe.images('#grid', { loadedOnly: true, pixels: false }), (images) => Array.from({ length: 20 }, (_, i) => at - i).every((n) => shown(images).has(n)), `the posters of cards ${at - 19} to ${at}`, 30_000, 100).catch(async (error: Error) => {
          // Where each poster of those cards is: waiting, asked, decoding, shown, let go, or video.
          const where = (await states()).slice(at - 20, at);
          throw new Error(`${error.message.slice(0, 300)}; their posters: ${where.map((state, i) => `${at - 19 + i} ${state || 'not asked'}`).join(', ')}`);
        });
      }
      await probe.webview('#grid > .card:last-child', 'scroll');
      await probe.waitFor(() => galleryPictures('#grid > .card:last-child'), (p) => p.posters === 1, 'the last card\'s poster', 20_000, 50);
      const atEnd = await galleryPictures();
      const [first] = await probe.images(firstCard);
      const fixtureStates = (await states()).slice(offset);
      console.log(`      scrolled down to card ${offset + last} in ${((performance.now() - scrollStarted) / 1000).toFixed(1)} s, then to the end: ${atEnd.held} posters held (at most ${MAX_POSTERS}), the first fixture card's ${first.src ? 'kept' : 'let go'}, ${atEnd.videos} video thumbnails`);
      assert.ok(atEnd.held <= MAX_POSTERS && atEnd.held > 60, `posters held stay bounded: ${atEnd.held}`);
      if (last > MAX_POSTERS) assert.equal(first.src, '', "the first fixture card's poster, the least recently shown, is let go");
      assert.ok(!fixtureStates.includes('video') && atEnd.videos === 0, 'no fixture card loaded its video, and no video is loaded without a hover');

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
  it(`${MANY_JOBS} jobs in the jobs view: it lists them at once, a row's menu opens while they run, the editor never stalls`, async function () {
    skipWithoutProbe(this);
    this.timeout(Math.max(300_000, MANY_JOBS * 1_000));
    const config = await simulator.config();
    // A small clip: this is about the view and the extension host, not about the download.
    // Long enough that the jobs still run while the view is looked at, however slowly they were sent.
    await simulator.setConfig({ queuedMs: 500, processingMs: 15_000, videoFile: path.join(fixtures, 'codecs', 'h264-noaudio.mp4') });
    await vscode.commands.executeCommand('notifications.clearAll');
    const before = (await simulator.requests()).length;
    const ids: string[] = [];
    try {
      const { value: { value: timings, p99, max }, notices } = await noticesDuring(() => eventLoopDuring(async () => {
        const started = performance.now();
        const jobs = await Promise.all(Array.from({ length: MANY_JOBS }, (_, i) => api.generate({ prompt: `Many jobs ${String(i + 1).padStart(3, '0')}: a lighthouse at dusk`, seconds: '4' })));
        ids.push(...jobs.map((job) => job.id));
        const submittedMs = performance.now() - started;
        await vscode.commands.executeCommand('omniVideo.showJobs');
        // Every job in the view: those still running in the Running group's count, the rest saved already
        // (creates go out 8 at a time, so on a slow machine the first are done before the last is sent).
        const savedSoFar = () => ids.filter((id) => api.getJob(id)?.file !== undefined).length;
        const runningCount = (rows: string[]) => Number(/^Running\s*(\d+)/.exec(rows.find((r) => /^Running\s*\d+/.test(r)) ?? '')?.[1] ?? 0);
        const listed = await probe.waitFor(() => probe.domText(JOBS_ROWS), (rows) => runningCount(rows) + savedSoFar() >= MANY_JOBS, `the running group counting every job not saved yet of ${MANY_JOBS}`, 60_000, 50);
        const listedMs = performance.now() - started;
        console.log(`      first rows: ${listed.slice(0, 3).join(' | ')}`);
        // A row's context menu, while every job is polled: the first job row on screen.
        const rows = await probe.waitFor(() => probe.domText(JOBS_ROWS), (r) => r.some((x) => /^Many jobs \d{3}/.test(x)), 'the job rows', 30_000, 50);
        const label = /^Many jobs \d{3}/.exec(rows.find((x) => /^Many jobs \d{3}/.test(x))!)![0];
        await probe.screenshot('many-jobs');
        const menuStart = performance.now();
        await probe.rightClick(`${JOBS_ROWS}:has-text("${label}")`);
        const items = await probe.waitFor(() => probe.domText(MENU_ITEMS), (labels) => labels.length > 0, 'the context menu', 20_000, 20);
        const menuMs = performance.now() - menuStart;
        assert.ok(items.includes('Stop Tracking'), `the running job's menu: ${items.join(' | ')}`);
        await probe.press('Escape');
        const saved = await Promise.all(ids.map((id) => api.waitForJob(id)));
        const savedMs = performance.now() - started;
        await probe.waitFor(() => probe.domText(JOBS_ROWS), (rows) => !rows.some((r) => /^Running/.test(r)), 'the running group to empty', 60_000);
        // The saved group shows its newest 100 and a "Show more" row at its end (the tree's last row):
        // Enter on it shows 100 more.
        const moreRow = (rows: string[]) => rows.map((r) => /^Show 100 more…\s*(\d+) not shown/.exec(r)).find(Boolean);
        await vscode.commands.executeCommand(`${JOBS_VIEW_ID}.focus`);
        await probe.press('End');
        const hidden = Number(moreRow(await probe.waitFor(() => probe.domText(JOBS_ROWS), (r) => moreRow(r) !== undefined, 'the "Show more" row at the end of the saved group'))![1]);
        assert.ok(hidden >= MANY_JOBS - 100, `the saved group hides all but its newest 100: ${hidden} not shown`);
        await probe.screenshot('many-jobs-show-more');
        await probe.press('Enter');
        // The new last row is 100 rows further down: End again until it is there.
        await probe.waitFor(() => probe.press('End').then(() => probe.domText(JOBS_ROWS)), (r) => Number(moreRow(r)?.[1]) === hidden - 100, `"Show more" showing 100 more of ${hidden}`);
        console.log(`      the saved group: 100 rows and "Show 100 more… ${hidden} not shown"; Enter shows 100 more`);
        await new Promise((resolve) => setTimeout(resolve, 2500)); // the burst's notice comes when it is over
        return { saved, submittedMs, listedMs, menuMs, savedMs };
      }, 'many-jobs'));
      const { saved, submittedMs, listedMs, menuMs, savedMs } = timings;
      console.log(`      ${MANY_JOBS} jobs: submitted in ${(submittedMs / 1000).toFixed(1)} s, all listed in the view after ${(listedMs / 1000).toFixed(1)} s, a row's menu open in ${menuMs.toFixed(0)} ms, all saved after ${(savedMs / 1000).toFixed(1)} s`);
      console.log(`      extension host event loop meanwhile: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
      assert.ok(saved.every((job) => job.status === 'completed' && job.file), saved.filter((j) => !j.file).map((j) => j.error).join('; '));
      assert.equal(new Set(saved.map((job) => job.file!.fsPath)).size, MANY_JOBS, 'distinct files');
      const log = (await simulator.requests()).slice(before);
      assert.equal(log.filter((r) => r.origin === 'api' && r.method === 'POST').length, MANY_JOBS, `${MANY_JOBS} POSTs`);
      assert.ok(menuMs < 3000, `the menu opens while the jobs run: ${menuMs.toFixed(0)} ms`);
      const saveNotices = notices.filter((n) => /^Video saved|more videos saved/.test(n));
      console.log(`      notices of saved videos: ${saveNotices.length} (${saveNotices.slice(0, 4).join(' | ')})`);
      assert.ok(saveNotices.length <= 6, `${MANY_JOBS} saved videos make a few notices, not one each: ${saveNotices.length}`);
      assert.ok(p99 <= 50, `the extension host keeps up while ${MANY_JOBS} jobs run: p99 ${p99.toFixed(1)} ms`);
    } finally {
      // The suites after this one start from a short list and a small workspace.
      await Promise.all(ids.map((id) => api.waitForJob(id).catch(() => undefined)));
      await simulator.setConfig({ queuedMs: config.queuedMs, processingMs: config.processingMs, videoFile: config.videoFile });
      for (const id of ids) {
        const job = api.getJob(id);
        await vscode.commands.executeCommand('omniVideo.removeJob', { id });
        if (job?.file) for (const file of [job.file.fsPath, job.file.fsPath.replace(/\.mp4$/, '.json')]) fs.rmSync(file, { force: true });
      }
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  it(`a storyboard of ${BOARD_SHOTS} shots: its lenses, ${BOARD_SHOTS} POSTs unchained, every video line written, one film of ${BOARD_SHOTS} chapters assembled without stalling the editor`, async function () {
    skipWithoutProbe(this);
    this.timeout(300_000);
    const shots = Array.from({ length: BOARD_SHOTS }, (_, i) => [`Shot ${i + 1}`, `Scale board shot ${i + 1}: the tide comes in over the rocks, frame ${i + 1}.`] as const);
    // A board of its own for each try: a retried test must not find the first try's takes.
    const board = writeWorkspaceFile(`boards/long-film-${++boardTries}.md`, boardText('Long film', shots, 'seconds: "4"\nchain: false'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(board);
    const lensesStart = performance.now();
    const lenses = await probe.waitFor(() => probe.domText('.contentWidgets .codelens-decoration, .codelens-decoration'), (t) => t.some((l) => l.includes(`Generate ${BOARD_SHOTS} shots`)), `the Generate ${BOARD_SHOTS} shots lens`, 30_000, 50);
    console.log(`      lenses shown ${(performance.now() - lensesStart).toFixed(0)} ms after opening: ${lenses[0]}`);
    const before = (await simulator.creates()).length;
    const { value: done, p99: runP99, max: runMax } = await eventLoopDuring(async () => {
      const accepted = await vscode.commands.executeCommand<string[]>('omniVideo.generateStoryboard', board, {});
      assert.equal(accepted.length, BOARD_SHOTS, 'unchained, every shot is sent at once');
      return api.waitForStoryboard(board);
    }, 'board-run');
    console.log(`      ${BOARD_SHOTS} shots generated; extension host event loop meanwhile: p99 ${runP99.toFixed(1)} ms, max ${runMax.toFixed(1)} ms`);
    assert.equal((await simulator.creates()).length - before, BOARD_SHOTS, `${BOARD_SHOTS} POSTs`);
    assert.ok(done.shots.every((shot) => shot.state === 'saved' && shot.video), done.shots.map((s) => `${s.index}: ${s.state} ${s.error ?? ''}`).join('; '));
    const text = (await vscode.workspace.openTextDocument(board)).getText();
    assert.equal((text.match(/<video src="[^"]+" controls><\/video>/g) ?? []).length, BOARD_SHOTS, 'a video line per shot');

    const { value: film, p99, max } = await eventLoopDuring(async () => vscode.commands.executeCommand<vscode.Uri>('omniVideo.assembleFilm', board), 'assemble');
    const sidecar = JSON.parse(fs.readFileSync(film.fsPath.replace(/\.mp4$/, '.json'), 'utf8')) as { method: string; shots: { title: string; start: number }[]; duration: number };
    console.log(`      film of ${BOARD_SHOTS} shots, ${sidecar.duration.toFixed(1)} s, ${(fs.statSync(film.fsPath).size / 1e6).toFixed(1)} MB; extension host event loop while assembling: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target ≤ 10 / ≤ 50)`);
    assert.equal(sidecar.method, 'copy');
    assert.deepEqual(sidecar.shots.map((s) => s.title), shots.map(([title]) => title));
    assert.ok(sidecar.shots.every((s, i) => i === 0 || s.start > sidecar.shots[i - 1].start), 'the chapters start one after another');
    await probe.closeAllEditors();
  });
});
