// Server-controlled strings (ids, error messages, URLs) are data, never paths or markup: a hostile id
// cannot place a file outside the output folder or address another route, and an error message with
// markup is kept as the text it is.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { LANDSCAPE_FIXTURE, startSimulator, type Simulator } from '../simulator/server';
import { clientFor, tempDir } from './helpers';

const XSS = '<img src=x onerror=alert(1)>';

describe('Untrusted server input', () => {
  let sim: Simulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let manager: JobManager;

  before(async () => {
    sim = await startSimulator({ queuedMs: 30, processingMs: 120 });
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    ({ dir, cleanup } = await tempDir());
    manager = new JobManager({ client: () => clientFor(sim), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 30 });
  });
  afterEach(async () => {
    manager.dispose();
    await cleanup();
  });

  const submit = (prompt: string, outputDir = path.join(dir, 'out', 'videos')) => {
    const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt, seconds: '4', aspectRatio: '16:9' }));
    return manager.submit({ mode: built.mode, prompt, body: built.body, recordedRequest: built.recorded, outputDir });
  };

  for (const hostileId of ['../../escape', '..\\..\\escape', '/etc/passwd', 'a/../../b?x=1#frag', `video_${XSS}`]) {
    it(`a job id like ${JSON.stringify(hostileId)} is one encoded path segment and never part of a path outside the folder`, async () => {
      sim.setFaults({ nextJobIds: [hostileId] });
      const job = await submit(`Hostile id ${hostileId}`);
      assert.equal(job.id, hostileId, 'the id is kept as the server gave it');
      const done = await manager.waitFor(job.id);
      assert.equal(done.phase, 'saved', done.error);
      const outDir = path.join(dir, 'out', 'videos');
      assert.equal(path.dirname(done.file!), outDir, 'saved in the output folder');
      assert.match(path.basename(done.file!), /^\d{8}-\d{6}-hostile-id-[a-z0-9-]*\.mp4$/, 'a name of safe characters only');
      assert.deepEqual((await readdir(dir)).sort(), ['out'], 'nothing written beside the output folder');
      assert.deepEqual((await readdir(path.join(dir, 'out'))).sort(), ['videos']);
      assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)));
      const paths = sim.requests.filter((r) => r.origin === 'api' && r.method === 'GET').map((r) => r.path);
      assert.ok(paths.length > 0 && paths.every((p) => p.startsWith(`/v1/videos/${encodeURIComponent(hostileId)}`)), paths.join(' '));
    });
  }

  for (const unusable of ['..', '.', '%2E%2e']) {
    it(`a job id ${JSON.stringify(unusable)}, which a URL would resolve away, is refused with a message that says it may have been billed`, async () => {
      sim.setFaults({ nextJobIds: [unusable] });
      await assert.rejects(submit('Dot id'), (error: unknown) => {
        assert.ok(error instanceof OmniVideoError, String(error));
        assert.equal(error.kind, 'unknownOutcome');
        assert.match(error.message, /not a usable job id.*may have accepted \(and billed\) it/);
        return true;
      });
      const gets = sim.requests.filter((r) => r.origin === 'api' && r.method === 'GET');
      assert.equal(gets.length, 0, 'nothing was asked at /v1/ or elsewhere');
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1, 'and nothing submitted again');
    });
  }

  it('an error message with markup is kept verbatim as text', async () => {
    sim.setFaults({ failJobs: true, failMessage: `Blocked: ${XSS} <script>alert(2)</script>` });
    const job = await submit('Markup in the reason');
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'failed');
    assert.ok(done.error?.includes(`Blocked: ${XSS} <script>alert(2)</script>`), done.error);
  });
});
