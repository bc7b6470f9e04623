import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { OmniVideoClient } from '../../src/core/api/apiClient';
import { OmniVideoError } from '../../src/core/common/errors';
import { JobManager } from '../../src/core/jobs/jobManager';
import type { JobRecord } from '../../src/core/jobs/jobModel';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import type { Logger } from '../../src/core/common/logger';
import { prepareMedia } from '../../src/core/api/mediaInput';
import { dataUriText } from '../../src/core/api/requestBody';
import { buildModeRequest } from '../../src/core/api/modeRequests';
import { reserveOutputPath } from '../../src/core/common/files';
import { outputBaseName } from '../../src/core/jobs/outputNaming';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { FIXTURES_DIR, LANDSCAPE_FIXTURE, startSimulator, type Simulator } from '../simulator/server';
import { tempDir, until } from './helpers';

const TOKEN = 'sk-leakcheck-5f1e2d3c4b5a69788796a5b4';
const WRONG_TOKEN = 'sk-wrongkey-0e9d8c7b6a5f4e3d2c1b0a99';

/**
 * Every 12-character window of each secret: a token shortened or masked in a message
 * (`sk-leakcheck-5f1e…`, `…8796a5b4`) still counts as a leak.
 */
function needles(): string[] {
  const windows = new Set<string>();
  for (const secret of [TOKEN, WRONG_TOKEN]) {
    const distinctive = secret.slice(secret.lastIndexOf('-') + 1);
    windows.add(secret);
    for (let i = 0; i + 12 <= distinctive.length; i++) windows.add(distinctive.slice(i, i + 12));
  }
  return [...windows];
}

function leaksIn(text: string | Buffer): string[] {
  const haystack = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return needles().filter((needle) => haystack.includes(needle) || haystack.includes(Buffer.from(needle, 'utf16le')));
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else found.push(full);
  }
  return found;
}

