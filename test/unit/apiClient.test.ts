import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { OmniVideoClient, parseBaseUrl, parseRetryAfter } from '../../src/core/api/apiClient';
import { startSimulator, LANDSCAPE_FIXTURE, type Simulator } from '../simulator/server';
import { clientFor, createCount, tempDir } from './helpers';

const body = { model: 'omni-fast', prompt: 'Ocean waves at golden hour', seconds: '8' as const, aspect_ratio: '16:9' as const };

async function rejectsWith(promise: Promise<unknown>, kind: OmniVideoError['kind'], pattern?: RegExp): Promise<OmniVideoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OmniVideoError, `expected an OmniVideoError, got ${error}`);
    assert.equal(error.kind, kind, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

async function completedJob(sim: Simulator): Promise<string> {
  const created = await clientFor(sim).createVideo(body);
  for (;;) {
    const job = await clientFor(sim).getVideo(created.id);
    if (job.status === 'completed') return created.id;
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('API client against the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 60, processingMs: 150 });
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  it('creates a job with a bearer token and parses the queued answer, ignoring extra fields', async () => {
    const job = await clientFor(sim).createVideo(body);
    assert.match(job.id, /^video_/);
    assert.equal(job.status, 'queued');
    assert.equal(job.progress, 0);
    const post = sim.requests.find((r) => r.method === 'POST');
    assert.ok(post?.hasAuthorization);
    assert.deepEqual(post?.body, body);
    assert.equal(createCount(sim), 1);
  });

  it('follows the job from queued through in_progress to completed, keeping the seconds the server returns', async () => {
    const created = await clientFor(sim).createVideo(body);
    const seen = new Set<string>();
    let last;
    for (let i = 0; i < 200; i++) {
      last = await clientFor(sim).getVideo(created.id);
      seen.add(String(last.status));
      if (last.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 15));
    }
    assert.deepEqual([...seen].filter((s) => s !== 'queued'), ['in_progress', 'completed']);
    assert.equal(last?.progress, 100);
    assert.equal(last?.seconds, '5', 'the provider returns 5 when 8 was asked; the client keeps what the server says');
    assert.equal(last?.size, '1280x720');
  });

  it('a refused key is an auth error that tells the user to set the key', async () => {
    await rejectsWith(clientFor(sim, 'sk-wrong-key-123').createVideo(body), 'auth', /Set API Key/);
  });

  it('a missing key fails before any request is sent', async () => {
    const noKey = new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => undefined });
    await rejectsWith(noKey.createVideo(body), 'auth', /No API key/);
    assert.equal(sim.requests.length, 0);
  });

  it('a validation error carries the server message naming the field', async () => {
    const error = await rejectsWith(clientFor(sim).createVideo({ ...body, seconds: '7' as never }), 'badRequest', /seconds/);
    assert.equal(error.details.status, 400);
  });

  it('429 is a retryable rate-limit error with the Retry-After delay', async () => {
    sim.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 7, routes: ['status'] } });
    const created = await clientFor(sim).createVideo(body);
    const error = await rejectsWith(clientFor(sim).getVideo(created.id), 'rateLimited');
    assert.equal(error.details.retryAfterMs, 7000);
    assert.ok(error.retryable);
  });

  it('5xx is a retryable server error, even with an HTML body', async () => {
    sim.setFaults({ serverError: { count: 1, status: 502, routes: ['status'] } });
    const created = await clientFor(sim).createVideo(body);
    const error = await rejectsWith(clientFor(sim).getVideo(created.id), 'server', /502/);
    assert.ok(error.retryable);
    assert.doesNotMatch(error.message, /<html/i);
  });

  it('an unknown job is a notFound error', async () => {
    await rejectsWith(clientFor(sim).getVideo('video_DOESNOTEXIST'), 'notFound');
  });

  it('a dropped connection is a network error that says to check the connection', async () => {
    sim.setFaults({ dropConnection: { count: 1, routes: ['status'] } });
    const created = await clientFor(sim).createVideo(body);
    await rejectsWith(clientFor(sim).getVideo(created.id), 'network', /offline/);
  });

  it('a hung server times out instead of hanging the caller', async () => {
    sim.setFaults({ hang: { count: 1, routes: ['status'] } });
    const created = await clientFor(sim).createVideo(body);
    await rejectsWith(clientFor(sim, sim.token, 300).getVideo(created.id), 'timeout');
  });

  it('a status redirect to another origin is followed without the Authorization header', async () => {
    const created = await clientFor(sim).createVideo(body);
    sim.setFaults({ redirectStatus: { count: 1 } });
    const job = await clientFor(sim).getVideo(created.id);
    assert.equal(job.id, created.id);
    const storage = sim.requests.filter((r) => r.origin === 'storage');
    assert.ok(storage.length >= 1, 'the redirect was followed');
    assert.ok(storage.every((r) => !r.hasAuthorization), 'no token on the other origin');
  });

  it('a host the status is redirected to that asks for a key is named as such, not reported as a refused key', async () => {
    const created = await clientFor(sim).createVideo(body);
    sim.setFaults({ redirectStatus: { count: 1, requireAuth: true } });
    const error = await rejectsWith(clientFor(sim).getVideo(created.id), 'config', /redirected the request to 127\.0\.0\.1:\d+, which asks for an API key \(HTTP 401\)\. Omni Video sends your key only to 127\.0\.0\.1:\d+ \(omniVideo\.baseUrl\)/);
    assert.ok(!error.message.includes(sim.token));
    assert.ok(sim.requests.filter((r) => r.origin === 'storage').every((r) => !r.hasAuthorization), 'the key stayed home');
  });

  it('an expired signed download link (403 from storage) is a retryable download error, not a refused key', async () => {
    const id = await completedJob(sim);
    const { dir, cleanup } = await tempDir();
    try {
      sim.setFaults({ expireSignature: { count: 1 } });
      await rejectsWith(clientFor(sim).downloadContent(id, path.join(dir, 'v.mp4')), 'download', /storage server .* refused the download \(HTTP 403\).*retried with a new link/);
      await clientFor(sim).downloadContent(id, path.join(dir, 'v.mp4'));
      assert.ok((await readFile(path.join(dir, 'v.mp4'))).equals(await readFile(LANDSCAPE_FIXTURE)), 'the retry saved the whole video');
    } finally {
      await cleanup();
    }
  });

  it('downloads through /content, following the redirect to storage without the token, byte-identical', async () => {
    const id = await completedJob(sim);
    const { dir, cleanup } = await tempDir();
    try {
      const destination = path.join(dir, 'out.mp4');
      const result = await clientFor(sim).downloadContent(id, destination);
      const [saved, fixture] = await Promise.all([readFile(destination), readFile(LANDSCAPE_FIXTURE)]);
      assert.equal(result.bytes, fixture.length);
      assert.ok(saved.equals(fixture));
      const storage = sim.requests.filter((r) => r.origin === 'storage');
      assert.equal(storage.length, 1);
      assert.equal(storage[0].hasAuthorization, false);
      assert.deepEqual(await readdir(dir), ['out.mp4'], 'no temporary file left behind');
    } finally {
      await cleanup();
    }
  });

  async function downloadInto(id: string, check: (dir: string, destination: string) => Promise<void>): Promise<void> {
    const { dir, cleanup } = await tempDir();
    try {
      await check(dir, path.join(dir, 'out.mp4'));
    } finally {
      await cleanup();
    }
  }

  const rangeRequests = () => sim.requests.filter((r) => r.origin === 'storage' && typeof r.headers.range === 'string');

  it('a short body (connection closed before Content-Length) resumes from what reached the disk and the file is byte-identical', async () => {
    const id = await completedJob(sim);
    sim.setFaults({ truncateDownload: { count: 1 } });
    await downloadInto(id, async (dir, destination) => {
      await clientFor(sim).downloadContent(id, destination);
      assert.ok((await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
      assert.equal(sim.requests.filter((r) => r.origin === 'storage').length, 2, 'one more request');
      // Half the file was sent: whatever reached the disk is asked for with a Range, not again.
      for (const r of rangeRequests()) assert.match(String(r.headers.range), /^bytes=[1-9]\d*-$/);
      assert.deepEqual(await readdir(dir), ['out.mp4'], 'no temporary file left behind');
    });
  });

  it('a connection dropped mid-download resumes and the file is byte-identical', async () => {
    const id = await completedJob(sim);
    sim.setFaults({ dropConnection: { count: 1, routes: ['storage'], afterBytes: 20_000 } });
    await downloadInto(id, async (dir, destination) => {
      await clientFor(sim).downloadContent(id, destination);
      assert.ok((await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
      // Resumed from what had reached the disk (a Range request), or from zero if nothing had.
      assert.equal(sim.requests.filter((r) => r.origin === 'storage').length, 2);
      assert.deepEqual(await readdir(dir), ['out.mp4']);
    });
  });

  describe('a resume never splices two objects', () => {
    const storage = () => sim.requests.filter((r) => r.origin === 'storage' && r.method === 'GET');
    // Half the body, then the connection ends: what was sent reaches the disk, so the next GET is a resume.
    const cut = { truncateDownload: { count: 1 } };

    it('the object changed before the resume: If-Range with the first ETag gets the whole new object, saved byte-identical to it', async () => {
      const id = await completedJob(sim);
      sim.setFaults({ ...cut, changeOnResume: { count: 1 } });
      await downloadInto(id, async (dir, destination) => {
        await clientFor(sim).downloadContent(id, destination);
        const [first, resume] = storage();
        assert.equal(resume.headers['if-range'], first.responseHeaders?.etag, 'the resume names the first object');
        assert.match(String(resume.headers.range), /^bytes=[1-9]\d*-$/);
        assert.equal(resume.status, 200, 'the whole new object, not a part of it');
        const changed = sim.jobs.get(id)!.videoFile;
        assert.notEqual(changed, LANDSCAPE_FIXTURE);
        assert.ok((await readFile(destination)).equals(await readFile(changed)), 'byte-identical to the new object');
        assert.ok(!(await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
        assert.deepEqual(await readdir(dir), ['out.mp4']);
      });
    });

    it('a storage that ignores If-Range and sends a part of the new object: its ETag gives it away, the part is dropped and the new object fetched whole', async () => {
      const id = await completedJob(sim);
      sim.setFaults({ ...cut, changeOnResume: { count: 1, ignoreIfRange: true } });
      await downloadInto(id, async (_dir, destination) => {
        await clientFor(sim).downloadContent(id, destination);
        assert.deepEqual(storage().map((r) => r.status), [200, 206, 200], 'cut short, a part of the new object, the new object whole');
        assert.equal(storage()[2].headers.range, undefined, 'asked for whole');
        assert.ok((await readFile(destination)).equals(await readFile(sim.jobs.get(id)!.videoFile)));
      });
    });

    it('with only Last-Modified, that date is the validator', async () => {
      const id = await completedJob(sim);
      sim.setFaults({ ...cut, noValidators: 'etag' });
      await downloadInto(id, async (_dir, destination) => {
        await clientFor(sim).downloadContent(id, destination);
        const [first, resume] = storage();
        assert.equal(resume.headers['if-range'], first.responseHeaders?.['last-modified']);
        assert.equal(resume.status, 206, 'unchanged: the rest only');
        assert.ok((await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
      });
    });

    it('with no ETag or Last-Modified, nothing says the object is the same: it starts again from zero', async () => {
      const id = await completedJob(sim);
      sim.setFaults({ ...cut, noValidators: true, changeOnResume: { count: 1 } });
      await downloadInto(id, async (_dir, destination) => {
        await clientFor(sim).downloadContent(id, destination);
        assert.equal(storage().length, 2);
        assert.equal(storage()[1].headers.range, undefined, 'no bare Range');
        assert.ok((await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
      });
    });

    it('an object that changes at every resume of a storage that ignores If-Range ends in a clear error after a bounded number of tries, nothing saved', async () => {
      const id = await completedJob(sim);
      sim.setFaults({ truncateDownload: { count: 10 }, changeOnResume: { count: 10, ignoreIfRange: true } });
      await downloadInto(id, async (dir, destination) => {
        // A download error: the job downloads again later (the job-level test below).
        await rejectsWith(clientFor(sim).downloadContent(id, destination), 'download', /kept changing/);
        assert.ok(storage().length <= 5, `bounded: ${storage().length} requests`);
        assert.deepEqual(await readdir(dir), []);
      });
    });
  });

  it('a server that ignores Range makes the download restart from zero, still byte-identical', async () => {
    const id = await completedJob(sim);
    sim.setFaults({ truncateDownload: { count: 1 }, ignoreRange: { count: 1 } });
    await downloadInto(id, async (_dir, destination) => {
      await clientFor(sim).downloadContent(id, destination);
      assert.ok((await readFile(destination)).equals(await readFile(LANDSCAPE_FIXTURE)));
    });
  });

  it('a download that keeps breaking gives up with a retryable error and leaves nothing behind', async () => {
    const id = await completedJob(sim);
    sim.setFaults({ truncateDownload: { count: 10 } });
    await downloadInto(id, async (dir, destination) => {
      const error = await rejectsWith(clientFor(sim).downloadContent(id, destination), 'network', /interrupted/);
      assert.ok(error.retryable);
      assert.deepEqual(await readdir(dir), []);
    });
  });

  it('an HTML page instead of the video is never saved as a result', async () => {
    const id = await completedJob(sim);
    sim.setFaults({ notMp4: { count: 1 } });
    await downloadInto(id, async (dir, destination) => {
      await rejectsWith(clientFor(sim).downloadContent(id, destination), 'download', /not an MP4/);
      assert.deepEqual(await readdir(dir), []);
    });
  });

  it('a folder that cannot be written gives a clear filesystem error', async function () {
    if (process.getuid?.() === 0) {
      // root ignores permission bits: use a path whose parent is a file instead
      const id = await completedJob(sim);
      await downloadInto(id, async (dir) => {
        const blocker = path.join(dir, 'not-a-folder');
        await writeFile(blocker, 'x');
        await rejectsWith(clientFor(sim).downloadContent(id, path.join(blocker, 'out.mp4')), 'filesystem', /Could not write/);
      });
      return;
    }
    this.skip();
  });

  it('/content before completion is a notReady error', async () => {
    const created = await clientFor(sim).createVideo(body);
    const { dir, cleanup } = await tempDir();
    try {
      await rejectsWith(clientFor(sim).downloadContent(created.id, path.join(dir, 'x.mp4')), 'notReady');
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await cleanup();
    }
  });
});

describe('API client configuration', () => {
  it('accepts https and loopback http base URLs only', () => {
    assert.equal(parseBaseUrl('https://models.kapon.cloud/v1').host, 'models.kapon.cloud');
    assert.equal(parseBaseUrl('http://127.0.0.1:8080/v1').port, '8080');
    assert.equal(parseBaseUrl('http://localhost/v1').hostname, 'localhost');
    assert.throws(() => parseBaseUrl('http://example.com/v1'), /https/);
    assert.throws(() => parseBaseUrl('not a url'), /not a valid URL/);
    assert.throws(() => parseBaseUrl('https://user:pw@example.com/v1'), /credentials/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});
