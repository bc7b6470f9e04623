import assert from 'node:assert/strict';
import * as path from 'node:path';
import { prepareMedia } from '../../src/core/api/mediaInput';
import { buildModeRequest } from '../../src/core/api/modeRequests';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { OmniVideoError } from '../../src/core/common/errors';
import { billedGenerationsText, estimatedCost, needsConfirmation } from '../../src/core/jobs/costGuard';
import { classifyFailure } from '../../src/core/jobs/failureKind';
import { JobManager, type SubmitRequest } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { localDay, UsageLedger } from '../../src/core/jobs/usageLedger';
import { FAILURE_BODIES, FAILURE_BODY_KINDS, FIXTURES_DIR, startSimulator, summarizeBody, type SimFailKind, type Simulator } from '../simulator/server';
import { MemoryStateStorage } from '../support/memoryState';
import { clientFor, createCount, tempDir } from './helpers';

const HOUR = 3_600_000;

function textRequest(prompt: string, outputDir: string, workspace = '/work/harbour'): SubmitRequest {
  const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt, seconds: '4', aspectRatio: '16:9' }));
  return { mode: built.mode, prompt, body: built.body, recordedRequest: built.recorded, outputDir, workspace };
}

describe('Cost guard: the usage ledger', () => {
  it('the calendar day is the user\'s: 23:30 and 00:30 in Shanghai are two days, the same instants one day in New York', () => {
    const lateEvening = Date.UTC(2026, 11, 4, 15, 30); // 23:30 in Shanghai (UTC+8), 10:30 in New York
    const pastMidnight = lateEvening + HOUR;
    assert.equal(localDay(lateEvening, 'Asia/Shanghai'), '2026-12-04');
    assert.equal(localDay(pastMidnight, 'Asia/Shanghai'), '2026-12-05');
    assert.equal(localDay(lateEvening, 'America/New_York'), localDay(pastMidnight, 'America/New_York'));

    const shanghai = new UsageLedger(new MemoryStateStorage(), undefined, 'Asia/Shanghai');
    shanghai.record({ id: 'a', at: lateEvening, mode: 'text', workspace: '/w' });
    shanghai.record({ id: 'b', at: pastMidnight, mode: 'text', workspace: '/w' });
    assert.equal(shanghai.countOnDay(pastMidnight), 1, 'only the one after midnight is today');
    const summary = shanghai.summary(pastMidnight);
    assert.deepEqual([summary.today, summary.month, summary.total], [1, 2, 2]);
    assert.deepEqual(summary.last30Days.slice(-2), [{ day: '2026-12-04', count: 1 }, { day: '2026-12-05', count: 1 }]);
    assert.equal(summary.last30Days.length, 30);

    const newYork = new UsageLedger(new MemoryStateStorage(), undefined, 'America/New_York');
    newYork.record({ id: 'a', at: lateEvening, mode: 'text', workspace: '/w' });
    newYork.record({ id: 'b', at: pastMidnight, mode: 'text', workspace: '/w' });
    assert.equal(newYork.countOnDay(pastMidnight), 2);
  });

  it('counts per workspace and per mode, keeps a failed generation counted and marked, ignores the same id twice, survives a reload', async () => {
    const storage = new MemoryStateStorage();
    const now = Date.UTC(2026, 10, 20, 12);
    const ledger = new UsageLedger(storage, undefined, 'UTC');
    ledger.record({ id: '1', at: now - 40 * 24 * HOUR, mode: 'image', workspace: '/w/harbour' });
    ledger.record({ id: '2', at: now - HOUR, mode: 'text', workspace: '/w/harbour' });
    ledger.record({ id: '3', at: now, mode: 'text', workspace: '/w/lake' });
    ledger.record({ id: '3', at: now, mode: 'text', workspace: '/w/lake' });
    ledger.markFailed('3');
    assert.equal(ledger.summary(now).total, 3, 'counted at once, before it is written');
    await ledger.flush();
    const again = new UsageLedger(storage, undefined, 'UTC').summary(now);
    assert.equal(again.total, 3);
    assert.equal(again.today, 2);
    assert.equal(again.month, 2, 'the 40-day-old one is last month');
    assert.equal(again.failed, 1);
    assert.deepEqual(again.byWorkspace, [{ workspace: '/w/harbour', count: 2 }, { workspace: '/w/lake', count: 1 }]);
    assert.deepEqual(again.byMode, [{ mode: 'text', count: 2 }, { mode: 'image', count: 1 }]);
    assert.equal(again.last30Days.reduce((sum, d) => sum + d.count, 0), 2, 'the chart holds the last 30 days only');
  });

  it('two windows share one ledger: each sees what the other counted, through a storage that holds values as VS Code\'s Memento does; a burst is written once or twice', async () => {
    // A Memento hands out the value it holds (the same object until something writes) and keeps a copy of each write.
    const held = new Map<string, unknown>();
    let writes = 0;
    const memento = {
      get: <T>(key: string) => held.get(key) as T | undefined,
      update: (key: string, value: unknown) => (writes++, held.set(key, JSON.parse(JSON.stringify(value))), new Promise<void>((resolve) => setTimeout(resolve, 2))),
    };
    const now = Date.UTC(2026, 11, 6, 12);
    const first = new UsageLedger(memento, undefined, 'UTC');
    const second = new UsageLedger(memento, undefined, 'UTC');
    for (let i = 0; i < 300; i++) first.record({ id: `a${i}`, at: now, mode: 'text', workspace: '/w' });
    // The other window counts before the first one's burst is written: neither loses the other's.
    second.record({ id: 'b', at: now, mode: 'image', workspace: '/w' });
    await Promise.all([first.flush(), second.flush()]);
    assert.ok(writes <= 3, `300 counts and 1 in two windows: ${writes} writes`);
    first.record({ id: 'a-last', at: now, mode: 'text', workspace: '/w' });
    first.markFailed('b');
    await first.flush();
    assert.equal(second.countOnDay(now), 302);
    assert.equal(first.summary(now).total, 302);
    assert.equal(second.summary(now).failed, 1, 'a mark made in one window is seen in the other');
    assert.deepEqual(second.summary(now).byMode, [{ mode: 'text', count: 301 }, { mode: 'image', count: 1 }]);
  });

  it('a ledger that does not parse starts again instead of breaking generation; a bad entry is dropped alone', () => {
    const storage = new MemoryStateStorage();
    void storage.update('omniVideo.usage.v1', { entries: [{ id: 'ok', at: 1, mode: 'text', workspace: '/w' }, { id: 5 }, 'junk'] });
    assert.equal(new UsageLedger(storage).summary(Date.now()).total, 1);
    void storage.update('omniVideo.usage.v1', 'not a ledger');
    assert.equal(new UsageLedger(storage).summary(Date.now()).total, 0);
  });
});