/** Records every value the job store persists, as it was written. */
class RecordingStorage extends MemoryStateStorage {
  readonly writes: string[] = [];
  override update(key: string, value: unknown): Promise<void> {
    this.writes.push(JSON.stringify({ key, value }));
    return super.update(key, value);
  }
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`[${level}] ${message}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('Token leak check: a full run never writes the API key anywhere', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let root: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    sim = await startSimulator({ token: TOKEN, queuedMs: 30, processingMs: 120 });
    ({ dir: root, cleanup } = await tempDir('omni-video-leak-'));
  });
  after(async () => {
    await sim.close();
    await cleanup();
  });

  it('the scanner itself finds the token, whole or in part, in text and in bytes', () => {
    assert.deepEqual(leaksIn('nothing here'), []);
    assert.ok(leaksIn(`Authorization: Bearer ${TOKEN}`).length > 0);
    assert.ok(leaksIn('Incorrect API key provided: sk-leakcheck-5f1e2d3c4b5a****').length > 0, 'a masked prefix');
    assert.ok(leaksIn(Buffer.concat([Buffer.alloc(100), Buffer.from(WRONG_TOKEN), Buffer.alloc(100)])).length > 0);
    assert.ok(leaksIn(Buffer.from(`x${TOKEN}x`, 'utf16le')).length > 0);
  });

  it('create (text, image file, data-URI references), poll, download and save, with faults and failures on the way', async () => {
    const outputDir = path.join(root, 'videos');
    const logger = capturingLogger();
    const storage = new RecordingStorage();
    const errors: unknown[] = [];
    let token = TOKEN;
    const store = new JobStore(storage, logger);
    const manager = new JobManager({
      client: () => new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => token, logger, requestTimeoutMs: 3000, userAgent: 'omni-video-test' }),
      store,
      logger,
      pollIntervalMs: () => 30,
      maxDownloadAttempts: 10,
      onAuthRequired: (error) => errors.push(error),
    });
    const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        errors.push(error);
        return undefined;
      }
    };
    const params = (prompt: string) => parseGenerationParams({ prompt, seconds: '4', aspectRatio: '16:9' });
    const request = (built: ReturnType<typeof buildTextRequest>, prompt: string) => ({ mode: built.mode, prompt, body: built.body, recordedRequest: built.recorded, outputDir });

    try {
      // 1. Text-to-video, with a 500 and a 429 while polling, a dropped and a truncated download.
      sim.setFaults({
        serverError: { count: 1, status: 500, routes: ['status'] },
        rateLimit: { count: 1, retryAfterSeconds: 0, routes: ['status'] },
        dropConnection: { count: 1, routes: ['storage'], afterBytes: 1000 },
        truncateDownload: { count: 1 },
      });
      const text = await manager.submit(request(buildTextRequest('omni-fast', params('Waves at dusk')), 'Waves at dusk'));
      assert.equal((await manager.waitFor(text.id)).phase, 'saved');

      // 2. Image-to-video from a workspace file (sent as a data URI) and references given as data URIs.
      const png = path.join(FIXTURES_DIR, 'frame-640x360.png');
      const firstImage = await prepareMedia({ kind: 'file', path: png, displayPath: 'frame-640x360.png' }, 'firstImage');
      assert.match(await dataUriText(firstImage.value), /^data:image\/png;base64,/);
      const image = await manager.submit(request(buildModeRequest('omni-fast', params('Animate this frame'), { mode: 'image', firstImage }), 'Animate this frame'));
      const dataUri = `data:image/jpeg;base64,${(await readFile(path.join(FIXTURES_DIR, 'frame-640x360.jpg'))).toString('base64')}`;
      const reference = await prepareMedia({ kind: 'dataUri', uri: dataUri }, 'reference');
      const references = await manager.submit(request(buildModeRequest('omni-fast', params('Use these references'), { mode: 'references', images: [reference, firstImage] }), 'Use these references'));
      assert.equal((await manager.waitFor(image.id)).phase, 'saved');
      assert.equal((await manager.waitFor(references.id)).phase, 'saved');

      // 3. A job the server fails, with its reason.
      sim.setFaults({ failJobs: true, failMessage: 'Rejected by the safety system' });
      const failed = await manager.submit(request(buildTextRequest('omni-fast', params('Something refused')), 'Something refused'));
      assert.equal((await manager.waitFor(failed.id)).phase, 'failed');
      sim.setFaults({ failJobs: false });

      // 4. Create failures: 429, 500, an nginx 502 page, a dropped connection, a validation error.
      const faults = [
        { rateLimit: { count: 1, retryAfterSeconds: 1, routes: ['create' as const] } },
        { serverError: { count: 1, status: 500, routes: ['create' as const] } },
        { serverError: { count: 1, status: 502, routes: ['create' as const] } },
        { dropConnection: { count: 1, routes: ['create' as const] } },
      ];
      for (const [i, fault] of faults.entries()) {
        sim.setFaults(fault);
        assert.equal(await attempt(() => manager.submit(request(buildTextRequest('omni-fast', params(`Fault ${i}`)), `Fault ${i}`))), undefined, JSON.stringify(fault));
      }
      const invalid = buildTextRequest('omni-fast', params('Invalid seconds'));
      await attempt(() => manager.submit({ ...request(invalid, 'Invalid seconds'), body: { ...invalid.body, seconds: '7' as never } }));

      // 5. A wrong key: on create, then while polling (polling pauses and asks once), then the right key again.
      token = WRONG_TOKEN;
      await attempt(() => manager.submit(request(buildTextRequest('omni-fast', params('Wrong key')), 'Wrong key')));
      token = TOKEN;
      const paused = await manager.submit(request(buildTextRequest('omni-fast', params('Paused by a revoked key')), 'Paused by a revoked key'));
      token = WRONG_TOKEN;
      await until(() => errors.some((e) => e instanceof OmniVideoError && e.kind === 'auth'), 5000, 'the key prompt');
      token = TOKEN;
      manager.resumeAfterAuthChange();
      assert.equal((await manager.waitFor(paused.id)).phase, 'saved');

      // 6. Direct client failures: unknown id (404), content before completion (409), unreachable server.
      const client = new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => TOKEN, logger, requestTimeoutMs: 3000 });
      await attempt(() => client.getVideo('video_DOES_NOT_EXIST'));
      const early = await client.createVideo(buildTextRequest('omni-fast', params('Too early')).body);
      await attempt(() => client.downloadContent(early.id, path.join(outputDir, 'early.mp4')));
      const offline = new OmniVideoClient({ baseUrl: 'http://127.0.0.1:1/v1', getToken: async () => TOKEN, logger, requestTimeoutMs: 2000 });
      await attempt(() => offline.createVideo(invalid.body));
      await store.flush();
    } finally {
      manager.dispose();
    }

    // The key was really used, so finding it nowhere means something.
    assert.ok(sim.requests.filter((r) => r.origin === 'api' && r.hasAuthorization).length >= 20);
    assert.equal(sim.requests.filter((r) => r.origin === 'storage' && r.hasAuthorization).length, 0, 'storage never received an Authorization header');
    const kinds = new Set(errors.map((e) => (e instanceof OmniVideoError ? e.kind : 'other')));
    for (const kind of ['auth', 'rateLimited', 'server', 'unknownOutcome', 'badRequest', 'notFound', 'notReady', 'network']) {
      assert.ok(kinds.has(kind as OmniVideoError['kind']), `the run met a ${kind} error (saw ${[...kinds].join(', ')})`);
    }
    assert.ok(logger.lines.some((l) => l.startsWith('[debug]')) && logger.lines.some((l) => /data:image\/png;base64,</.test(l)), 'trace-level logging with data URIs');

    // Logs.
    assert.deepEqual(leaksIn(logger.lines.join('\n')), [], 'no log line carries the key');
    // Errors: messages, server messages, and the whole object as a debugger or `console.error` would show it.
    for (const error of errors) {
      const shown = [String(error), (error as Error).message, (error as OmniVideoError).details?.serverMessage ?? '', inspect(error, { depth: 8, showHidden: false })].join('\n');
      assert.deepEqual(leaksIn(shown), [], `error "${(error as Error).message}" carries the key`);
    }
    // Every file written under the output folder, byte by byte.
    const files = await filesUnder(root);
    assert.ok(files.filter((f) => f.endsWith('.mp4')).length >= 4 && files.filter((f) => f.endsWith('.json')).length >= 4, files.join('\n'));
    for (const file of files) assert.deepEqual(leaksIn(await readFile(file)), [], `${file} carries the key`);
    assert.deepEqual(files.filter((f) => f.endsWith('.part')), [], 'no partial download is left behind');
    // The persisted job state, every version of it.
    assert.ok(storage.writes.length > 10);
    assert.deepEqual(leaksIn(storage.writes.join('\n')), [], 'the persisted job list carries the key');
    assert.deepEqual(leaksIn(JSON.stringify(store.list())), []);
  });
});

describe('Token leak check: a server that echoes the key it received', () => {
  let server: http.Server;
  let baseUrl: string;
  before(async () => {
    // Answers every request with an error that quotes the bearer token back, as some APIs do.
    let n = 0;
    server = http.createServer((req, res) => {
      const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const answers: [number, string, string][] = [
        [401, 'application/json', JSON.stringify({ error: { message: `Incorrect API key provided: ${key}.`, code: 'invalid_api_key' } })],
        [400, 'application/json', JSON.stringify({ error: { message: `Bad request from ${key}`, param: 'prompt' } })],
        [500, 'text/plain', `internal error for key ${key}`],
        [429, 'application/json', JSON.stringify({ message: `${key} is rate limited` })],
      ];
      const [status, type, body] = answers[n++ % answers.length];
      res.writeHead(status, { 'content-type': type }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the echoed key is cut out of the error messages and the log', async () => {
    const logger = capturingLogger();
    const errors: OmniVideoError[] = [];
    for (const token of [TOKEN, WRONG_TOKEN, TOKEN, WRONG_TOKEN]) {
      const client = new OmniVideoClient({ baseUrl, getToken: async () => token, logger });
      await assert.rejects(client.getVideo('video_x'), (error: unknown) => {
        assert.ok(error instanceof OmniVideoError);
        errors.push(error);
        return true;
      });
    }
    assert.deepEqual(errors.map((e) => e.kind), ['auth', 'badRequest', 'server', 'rateLimited']);
    assert.match(errors[0].message, /Incorrect API key provided: <API key>\./, 'the rest of the server message is kept');
    const shown = [...logger.lines, ...errors.map((e) => `${e.message}\n${e.details.serverMessage}\n${inspect(e, { depth: 8 })}`)].join('\n');
    assert.deepEqual(leaksIn(shown), []);
  });
});

describe('Server-controlled strings never become paths', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('omni-video-paths-'));
  });
  afterEach(() => cleanup());

  const hostileIds = [
    '../../x', '..\\..\\x', '/etc/passwd', 'a/b', 'C:\\Windows\\System32\\x', '\\\\server\\share\\x', 'x\u0000y', '\u0000', '.', '..', '',
    '%2e%2e%2fx', 'video_../../../../tmp/evil', `video_${'A'.repeat(5000)}`, 'CON', 'nul', '\u202etxt.exe', 'a\r\nb', '~/x', '$(id)',
  ];
  const hostilePrompts = [
    '../../../etc/passwd', '..\\..\\windows\\evil', '<img src=x onerror=alert(1)>', '\u0000', '/'.repeat(300), 'a'.repeat(100_000), '', '   ',
    'CON', 'nul.txt', '$(rm -rf ~)', '`id`', 'line\r\nbreak', '🎬🎬', 'C:\\evil', '\u202egpj.exe', '.', '..',
  ];

  it('outputBaseName: only [a-z0-9-], bounded length, for every hostile id and prompt', () => {
    const created = new Date(2026, 0, 2, 3, 4, 5).getTime();
    for (const id of hostileIds) {
      for (const prompt of hostilePrompts) {
        const base = outputBaseName(created, prompt, id);
        assert.match(base, /^20260102-030405-[a-z0-9]+(-[a-z0-9]+)*$/, `${JSON.stringify(prompt)} / ${JSON.stringify(id).slice(0, 40)} → ${base}`);
        assert.ok(base.length <= 64, base);
        assert.ok(!base.includes('..') && !/[\\/:]/.test(base) && !base.includes('\u0000'));
      }
    }
  });

  it('reserveOutputPath(outputBaseName(...)): the file is created directly inside the output folder', async () => {
    const outputDir = path.join(dir, 'out');
    await mkdir(outputDir);
    let count = 0;
    for (const id of hostileIds) {
      for (const prompt of hostilePrompts.slice(0, 6)) {
        const file = await reserveOutputPath(outputDir, outputBaseName(Date.now(), prompt, id));
        count++;
        assert.equal(path.dirname(file), outputDir, file);
        const relative = path.relative(outputDir, file);
        assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative) && !/[\\/]/.test(relative), relative);
        assert.match(path.basename(file), /^[0-9]{8}-[0-9]{6}-[a-z0-9-]+\.mp4$/);
      }
    }
    assert.equal((await readdir(outputDir)).length, count, 'every name was distinct and inside the folder');
    assert.deepEqual((await readdir(dir)).sort(), ['out'], 'nothing was created beside the output folder');
  });

  it('a job with a hostile id and prompt is saved (video and sidecar) inside its output folder', async () => {
    const outputDir = path.join(dir, 'nested', 'videos');
    const mp4 = await readFile(LANDSCAPE_FIXTURE);
    const downloads: { id: string; destination: string }[] = [];
    const fakeClient = {
      downloadContent: async (id: string, destination: string) => {
        downloads.push({ id, destination });
        await writeFile(destination, mp4);
        return { bytes: mp4.length };
      },
      getVideo: async () => {
        throw new Error('not polled: the jobs are already completed');
      },
    } as unknown as OmniVideoClient;
    const store = new JobStore(new MemoryStateStorage());
    const manager = new JobManager({ client: () => fakeClient, store, pollIntervalMs: () => 20 });
    const ids = ['../../x', '..\\..\\x', '/etc/passwd', 'a/b', 'x\u0000y', '..'];
    try {
      for (const [i, id] of ids.entries()) {
        const job: JobRecord = {
          id, mode: 'text', prompt: hostilePrompts[i], request: { prompt: hostilePrompts[i] }, status: 'completed', phase: 'tracking',
          progress: 100, createdAt: Date.now(), outputDir, downloadAttempts: 0, serverJob: { id, status: 'completed', error: { message: '<script>alert(1)</script>' } },
        };
        store.add(job);
      }
      manager.resume();
      for (const id of ids) assert.equal((await manager.waitFor(id)).phase, 'saved', id);
    } finally {
      manager.dispose();
    }
    assert.equal(downloads.length, ids.length);
    for (const { destination } of downloads) assert.equal(path.dirname(destination), outputDir);
    const everything = await filesUnder(dir);
    assert.equal(everything.length, ids.length * 2, everything.join('\n'));
    for (const file of everything) assert.equal(path.dirname(file), outputDir, file);
    for (const id of ids) assert.equal(path.dirname(store.get(id)!.file!), outputDir);
  });
});
