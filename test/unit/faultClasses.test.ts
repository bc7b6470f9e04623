// One test per fault class of the simulator, each through the job logic as the extension runs it:
// the end state (a byte-identical saved file, or a failed job with the server's reason) and exactly
// one POST per job.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { startSimulator, LANDSCAPE_FIXTURE, type Faults, type Simulator } from '../simulator/server';
import { clientFor, createCount, tempDir } from './helpers';

interface FaultCase {
  name: string;
  /** Set after the job was accepted (create faults are the create tests' business: never retried). */
  faults: Partial<Faults>;
  expect: 'saved' | { phase: 'failed'; error: RegExp };
  /** The fault fired at least once (read from the request log). */
  fired: string;
}

const CASES: FaultCase[] = [
  { name: '429 with Retry-After on status', faults: { rateLimit: { count: 2, retryAfterSeconds: 0, routes: ['status'] } }, expect: 'saved', fired: 'rateLimit' },
  { name: '503 on status', faults: { serverError: { count: 3, status: 503, routes: ['status'] } }, expect: 'saved', fired: 'serverError' },
  { name: '502 HTML page from the storage host', faults: { serverError: { count: 2, status: 502, routes: ['storage'] } }, expect: 'saved', fired: 'serverError' },
  { name: '429 on /content', faults: { rateLimit: { count: 1, retryAfterSeconds: 0, routes: ['content'] } }, expect: 'saved', fired: 'rateLimit' },
  { name: 'connection dropped before a status answer', faults: { dropConnection: { count: 2, routes: ['status'] } }, expect: 'saved', fired: 'dropConnection' },
  { name: 'connection dropped mid-download', faults: { dropConnection: { count: 2, routes: ['storage'], afterBytes: 50_000 } }, expect: 'saved', fired: 'dropConnection' },
  { name: 'short body (Content-Length mismatch)', faults: { truncateDownload: { count: 2 } }, expect: 'saved', fired: 'truncateDownload' },
  { name: 'Range ignored after a drop', faults: { dropConnection: { count: 1, routes: ['storage'], afterBytes: 80_000 }, ignoreRange: { count: 3 } }, expect: 'saved', fired: 'dropConnection' },
  { name: 'an HTML page instead of the MP4', faults: { notMp4: { count: 2 } }, expect: 'saved', fired: 'notMp4' },
  { name: 'an expired signed download link', faults: { expireSignature: { count: 2 } }, expect: 'saved', fired: 'expireSignature' },
  { name: 'status redirected to another host', faults: { redirectStatus: { count: 3 } }, expect: 'saved', fired: 'redirectStatus' },
  { name: 'a hung status request (timeout)', faults: { hang: { count: 1, routes: ['status'] } }, expect: 'saved', fired: 'hang' },
  { name: 'a hung download (timeout)', faults: { hang: { count: 1, routes: ['storage'] } }, expect: 'saved', fired: 'hang' },
  { name: 'the server fails the job', faults: { failJobs: true, failMessage: 'The prompt was blocked by the content policy.' }, expect: { phase: 'failed', error: /blocked by the content policy/ }, fired: '' },
];

describe('Fault classes: each ends saved byte-identical or failed with the server\'s reason, one POST', function () {
  this.timeout(30_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ queuedMs: 40, processingMs: 150 });
  });
  after(() => sim.close());

  for (const c of CASES) {
    it(c.name, async () => {
      sim.reset();
      const { dir, cleanup } = await tempDir();
      // failJobs applies to jobs created after it; the other faults to requests after the create.
      if (c.faults.failJobs) sim.setFaults(c.faults);
      const manager = new JobManager({ client: () => clientFor(sim, sim.token, 700), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 40, maxBackoffMs: 200 });
      try {
        const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: `Fault: ${c.name}`, seconds: '4', aspectRatio: '16:9' }));
        const job = await manager.submit({ mode: built.mode, prompt: built.body.prompt, body: built.body, recordedRequest: built.recorded, outputDir: dir });
        if (!c.faults.failJobs) sim.setFaults(c.faults);
        const done = await manager.waitFor(job.id);
        if (c.expect === 'saved') {
          assert.equal(done.phase, 'saved', done.error);
          assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)), 'byte-identical');
        } else {
          assert.equal(done.phase, c.expect.phase);
          assert.match(done.error ?? '', c.expect.error);
        }
        if (c.fired) assert.ok(sim.requests.some((r) => r.fault?.includes(c.fired)), `the ${c.fired} fault fired`);
        assert.equal(createCount(sim), 1, 'exactly one POST');
        assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.part')), [], 'no temporary file left');
      } finally {
        manager.dispose();
        await cleanup();
      }
    });
  }
});