describe('Cost guard: batch confirmation', () => {
  it('asks above confirmAbove, for every generation at 0, never for nothing', () => {
    const cases: [count: number, confirmAbove: number, asks: boolean][] = [
      [1, 1, false], // one ordinary generation at the default
      [2, 1, true], // a two-shot storyboard
      [5, 5, false],
      [6, 5, true],
      [1, 0, true], // 0 asks before every generation
      [0, 0, false],
      [0, 1, false],
    ];
    for (const [count, confirmAbove, asks] of cases) assert.equal(needsConfirmation(count, confirmAbove), asks, `${count} generations, confirmAbove ${confirmAbove}`);
  });

  it('names the count, with the estimate only when a price is set', () => {
    assert.equal(billedGenerationsText(3, undefined, 'en'), '3 billed generations');
    assert.equal(billedGenerationsText(1, undefined, 'en'), '1 billed generation');
    assert.equal(billedGenerationsText(3, 0.5, 'en'), '3 billed generations (about 1.50)');
    assert.equal(estimatedCost(2, 0, 'en'), undefined);
  });
});

describe('Cost guard: failures explained', () => {
  it('every failure body of the simulator is classified as its kind', () => {
    for (const [name, body] of Object.entries(FAILURE_BODIES) as [SimFailKind, (typeof FAILURE_BODIES)[SimFailKind]][]) {
      assert.equal(classifyFailure(body as never), FAILURE_BODY_KINDS[name], name);
    }
  });

  it('codes win over words, words are read in English and Chinese, and a body with no clue is unknown', () => {
    assert.equal(classifyFailure({ code: 'server_error', message: 'the image was bad' }), 'server');
    assert.equal(classifyFailure({ code: 'CONTENT_POLICY_VIOLATION' }), 'prompt');
    assert.equal(classifyFailure('Your prompt violates our content policy'), 'prompt');
    assert.equal(classifyFailure('The uploaded image violates our content policy'), 'media');
    assert.equal(classifyFailure('首帧图片无法解析'), 'media');
    assert.equal(classifyFailure('服务器繁忙，请稍后重试'), 'server');
    assert.equal(classifyFailure({ message: 'Request timed out' }), 'timeout');
    assert.equal(classifyFailure(undefined, 'expired'), 'timeout');
    assert.equal(classifyFailure(undefined, 'failed'), 'unknown');
    assert.equal(classifyFailure({ code: 42, message: 'oops' }), 'unknown');
  });
});

