import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { startSimulator, LANDSCAPE_FIXTURE, type Simulator } from '../simulator/server';
import { clientFor, tempDir } from './helpers';

/**
 * 50 concurrent jobs through one poller while the simulator injects every fault class. Prints the
 * requests per job and the peak memory (not a timing assertion: the bounds are counts).
 */
describe('Soak: 50 concurrent jobs with injected faults', function () {
  this.timeout(60_000);
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 300, processingMs: 1500 });
  });
  after(() => sim.close());

  it('every job is saved byte-identical, with one POST each and at most one status request per job per interval', async () => {
    const { dir, cleanup } = await tempDir();
    const intervalMs = 100;
    const manager = new JobManager({ client: () => clientFor(sim), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => intervalMs, maxPollFailures: 20 });
    // In a process that ran other tests first the RSS rarely grows (freed memory is reused), so the JS
    // heap plus the buffers outside it is reported too.
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    let peakRss = process.memoryUsage().rss;
    let peakUsed = used();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      peakUsed = Math.max(peakUsed, used());
    }, 25);
    const startRss = process.memoryUsage().rss;
    const startUsed = used();
    const started = Date.now();
    try {
      const jobs = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: `Soak job ${i}`, seconds: '4', aspectRatio: '16:9' }));
          return manager.submit({ mode: built.mode, prompt: `Soak job ${i}`, body: built.body, recordedRequest: built.recorded, outputDir: dir });
        }),
      );
      sim.setFaults({
        rateLimit: { count: 10, retryAfterSeconds: 0, routes: ['status'] },
        serverError: { count: 10, status: 502, routes: ['status', 'content'] },
        dropConnection: { count: 5, routes: ['storage'], afterBytes: 50_000 },
        truncateDownload: { count: 5 },
      });
      const done = await Promise.all(jobs.map((j) => manager.waitFor(j.id)));
      const elapsed = Date.now() - started;
      const fixture = await readFile(LANDSCAPE_FIXTURE);
      for (const job of done) {
        assert.equal(job.phase, 'saved', `${job.id}: ${job.error}`);
        assert.ok((await readFile(job.file!)).equals(fixture), `${job.id} byte-identical`);
      }
      const api = sim.requests.filter((r) => r.origin === 'api');
      const posts = api.filter((r) => r.method === 'POST').length;
      assert.equal(posts, 50, 'exactly one POST per job');
      const statusRequests = api.filter((r) => r.method === 'GET' && !r.path.endsWith('/content'));
      const perJob = new Map<string, number[]>();
      for (const r of statusRequests) {
        const id = r.path.split('/').pop()!;
        perJob.set(id, [...(perJob.get(id) ?? []), r.time]);
      }
      // One request per job per round: no two status requests of one job closer than the interval.
      for (const [id, times] of perJob) {
        for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= intervalMs * 0.9, `${id}: requests ${times[i] - times[i - 1]} ms apart`);
      }
      const counts = [...perJob.values()].map((t) => t.length);
      const storage = sim.requests.filter((r) => r.origin === 'storage').length;
      console.log(
        `      50 jobs in ${(elapsed / 1000).toFixed(1)} s; status requests per job: mean ${(counts.reduce((a, b) => a + b, 0) / counts.length).toFixed(1)}, max ${Math.max(...counts)}; ` +
          `storage requests ${storage} for 50 files; peak growth: JS heap + buffers ${((peakUsed - startUsed) / 1048576).toFixed(1)} MB, RSS ${((peakRss - startRss) / 1048576).toFixed(1)} MB (peak ${(peakRss / 1048576).toFixed(0)} MB)`,
      );
      assert.equal(manager.pollScheduled, false, 'no timer once every job is done');
    } finally {
      clearInterval(sampler);
      manager.dispose();
      await cleanup();
    }
  });
});
