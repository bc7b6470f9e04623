import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import {
  LANDSCAPE_FIXTURE,
  PORTRAIT_FIXTURE,
  FIXTURES_DIR,
  defaultFaults,
  parseRange,
  startSimulator,
  type LoggedRequest,
  type Simulator,
} from '../simulator/server';

type Json = Record<string, unknown>;
interface ErrorJson {
  error: { message: string; type: string; param?: string; code?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PNG_DATA_URI = `data:image/png;base64,${fs.readFileSync(path.join(FIXTURES_DIR, 'frame-640x360.png')).toString('base64')}`;
const JPG_BYTES = fs.readFileSync(path.join(FIXTURES_DIR, 'frame-640x360.jpg'));
const JPG_DATA_URI = `data:image/jpeg;base64,${JPG_BYTES.toString('base64')}`;
const SMALL_MP4_URI = `data:video/mp4;base64,${Buffer.alloc(3000, 1).toString('base64')}`;
const LANDSCAPE_BYTES = fs.readFileSync(LANDSCAPE_FIXTURE);

function auth(sim: Simulator): Record<string, string> {
  return { authorization: `Bearer ${sim.token}` };
}

async function create(sim: Simulator, body: unknown, init: { headers?: Record<string, string>; raw?: string; noAuth?: boolean } = {}) {
  const res = await fetch(`${sim.apiBaseUrl}/videos`, {
    method: 'POST',
    headers: { ...(init.noAuth ? {} : auth(sim)), 'content-type': 'application/json', ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Json & ErrorJson, headers: res.headers };
}

function base(extra: Json = {}): Json {
  return { model: 'omni-fast', prompt: 'Ocean waves at golden hour, slow dolly-in', ...extra };
}

async function expectAccepted(sim: Simulator, body: Json): Promise<string> {
  const r = await create(sim, body);
  assert.equal(r.status, 200, `expected 200 for ${JSON.stringify(body).slice(0, 200)}, got ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id as string;
}

async function expectRejected(sim: Simulator, body: Json, param: string, messageIncludes?: RegExp, status = 400) {
  const r = await create(sim, body);
  assert.equal(r.status, status, `expected ${status} for ${JSON.stringify(body).slice(0, 200)}, got ${r.status}`);
  assert.equal(r.json.error.type, 'invalid_request_error');
  assert.equal(r.json.error.param, param);
  assert.ok(r.json.error.message.includes(`'${param}`), `message should name the field: ${r.json.error.message}`);
  if (messageIncludes) assert.match(r.json.error.message, messageIncludes);
}

async function getStatus(sim: Simulator, id: string) {
  const res = await fetch(`${sim.apiBaseUrl}/videos/${id}`, { headers: auth(sim) });
  return { status: res.status, json: (await res.json()) as Json & ErrorJson };
}

describe('simulator: auth and request validation', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 60_000 });
  });
  after(async () => {
    await sim.close();
  });

  it('answers 401 without or with a wrong bearer token, on every /v1 route', async () => {
    const expected = { error: { message: 'Invalid API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } };
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer sk-wrong' }, { authorization: sim.token }]) {
      const r = await create(sim, base(), { headers, noAuth: true });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, expected);
    }
    for (const p of ['/videos/video_X', '/videos/video_X/content']) {
      const res = await fetch(sim.apiBaseUrl + p);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), expected);
    }
    assert.equal(sim.jobs.size, 0);
  });

  it('accepts a minimal text-to-video request with the documented response shape', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await create(sim, base({ seconds: '8', aspect_ratio: '16:9' }));
    assert.equal(r.status, 200);
    assert.match(r.json.id as string, /^video_[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(r.json.object, 'video');
    assert.equal(r.json.model, 'omni-fast');
    assert.equal(r.json.status, 'queued');
    assert.equal(r.json.progress, 0);
    assert.ok((r.json.created_at as number) >= before && (r.json.created_at as number) <= before + 2);
    assert.equal(typeof r.json.usage_hint, 'string', 'an extra unknown field is present');
    assert.equal(sim.jobs.get(r.json.id as string)?.mode, 'text-to-video');
  });

  it('rejects non-JSON content types, invalid JSON and non-object bodies', async () => {
    let r = await create(sim, undefined, { headers: { 'content-type': 'text/plain' }, raw: JSON.stringify(base()) });
    assert.equal(r.status, 400);
    r = await create(sim, undefined, { raw: '{"model":"omni-fast",' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.type, 'invalid_request_error');
    r = await create(sim, [base()]);
    assert.equal(r.status, 400);
  });

  it('model: required, must be omni-fast', async () => {
    await expectAccepted(sim, base());
    await expectRejected(sim, { prompt: 'x' }, 'model');
    await expectRejected(sim, base({ model: 'sora-2' }), 'model');
  });

  it('prompt: required non-empty string of at most 4000 characters', async () => {
    await expectAccepted(sim, base({ prompt: 'a'.repeat(4000) }));
    await expectRejected(sim, { model: 'omni-fast' }, 'prompt');
    await expectRejected(sim, base({ prompt: '   ' }), 'prompt');
    await expectRejected(sim, base({ prompt: 42 }), 'prompt');
    await expectRejected(sim, base({ prompt: 'a'.repeat(4001) }), 'prompt', /4000/);
  });

  it('seconds/duration: "4" | "8" | "10"; numbers tolerated but noted; aliases must agree', async () => {
    for (const s of ['4', '8', '10']) await expectAccepted(sim, base({ seconds: s }));
    await expectAccepted(sim, base({ duration: '10' }));
    await expectAccepted(sim, base({ seconds: '8', duration: '8' }));
    const id = await expectAccepted(sim, base({ seconds: 8 }));
    assert.equal(sim.jobs.get(id)?.secondsAsked, '8');
    const logged = sim.requests.at(-1) as LoggedRequest;
    assert.ok(logged.notes?.some((n) => /number/.test(n)), 'numeric seconds is noted in the log');
    await expectRejected(sim, base({ seconds: '5' }), 'seconds');
    await expectRejected(sim, base({ seconds: 5 }), 'seconds');
    await expectRejected(sim, base({ seconds: '8s' }), 'seconds');
    await expectRejected(sim, base({ duration: '6' }), 'duration');
    await expectRejected(sim, base({ seconds: '8', duration: '4' }), 'duration');
  });

  it('aspect_ratio / size / orientation: allowed values, orientation, conflicts', async () => {
    for (const aspect_ratio of ['16:9', '9:16', '1:1', '4:3', '3:4']) await expectAccepted(sim, base({ aspect_ratio }));
    for (const size of ['landscape', 'portrait', 'square', '1920x1080', '1080x1920', '1280x720', '720x1280']) {
      await expectAccepted(sim, base({ size }));
    }
    for (const orientation of ['landscape', 'portrait']) await expectAccepted(sim, base({ orientation }));
    const portrait = await expectAccepted(sim, base({ aspect_ratio: '9:16', size: '720x1280', orientation: 'portrait' }));
    assert.equal(sim.jobs.get(portrait)?.orientation, 'portrait');
    const square = await expectAccepted(sim, base({ aspect_ratio: '1:1' }));
    assert.equal(sim.jobs.get(square)?.size, '1280x720');
    await expectRejected(sim, base({ aspect_ratio: '21:9' }), 'aspect_ratio');
    await expectRejected(sim, base({ size: '1024x1024' }), 'size');
    await expectRejected(sim, base({ orientation: 'square' }), 'orientation');
    await expectRejected(sim, base({ aspect_ratio: '16:9', size: 'portrait' }), 'size', /aspect_ratio/);
    await expectRejected(sim, base({ size: '1280x720', orientation: 'portrait' }), 'orientation');
  });

  it('resolution: 720p | 1080p | 2k | 4k', async () => {
    for (const resolution of ['720p', '1080p', '2k', '4k']) await expectAccepted(sim, base({ resolution }));
    await expectRejected(sim, base({ resolution: '8k' }), 'resolution');
  });

  it('fps / n_frames / n: positive number or numeric string <= 60', async () => {
    await expectAccepted(sim, base({ fps: 24 }));
    await expectAccepted(sim, base({ fps: '30', n_frames: '24', n: 60 }));
    await expectRejected(sim, base({ fps: 0 }), 'fps');
    await expectRejected(sim, base({ fps: 61 }), 'fps');
    await expectRejected(sim, base({ n_frames: 'fast' }), 'n_frames');
    await expectRejected(sim, base({ n: -1 }), 'n');
  });

  it('first_image_url / last_image_url: URL or image data URI; last requires first', async () => {
    const i2v = await expectAccepted(sim, base({ first_image_url: 'https://example.com/start.jpg' }));
    assert.equal(sim.jobs.get(i2v)?.mode, 'image-to-video');
    const flf = await expectAccepted(sim, base({ first_image_url: PNG_DATA_URI, last_image_url: JPG_DATA_URI }));
    assert.equal(sim.jobs.get(flf)?.mode, 'first-last-frame');
    await expectRejected(sim, base({ first_image_url: 'ftp://example.com/a.png' }), 'first_image_url');
    await expectRejected(sim, base({ first_image_url: 'data:image/bmp;base64,Qk0=' }), 'first_image_url', /image\/bmp/);
    await expectRejected(sim, base({ first_image_url: 'data:image/png;base64,not base64!' }), 'first_image_url', /base64/);
    await expectRejected(sim, base({ last_image_url: JPG_DATA_URI }), 'last_image_url', /first_image_url/);
  });

  it('images: 1 to 5 URLs or data URIs', async () => {
    const r2v = await expectAccepted(sim, base({ images: [PNG_DATA_URI, JPG_DATA_URI, 'http://x.test/a.png', PNG_DATA_URI, PNG_DATA_URI] }));
    assert.equal(sim.jobs.get(r2v)?.mode, 'reference-to-video');
    await expectRejected(sim, base({ images: Array(6).fill(PNG_DATA_URI) }), 'images', /\b5\b/);
    await expectRejected(sim, base({ images: [] }), 'images');
    await expectRejected(sim, base({ images: PNG_DATA_URI }), 'images');
    await expectRejected(sim, base({ images: [PNG_DATA_URI, 'not a url'] }), 'images', /images\[1\]/);
  });

  it('video / video_url: URL or video data URI up to 10 MB, aliases agree, not mixed with images', async () => {
    const edit = await expectAccepted(sim, base({ video: SMALL_MP4_URI }));
    assert.equal(sim.jobs.get(edit)?.mode, 'video-edit');
    await expectAccepted(sim, base({ video_url: 'https://example.com/clip.mp4' }));
    await expectAccepted(sim, base({ video: SMALL_MP4_URI, video_url: SMALL_MP4_URI }));
    const exactly10MB = `data:video/mp4;base64,${Buffer.alloc(10 * 1024 * 1024).toString('base64')}`;
    await expectAccepted(sim, base({ video: exactly10MB }));
    const tooBig = `data:video/mp4;base64,${Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64')}`;
    await expectRejected(sim, base({ video: tooBig }), 'video', /10 MB/);
    await expectRejected(sim, base({ video: 'data:video/x-msvideo;base64,AAAA' }), 'video');
    await expectRejected(sim, base({ video: SMALL_MP4_URI, video_url: 'https://example.com/clip.mp4' }), 'video_url');
    await expectRejected(sim, base({ video: SMALL_MP4_URI, images: [PNG_DATA_URI] }), 'video', /images/);
    await expectRejected(sim, base({ video_url: SMALL_MP4_URI, first_image_url: PNG_DATA_URI }), 'video_url');
  });

  it('ignores unknown fields and accepts request bodies of 80 MB', async () => {
    await expectAccepted(sim, base({ user: 'someone', metadata: { a: 1 }, watermark: false }));
    const big = `data:image/png;base64,${Buffer.alloc(12 * 1024 * 1024, 7).toString('base64')}`; // 16 MB of base64
    const body = base({ images: [big, big, big, big, big] });
    const id = await expectAccepted(sim, body);
    assert.ok(sim.jobs.has(id));
    assert.ok((sim.requests.at(-1) as LoggedRequest).bodyBytes > 80 * 1000 * 1000);
  });
});

