import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { JobManager } from '../../src/core/jobs/jobManager';
import type { JobRecord } from '../../src/core/jobs/jobModel';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { sidecarSchema } from '../../src/core/jobs/sidecar';
import { startSimulator, LANDSCAPE_FIXTURE, type Simulator } from '../simulator/server';
import { clientFor, createCount, tempDir, until } from './helpers';

function textRequest(prompt: string, outputDir: string) {
  const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt, seconds: '8', aspectRatio: '16:9' }));
  return { mode: built.mode, prompt, body: built.body, recordedRequest: built.recorded, outputDir };
}

describe('Jobs: submit, poll, save', () => {
  let sim: Simulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  const managers: JobManager[] = [];

  function managerFor(storage = new MemoryStateStorage(), extra: Partial<ConstructorParameters<typeof JobManager>[0]> = {}) {
    const store = new JobStore(storage);
    const manager = new JobManager({ client: () => clientFor(sim), store, pollIntervalMs: () => 40, ...extra });
    managers.push(manager);
    return manager;
  }

  before(async () => {
    sim = await startSimulator({ queuedMs: 60, processingMs: 200 });
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) m.dispose();
    await cleanup();
  });

  it('a text job is submitted once, tracked to completion and saved with its sidecar', async () => {
    const manager = managerFor();
    const changes: string[] = [];
    manager.store.onDidChange((job) => changes.push(`${job.status}/${job.phase}`));
    const job = await manager.submit(textRequest('Ocean waves gently rolling onto a sandy beach at golden hour', path.join(dir, 'videos')));
    assert.equal(job.status, 'queued');
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.equal(done.status, 'completed');
    assert.equal(done.progress, 100);
    assert.equal(done.seconds, '5', 'the seconds the server returned, not the 8 asked');
    assert.equal(createCount(sim), 1);
    assert.ok(changes.includes('in_progress/tracking'), `saw in_progress: ${changes.join(' ')}`);

    const files = (await readdir(path.join(dir, 'videos'))).sort();
    assert.equal(files.length, 2, files.join(', '));
    const mp4 = files.find((f) => f.endsWith('.mp4'))!;
    assert.match(mp4, /^\d{8}-\d{6}-ocean-waves-gently-rolling-onto-a-sandy-[a-z0-9]{7}\.mp4$/);
    assert.equal(done.file, path.join(dir, 'videos', mp4));
    assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)));

    const sidecar = sidecarSchema.parse(JSON.parse(await readFile(path.join(dir, 'videos', mp4.replace(/\.mp4$/, '.json')), 'utf8')));
    assert.equal(sidecar.id, job.id);
    assert.equal(sidecar.video, mp4);
    assert.deepEqual(sidecar.request, { model: 'omni-fast', prompt: job.prompt, seconds: '8', aspect_ratio: '16:9' });
    assert.equal(sidecar.job.status, 'completed');
    assert.ok(Math.abs(done.duration! - 3) < 0.1, `the file's own duration, not the server's 5 s: ${done.duration}`);
    assert.equal(sidecar.measured?.duration, done.duration);
    assert.doesNotMatch(JSON.stringify(sidecar), new RegExp(sim.token), 'the token is never written to disk');
    await until(() => !manager.pollScheduled, 2000, 'the poller to stop');
  });

  it('never overwrites an existing file: a second result with the same name gets a suffix', async () => {
    const manager = managerFor();
    const out = path.join(dir, 'videos');
    const first = await manager.waitFor((await manager.submit(textRequest('Same prompt', out))).id);
    // Same id tail and second: force the same base name by re-saving the same record.
    const clone: JobRecord = { ...first, phase: 'tracking', file: undefined };
    manager.store.add(clone);
    manager.resume();
    const second = await manager.waitFor(first.id);
    assert.notEqual(second.file, first.file);
    assert.match(second.file!, /-2\.mp4$/);
    assert.equal((await readdir(out)).filter((f) => f.endsWith('.mp4')).length, 2);
  });

  it('a failed job keeps the server reason and stays listed', async () => {
    sim.setFaults({ failJobs: true, failMessage: 'Prompt rejected by the safety system' });
    const manager = managerFor();
    const job = await manager.submit(textRequest('Something the server refuses', dir));
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'failed');
    assert.equal(done.status, 'failed');
    assert.match(done.error ?? '', /Prompt rejected by the safety system/);
    assert.ok(manager.store.get(job.id));
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.mp4')), []);
  });

  it('after a reload the same id is polled and saved; nothing is submitted twice', async () => {
    const storage = new MemoryStateStorage();
    const first = managerFor(storage);
    const job = await first.submit(textRequest('Resume me after a reload', dir));
    await first.store.flush();
    first.dispose(); // the window reloads before the job completes
    assert.equal(createCount(sim), 1);

    const second = managerFor(storage);
    assert.equal(second.store.get(job.id)?.phase, 'tracking', 'the job was persisted');
    second.resume();
    const done = await second.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.equal(createCount(sim), 1, 'exactly one POST for the job');
  });

  it('a job the server no longer knows is marked lost, not polled forever', async () => {
    const manager = managerFor();
    manager.store.add({
      id: 'video_GONE0000000000000000000000', mode: 'text', prompt: 'old', request: {}, status: 'in_progress', phase: 'tracking',
      progress: 40, createdAt: Date.now(), outputDir: dir, downloadAttempts: 0,
    });
    manager.resume();
    const done = await manager.waitFor('video_GONE0000000000000000000000');
    assert.equal(done.phase, 'lost');
    assert.match(done.error ?? '', /no longer knows/);
  });

  it('rate limits and server errors while polling do not lose the job', async () => {
    const manager = managerFor();
    const job = await manager.submit(textRequest('Keep going through faults', dir));
    sim.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 0, routes: ['status'] }, serverError: { count: 2, status: 503, routes: ['status'] } });
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.equal(createCount(sim), 1);
  });

  it('a refused key pauses polling and asks once, then resumes when the key changes', async () => {
    let token = sim.token;
    let asked = 0;
    const store = new JobStore(new MemoryStateStorage());
    const manager = new JobManager({
      client: () => clientFor(sim, token),
      store,
      pollIntervalMs: () => 30,
      onAuthRequired: () => asked++,
    });
    managers.push(manager);
    const a = await manager.submit(textRequest('First job', dir));
    const b = await manager.submit(textRequest('Second job', dir));
    token = 'sk-revoked-key-000';
    await until(() => asked > 0, 3000, 'the key prompt');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(asked, 1, 'asked once, not once per job');
    assert.equal(manager.pollScheduled, false, 'no polling while the key is refused');
    token = sim.token;
    manager.resumeAfterAuthChange();
    assert.equal((await manager.waitFor(a.id)).phase, 'saved');
    assert.equal((await manager.waitFor(b.id)).phase, 'saved');
  });

  it('the same request is refused while it is still being submitted', async () => {
    sim.setFaults({ latencyMs: 200 });
    const manager = managerFor();
    const request = textRequest('Double click', dir);
    const first = manager.submit(request);
    await assert.rejects(manager.submit(request), (e: unknown) => e instanceof OmniVideoError && e.kind === 'duplicate');
    await first;
    assert.equal(createCount(sim), 1);
  });

  it('a create whose answer never arrives is reported as an unknown outcome, not retried', async () => {
    sim.setFaults({ dropConnection: { count: 1, routes: ['create'] } });
    const manager = managerFor();
    await assert.rejects(manager.submit(textRequest('Dropped create', dir)), (e: unknown) => e instanceof OmniVideoError && e.kind === 'unknownOutcome' && /may have accepted/.test(e.message));
    assert.equal(createCount(sim), 1);
    assert.equal(manager.store.list().length, 0);
  });

  it('Retry-After is honoured: after a 429 the job is not asked about again before the server said', async () => {
    const manager = managerFor(undefined, { pollIntervalMs: () => 30 });
    const job = await manager.submit(textRequest('Rate limited', dir));
    sim.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1, routes: ['status'] } });
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    const statuses = sim.requests.filter((r) => r.origin === 'api' && r.method === 'GET' && r.path.endsWith(job.id));
    const limited = statuses.findIndex((r) => r.status === 429);
    assert.ok(limited >= 0, 'the 429 happened');
    const gap = statuses[limited + 1].time - statuses[limited].time;
    assert.ok(gap >= 950, `waited ${gap} ms after Retry-After: 1`);
  });

  it('backs off exponentially while the server keeps failing, then marks the job stalled; Retry resumes the same id', async () => {
    const manager = managerFor(undefined, { pollIntervalMs: () => 60, maxPollFailures: 4, random: () => 0.5 });
    const job = await manager.submit(textRequest('Offline for a while', dir));
    sim.setFaults({ serverError: { count: 1000, status: 503, routes: ['status'] } });
    const stalled = await manager.waitFor(job.id);
    assert.equal(stalled.phase, 'stalled');
    assert.match(stalled.error ?? '', /No answer about this job after 4 tries.*503/);
    const times = sim.requests.filter((r) => r.path.endsWith(job.id) && r.status === 503).map((r) => r.time);
    assert.equal(times.length, 4, 'bounded: exactly maxPollFailures attempts');
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // With the jitter factor fixed at 1, the waits are 60, 120, 240 ms: timers never fire early.
    gaps.forEach((gap, i) => assert.ok(gap >= 60 * 2 ** i - 5, `exponential gaps: ${gaps.join(', ')} ms`));
    await until(() => !manager.pollScheduled, 2000, 'no timer for a stalled job');

    sim.setFaults({ serverError: { count: 0, status: 503, routes: ['status'] } });
    assert.equal(manager.retry(job.id), true);
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.equal(createCount(sim), 1, 'retrying never resubmits');
  });

  it('a result that cannot be written is kept as "not saved" with a clear error, and Retry saves it once the folder is fixed', async () => {
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, 'a file where the output folder should be');
    const manager = managerFor();
    const job = await manager.submit(textRequest('Disk trouble', blocked));
    const failed = await manager.waitFor(job.id);
    assert.equal(failed.phase, 'downloadFailed');
    assert.match(failed.error ?? '', /could not be saved/);
    await rm(blocked);
    assert.equal(manager.retry(job.id), true);
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.ok(done.file?.startsWith(blocked));
    assert.equal(createCount(sim), 1);
  });

  it('a download that is not an MP4 is retried, and the saved file is byte-identical', async () => {
    sim.setFaults({ notMp4: { count: 2 } });
    const manager = managerFor();
    const job = await manager.submit(textRequest('Captive portal', dir));
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)));
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.part')), []);
  });

  it('the stored object changes during a resumed download: the saved file is the new object, byte for byte, with one POST', async () => {
    sim.setFaults({ truncateDownload: { count: 1 }, changeOnResume: { count: 1 } });
    const manager = managerFor();
    const done = await manager.waitFor((await manager.submit(textRequest('Re-encoded while downloading', dir))).id);
    assert.equal(done.phase, 'saved');
    const changed = sim.jobs.get(done.id)!.videoFile;
    assert.notEqual(changed, LANDSCAPE_FIXTURE);
    assert.ok((await readFile(done.file!)).equals(await readFile(changed)), 'the new object, not half of each');
    assert.equal(createCount(sim), 1);
  });

  it('an object that changes at every resume, behind a storage that ignores If-Range: the download is retried later and then saved whole', async () => {
    sim.setFaults({ truncateDownload: { count: 5 }, changeOnResume: { count: 5, ignoreIfRange: true } });
    const manager = managerFor();
    const done = await manager.waitFor((await manager.submit(textRequest('A storage that keeps changing', dir))).id);
    assert.equal(done.phase, 'saved', done.error);
    assert.ok((await readFile(done.file!)).equals(await readFile(sim.jobs.get(done.id)!.videoFile)));
    assert.ok(done.downloadAttempts >= 1, `downloaded again: ${done.downloadAttempts}`);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.part')), []);
    assert.equal(createCount(sim), 1);
  });

  it('an expired signed download link is retried with a new one: saved byte-identical, the key never asked for', async () => {
    let asked = 0;
    sim.setFaults({ expireSignature: { count: 2 } });
    const manager = managerFor(undefined, { onAuthRequired: () => asked++ });
    const job = await manager.submit(textRequest('Expired link', dir));
    const done = await manager.waitFor(job.id);
    assert.equal(done.phase, 'saved');
    assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)));
    assert.equal(asked, 0, 'a storage 403 is not a refused key');
    assert.equal(sim.requests.filter((r) => r.fault === 'expireSignature').length, 2);
    assert.equal(createCount(sim), 1);
  });

  it('a status redirected to a host that asks for a key: the key is not sent there, not asked for, and the job says why', async () => {
    let asked = 0;
    const manager = managerFor(undefined, { onAuthRequired: () => asked++, maxPollFailures: 3 });
    const job = await manager.submit(textRequest('Moved provider', dir));
    sim.setFaults({ redirectStatus: { count: 1000, requireAuth: true } });
    const stalled = await manager.waitFor(job.id);
    assert.equal(stalled.phase, 'stalled');
    assert.match(stalled.error ?? '', /redirected the request to .* which asks for an API key .* set omniVideo\.baseUrl to its new address/);
    assert.equal(asked, 0, 'not a refused key: polling of other jobs goes on');
    assert.ok(sim.requests.filter((r) => r.origin === 'storage').every((r) => !r.hasAuthorization));
    assert.equal(createCount(sim), 1);
  });

  it('polls that find a job as it was notify no view and write nothing', async () => {
    const writes: unknown[] = [];
    const storage = new MemoryStateStorage();
    const recording = { get: storage.get.bind(storage), update: (key: string, value: unknown) => (writes.push(value), storage.update(key, value)) };
    const manager = managerFor(recording as unknown as MemoryStateStorage, { pollIntervalMs: () => 20 });
    sim.setConfig({ queuedMs: 600 });
    const job = await manager.submit(textRequest('Waiting in the queue', dir));
    const pollsOf = () => sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith(job.id)).length;
    await until(() => pollsOf() >= 2, 2000, 'the first polls'); // the first one records the status answer
    let changes = 0;
    const subscription = manager.store.onDidChange(() => changes++);
    const writesBefore = writes.length;
    const pollsBefore = pollsOf();
    await new Promise((r) => setTimeout(r, 300));
    const polls = pollsOf() - pollsBefore;
    assert.ok(polls >= 4, `polled ${polls} times while queued`);
    assert.equal(changes, 0, 'nothing changed, nothing redrawn');
    assert.equal(writes.length, writesBefore, 'nothing changed, nothing written');
    subscription.dispose();
    assert.equal((await manager.waitFor(job.id)).phase, 'saved');
  });

  it('no timer runs while there is nothing to poll', async () => {
    const manager = managerFor();
    manager.resume();
    assert.equal(manager.pollScheduled, false);
    const job = await manager.submit(textRequest('Timer check', dir));
    assert.equal(manager.pollScheduled, true);
    await manager.waitFor(job.id);
    await until(() => !manager.pollScheduled, 2000, 'the poller to stop');
  });
});