describe('Cost guard: against the simulator', () => {
  let sim: Simulator;
  const managers: JobManager[] = [];
  before(async () => {
    sim = await startSimulator({ queuedMs: 40, processingMs: 150 });
  });
  after(() => sim.close());
  afterEach(() => {
    for (const manager of managers.splice(0)) manager.dispose();
    sim.reset();
  });

  function managerFor(ledger: UsageLedger, dailyLimit = 0) {
    const manager = new JobManager({ client: () => clientFor(sim), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 30, ledger, dailyLimit: () => dailyLimit });
    managers.push(manager);
    return manager;
  }

  it('counts a generation when the server accepts it, never a refused or unsent request, and a failed one stays counted', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const ledger = new UsageLedger(new MemoryStateStorage());
      const manager = managerFor(ledger);
      await manager.submit(textRequest('A lighthouse at dusk, slow pan', dir));
      sim.setFaults({ serverError: { count: 1, status: 503, routes: ['create'] } });
      await assert.rejects(manager.submit(textRequest('Refused by a 503', dir)));
      const badRequest = textRequest('Refused as invalid', dir);
      await assert.rejects(manager.submit({ ...badRequest, body: { ...badRequest.body, seconds: '7' as never } }));
      await manager.preview(textRequest('Only previewed', dir));
      const unreachable = new JobManager({ client: () => clientFor({ ...sim, apiBaseUrl: 'http://127.0.0.1:9/v1' } as Simulator), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 30, ledger });
      managers.push(unreachable);
      await assert.rejects(unreachable.submit(textRequest('Never reached the server', dir)));
      sim.setFaults({ failJobs: true, failKind: 'prompt' });
      const failing = await manager.submit(textRequest('Accepted, then failed', dir));
      const failed = await manager.waitFor(failing.id);
      assert.equal(failed.phase, 'failed');
      assert.equal(failed.failureKind, 'prompt');
      const summary = ledger.summary(Date.now());
      assert.equal(createCount(sim), 4, 'four creates reached the server: two accepted, two refused');
      assert.equal(summary.total, 2, 'two were accepted, so two are billed');
      assert.equal(summary.failed, 1);
      assert.deepEqual(summary.byWorkspace, [{ workspace: '/work/harbour', count: 2 }]);
    } finally {
      await cleanup();
    }
  });

  it('a daily limit of 2: the third generation is refused before anything is sent, and so are creates in flight beyond it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const ledger = new UsageLedger(new MemoryStateStorage());
      const manager = managerFor(ledger, 2);
      await manager.submit(textRequest('First of the day', dir));
      const racing = await Promise.allSettled([manager.submit(textRequest('Second of the day', dir)), manager.submit(textRequest('Third, at the same time', dir))]);
      assert.deepEqual(racing.map((r) => r.status), ['fulfilled', 'rejected']);
      const refusal = (racing[1] as PromiseRejectedResult).reason;
      assert.ok(refusal instanceof OmniVideoError && refusal.kind === 'limit', String(refusal));
      assert.match(refusal.message, /limit of 2 generations/);
      await assert.rejects(manager.submit(textRequest('Fourth', dir)), /limit of 2/);
      assert.equal(createCount(sim), 2, 'the simulator saw two POSTs');
      assert.equal(ledger.summary(Date.now()).today, 2);
    } finally {
      await cleanup();
    }
  });

  it('the dry-run body is byte for byte the body sent for the same options, data URIs summarised by type, size and SHA-256', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const params = parseGenerationParams({ prompt: 'A paper lantern over a dark lake', seconds: '8', aspectRatio: '9:16', resolution: '1080p', fps: 24 });
      const file = (name: string) => ({ kind: 'file' as const, path: path.join(FIXTURES_DIR, name), displayPath: `images/${name}` });
      const first = await prepareMedia(file('frame-640x360.png'), 'firstImage');
      const last = await prepareMedia(file('frame-640x360.jpg'), 'lastImage');
      const built = buildModeRequest('omni-fast', params, { mode: 'interpolate', firstImage: first, lastImage: last });
      const request: SubmitRequest = { mode: built.mode, prompt: params.prompt, body: built.body, recordedRequest: built.recorded, outputDir: dir };
      const ledger = new UsageLedger(new MemoryStateStorage());
      const manager = managerFor(ledger);
      const preview = await manager.preview(request);
      assert.equal(createCount(sim), 0, 'the dry run sent nothing');
      assert.equal(ledger.summary(Date.now()).total, 0, 'and counted nothing');
      assert.equal(preview.method, 'POST');
      assert.equal(preview.url, `${sim.apiBaseUrl}/videos`);
      await manager.submit(request);
      const sent = sim.requests.find((r) => r.origin === 'api' && r.method === 'POST')!;
      // The simulator's log as its /_sim/requests route serves it: data URIs summarised the same way.
      assert.equal(JSON.stringify(preview.body), JSON.stringify(summarizeBody(sent.body)));
      assert.deepEqual(Object.keys(preview.body as object), ['model', 'prompt', 'seconds', 'aspect_ratio', 'resolution', 'fps', 'first_image_url', 'last_image_url']);
    } finally {
      await cleanup();
    }
  });
});