describe('simulator: job lifecycle, download and storage origin', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 50, processingMs: 200 });
  });
  after(async () => {
    await sim.close();
  });

  it('moves queued -> in_progress (rising progress) -> completed, returning "5" when 8 s were asked', async () => {
    const id = await expectAccepted(sim, base({ seconds: '8' }));
    let s = await getStatus(sim, id);
    assert.equal(s.json.status, 'queued');
    assert.equal(s.json.progress, 0);
    await sleep(90);
    s = await getStatus(sim, id);
    assert.equal(s.json.status, 'in_progress');
    const p1 = s.json.progress as number;
    assert.ok(p1 >= 1 && p1 <= 99, `progress ${p1}`);
    await sleep(80);
    s = await getStatus(sim, id);
    assert.equal(s.json.status, 'in_progress');
    assert.ok((s.json.progress as number) > p1 && (s.json.progress as number) <= 99);
    await sleep(120);
    s = await getStatus(sim, id);
    assert.equal(s.status, 200);
    assert.equal(s.json.status, 'completed');
    assert.equal(s.json.progress, 100);
    assert.equal(s.json.seconds, '5');
    assert.equal(s.json.size, '1280x720');
    assert.ok((s.json.video_url as string).startsWith(`${sim.storageOrigin}/files/${id}.mp4?sig=`));
    assert.equal(typeof s.json.completed_at, 'number');
    assert.equal(typeof s.json.expires_at, 'number', 'extra unknown field');
  });

  it('returns the asked seconds when not 8, "5" when absent, and the portrait size for portrait jobs', async () => {
    const four = await expectAccepted(sim, base({ seconds: '4', size: 'portrait' }));
    const none = await expectAccepted(sim, base());
    await sleep(280);
    const a = await getStatus(sim, four);
    assert.equal(a.json.seconds, '4');
    assert.equal(a.json.size, '720x1280');
    assert.equal((await getStatus(sim, none)).json.seconds, '5');
    const res = await fetch(`${sim.apiBaseUrl}/videos/${four}/content`, { headers: auth(sim) });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), fs.readFileSync(PORTRAIT_FIXTURE));
  });

  it('answers 404 with the documented body for an unknown id', async () => {
    const s = await getStatus(sim, 'video_00000000000000000000000000');
    assert.equal(s.status, 404);
    assert.deepEqual(s.json, { error: { message: 'Video not found', type: 'invalid_request_error', code: 'not_found' } });
    const c = await fetch(`${sim.apiBaseUrl}/videos/video_nope/content`, { headers: auth(sim) });
    assert.equal(c.status, 404);
  });

  it('content: 409 before completion, then 302 (GET and HEAD) to a signed URL on the storage origin', async () => {
    const id = await expectAccepted(sim, base());
    let res = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim), redirect: 'manual' });
    assert.equal(res.status, 409);
    assert.ok(((await res.json()) as ErrorJson).error.message.length > 0);
    await sleep(280);
    for (const method of ['GET', 'HEAD']) {
      res = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { method, headers: auth(sim), redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = res.headers.get('location') as string;
      assert.match(location, new RegExp(`^${sim.storageOrigin}/files/${id}\\.mp4\\?sig=[0-9a-f]{32}$`));
    }
  });

  it('following the redirect downloads the fixture without sending the token to storage', async () => {
    const id = await expectAccepted(sim, base());
    await sleep(280);
    const res = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(Number(res.headers.get('content-length')), LANDSCAPE_BYTES.length);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), LANDSCAPE_BYTES);
    const storage = sim.requests.filter((r) => r.origin === 'storage').at(-1) as LoggedRequest;
    assert.equal(storage.hasAuthorization, false);
    assert.equal(storage.status, 200);
  });

  it('storage: single ranges (206), suffix ranges, 416, HEAD, wrong signature and unknown id', async () => {
    const id = await expectAccepted(sim, base());
    await sleep(280);
    const redirect = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim), redirect: 'manual' });
    const url = redirect.headers.get('location') as string;
    const size = LANDSCAPE_BYTES.length;

    let res = await fetch(url, { headers: { range: 'bytes=100-199' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 100-199/${size}`);
    assert.equal(res.headers.get('content-length'), '100');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), LANDSCAPE_BYTES.subarray(100, 200));

    res = await fetch(url, { headers: { range: 'bytes=-10' } });
    assert.equal(res.status, 206);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), LANDSCAPE_BYTES.subarray(size - 10));

    res = await fetch(url, { headers: { range: `bytes=${size - 5}-` } });
    assert.equal(res.status, 206);
    assert.equal((await res.arrayBuffer()).byteLength, 5);

    res = await fetch(url, { headers: { range: `bytes=${size}-` } });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), `bytes */${size}`);
    await res.arrayBuffer();

    res = await fetch(url, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(size));

    res = await fetch(url.replace(/sig=[0-9a-f]+/, 'sig=forged'));
    assert.equal(res.status, 403);
    await res.arrayBuffer();
    res = await fetch(`${sim.storageOrigin}/files/video_unknown.mp4?sig=abc`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
  });

  it('parseRange handles the single-range forms', () => {
    assert.deepEqual(parseRange('bytes=0-0', 10), { start: 0, end: 0 });
    assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,3-4', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
  });
});

describe('simulator: faults', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 0, processingMs: 0 });
  });
  afterEach(() => sim.reset());
  after(async () => {
    await sim.close();
  });

  async function completedJob(): Promise<{ id: string; location: string }> {
    const id = await expectAccepted(sim, base());
    const res = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim), redirect: 'manual' });
    assert.equal(res.status, 302);
    return { id, location: res.headers.get('location') as string };
  }

  it('setFaults merges: nested objects replaced whole, missing fields from defaults', () => {
    sim.setFaults({ rateLimit: { count: 2 } as never, latencyMs: 5 });
    assert.deepEqual(sim.faults.rateLimit, { ...defaultFaults().rateLimit, count: 2 });
    assert.equal(sim.faults.latencyMs, 5);
    sim.setFaults({ serverError: { count: 1, status: 503, routes: ['status'] } });
    assert.equal(sim.faults.rateLimit.count, 2, 'other faults untouched');
    assert.throws(() => sim.setFaults({ bogus: 1 } as never));
    sim.reset();
    assert.deepEqual(sim.faults, defaultFaults());
  });

  it('rateLimit: 429 with Retry-After and an error body, counted down', async () => {
    const { id } = await completedJob();
    sim.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 7, routes: ['status'] } });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sim.apiBaseUrl}/videos/${id}`, { headers: auth(sim) });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(((await res.json()) as ErrorJson).error.code, 'rate_limit_exceeded');
    }
    assert.equal((await getStatus(sim, id)).status, 200);
    assert.equal(sim.faults.rateLimit.count, 0);
    assert.deepEqual(
      sim.requests.filter((r) => r.fault === 'rateLimit').map((r) => r.status),
      [429, 429],
    );
  });

  it('rateLimit on create does not create a job', async () => {
    sim.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1, routes: ['create'] } });
    const r = await create(sim, base());
    assert.equal(r.status, 429);
    assert.equal(sim.jobs.size, 0);
  });

  it('serverError: JSON 500/503 and an HTML 502', async () => {
    sim.setFaults({ serverError: { count: 1, status: 503, routes: ['create'] } });
    let r = await create(sim, base());
    assert.equal(r.status, 503);
    assert.equal(r.json.error.type, 'server_error');
    sim.setFaults({ serverError: { count: 1, status: 502, routes: ['create'] } });
    const res = await fetch(`${sim.apiBaseUrl}/videos`, {
      method: 'POST',
      headers: { ...auth(sim), 'content-type': 'application/json' },
      body: JSON.stringify(base()),
    });
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /502 Bad Gateway/);
    r = await create(sim, base());
    assert.equal(r.status, 200);
    assert.equal(sim.jobs.size, 1);
  });

  it('dropConnection before headers: the request fails and no job is created', async () => {
    sim.setFaults({ dropConnection: { count: 1, routes: ['create'] } });
    await assert.rejects(create(sim, base()));
    assert.equal(sim.jobs.size, 0);
    assert.equal(sim.requests[0].status, 0);
    assert.equal(sim.requests[0].fault, 'dropConnection');
    assert.equal((await create(sim, base())).status, 200);
  });

  it('dropConnection afterBytes on create: the job IS created but the answer is cut', async () => {
    sim.setFaults({ dropConnection: { count: 1, routes: ['create'], afterBytes: 20 } });
    await assert.rejects(create(sim, base()));
    assert.equal(sim.jobs.size, 1, 'the provider accepted (and billed) the job');
  });

  it('dropConnection afterBytes on storage: the download breaks mid-body', async () => {
    const { location } = await completedJob();
    sim.setFaults({ dropConnection: { count: 1, routes: ['storage'], afterBytes: 50_000 } });
    const res = await fetch(location);
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers.get('content-length')), LANDSCAPE_BYTES.length);
    await assert.rejects(res.arrayBuffer());
    const again = await fetch(location);
    assert.equal((await again.arrayBuffer()).byteLength, LANDSCAPE_BYTES.length);
  });

  it('truncateDownload: full Content-Length but half the bytes', async () => {
    const { location } = await completedJob();
    sim.setFaults({ truncateDownload: { count: 1 } });
    const res = await fetch(location);
    assert.equal(Number(res.headers.get('content-length')), LANDSCAPE_BYTES.length);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
      }
    });
    assert.equal(received, Math.floor(LANDSCAPE_BYTES.length / 2));
    assert.equal(sim.requests.at(-1)?.fault, 'truncateDownload');
  });

  it('redirectStatus: 307 to the same path on the storage origin, answered there without auth', async () => {
    const { id } = await completedJob();
    sim.setFaults({ redirectStatus: { count: 1 } });
    const manual = await fetch(`${sim.apiBaseUrl}/videos/${id}`, { headers: auth(sim), redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(manual.headers.get('location'), `${sim.storageOrigin}/v1/videos/${id}`);
    sim.setFaults({ redirectStatus: { count: 1 } });
    const followed = await getStatus(sim, id);
    assert.equal(followed.status, 200);
    assert.equal(followed.json.status, 'completed');
    const hop = sim.requests.at(-1) as LoggedRequest;
    assert.equal(hop.origin, 'storage');
    assert.equal(hop.path, `/v1/videos/${id}`);
    assert.equal(hop.hasAuthorization, false);
  });

  it('failJobs: queued -> in_progress -> failed with a content_policy_violation error', async () => {
    sim.setConfig({ queuedMs: 30, processingMs: 200 }); // fails 60 % into processing: at 150 ms
    try {
      sim.setFaults({ failJobs: true, failMessage: 'Blocked by the simulator.' });
      const id = await expectAccepted(sim, base());
      assert.equal((await getStatus(sim, id)).json.status, 'queued');
      await sleep(50);
      assert.equal((await getStatus(sim, id)).json.status, 'in_progress');
      await sleep(130);
      const s = await getStatus(sim, id);
      assert.equal(s.status, 200);
      assert.equal(s.json.status, 'failed');
      assert.deepEqual(s.json.error, { code: 'content_policy_violation', type: 'invalid_request_error', message: 'Blocked by the simulator.' });
      assert.ok((s.json.progress as number) > 0 && (s.json.progress as number) < 100);
      assert.equal(s.json.video_url, undefined);
      const c = await fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim), redirect: 'manual' });
      assert.equal(c.status, 409);
    } finally {
      sim.setConfig({ queuedMs: 0, processingMs: 0 });
    }
  });

  it('latencyMs delays every API answer', async () => {
    sim.setFaults({ latencyMs: 150 });
    const t0 = Date.now();
    assert.equal((await getStatus(sim, 'video_x')).status, 404);
    assert.ok(Date.now() - t0 >= 140);
  });

  it('hang: never answers until reset', async () => {
    const { id } = await completedJob();
    sim.setFaults({ hang: { count: 1, routes: ['status'] } });
    await assert.rejects(fetch(`${sim.apiBaseUrl}/videos/${id}`, { headers: auth(sim), signal: AbortSignal.timeout(200) }));
    assert.equal((await getStatus(sim, id)).status, 200, 'count exhausted');
    sim.setFaults({ hang: { count: 1, routes: ['content'] } });
    const pending = fetch(`${sim.apiBaseUrl}/videos/${id}/content`, { headers: auth(sim) });
    await sleep(100);
    sim.reset();
    await assert.rejects(pending);
  });
});

describe('simulator: control endpoints', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ queuedMs: 0, processingMs: 0 });
  });
  after(async () => {
    await sim.close();
  });

  const control = async (p: string, body?: unknown) => {
    const res = await fetch(`${sim.controlUrl}${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  };

  it('GET /_sim describes the simulator', async () => {
    const r = await control('');
    assert.equal(r.status, 200);
    assert.equal((r.json as Json).apiBaseUrl, sim.apiBaseUrl);
    assert.equal((r.json as Json).storageOrigin, sim.storageOrigin);
  });

  it('GET /_sim/requests summarizes data URIs (sha256 of decoded bytes), redacts the token; ?full=1 keeps them', async () => {
    await control('/reset', {});
    await expectAccepted(sim, base({ first_image_url: JPG_DATA_URI, seconds: '4' }));
    const r = await control('/requests');
    const list = r.json as LoggedRequest[];
    assert.equal(list.length, 1, 'control requests are not logged');
    const entry = list[0];
    assert.equal(entry.origin, 'api');
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, '/v1/videos');
    assert.equal(entry.status, 200);
    assert.equal(entry.hasAuthorization, true);
    assert.equal(entry.headers.authorization, '<redacted>');
    assert.ok(!JSON.stringify(list).includes(sim.token), 'the token never appears in the log');
    const body = entry.body as Json;
    assert.equal(body.seconds, '4');
    assert.deepEqual(body.first_image_url, {
      dataUri: true,
      mime: 'image/jpeg',
      bytes: JPG_BYTES.length,
      sha256: crypto.createHash('sha256').update(JPG_BYTES).digest('hex'),
    });
    const full = (await control('/requests?full=1')).json as LoggedRequest[];
    assert.equal((full[0].body as Json).first_image_url, JPG_DATA_URI);
  });

  it('POST /_sim/faults patches faults (400 on unknown keys), POST /_sim/reset clears everything', async () => {
    let r = await control('/faults', { rateLimit: { count: 1, retryAfterSeconds: 3, routes: ['create'] } });
    assert.equal(r.status, 200);
    assert.equal(sim.faults.rateLimit.count, 1);
    assert.equal((await create(sim, base())).status, 429);
    r = await control('/faults', { nope: true });
    assert.equal(r.status, 400);
    r = await control('/faults', { hang: { count: 1, routes: ['everything'] } });
    assert.equal(r.status, 400);
    await control('/faults', { failJobs: true });
    await expectAccepted(sim, base());
    assert.ok(sim.requests.length > 0 && sim.jobs.size > 0);
    r = await control('/reset', {});
    assert.equal(r.status, 200);
    assert.equal(sim.requests.length, 0);
    assert.equal(sim.jobs.size, 0);
    assert.deepEqual(sim.faults, defaultFaults());
    assert.deepEqual((await control('/faults')).json, JSON.parse(JSON.stringify(defaultFaults())));
  });

  it('POST /_sim/config changes timings and files for new jobs; GET /_sim/jobs lists jobs', async () => {
    let r = await control('/config', { queuedMs: 5000, videoFile: PORTRAIT_FIXTURE });
    assert.equal(r.status, 200);
    assert.equal((r.json as Json).queuedMs, 5000);
    const id = await expectAccepted(sim, base());
    assert.equal((await getStatus(sim, id)).json.status, 'queued');
    assert.equal(sim.jobs.get(id)?.videoFile, PORTRAIT_FIXTURE);
    r = await control('/config', { queuedMs: -1 });
    assert.equal(r.status, 400);
    r = await control('/config', { videoFile: '/does/not/exist.mp4' });
    assert.equal(r.status, 400);
    await control('/config', { queuedMs: 0, videoFile: LANDSCAPE_FIXTURE });
    const jobs = (await control('/jobs')).json as { id: string; view: Json }[];
    const job = jobs.find((j) => j.id === id);
    assert.ok(job);
    assert.equal(job.view.status, 'queued');
  });
});

describe('simulator: cli', () => {
  it('prints one JSON line, serves, and exits on SIGTERM', async function () {
    this.timeout(15_000);
    const tsx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [path.resolve(__dirname, '..', 'simulator', 'cli.ts'), '--token', 'sk-cli-test', '--queued-ms', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`cli exited early (${code}): ${stderr.join('')}`)));
      });
      const info = JSON.parse(line) as { apiBaseUrl: string; controlUrl: string; storageOrigin: string; token: string };
      assert.equal(info.token, 'sk-cli-test');
      assert.match(info.apiBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.match(info.storageOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${info.apiBaseUrl}/videos/video_x`, { headers: { authorization: 'Bearer sk-cli-test' } });
      assert.equal(res.status, 404);
      await res.arrayBuffer();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stderr.join(''), /GET \/v1\/videos\/video_x -> 404/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
