// Streamed JSON bodies: files are base64-encoded while the request is sent. The bytes on the wire must
// be exactly the JSON a string build would give, with the announced Content-Length.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync } from 'node:fs';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { FileDataUri, dataUriText, jsonBody, type StreamedBody } from '../../src/core/api/requestBody';
import { startSimulator, FIXTURES_DIR, type Simulator } from '../simulator/server';
import { clientFor, tempDir } from './helpers';

async function collect(body: StreamedBody): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body.chunks()) parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  return Buffer.concat(parts);
}

describe('Streamed request bodies', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('a body without files is the plain JSON string', () => {
    const value = { model: 'omni-fast', prompt: 'Waves "quoted" — ünïcode', images: ['https://x.test/a.png'] };
    assert.equal(jsonBody(value), JSON.stringify(value));
  });

  it('files of every length (0–2 padding bytes, several pieces and reads) stream as exactly the JSON of their data URIs, with the right length', async () => {
    const sizes = [1, 2, 3, 4, 5, 92_159, 92_160, 92_161, 1_105_919, 1_105_920, 1_105_921, 2_500_001];
    const files: FileDataUri[] = [];
    for (const [i, size] of sizes.entries()) {
      const file = path.join(dir, `f${i}.bin`);
      await writeFile(file, randomBytes(size));
      files.push(new FileDataUri(file, 'image/png', size, `f${i}.bin`));
    }
    const value = { model: 'omni-fast', prompt: 'Zwölf "Boxkämpfer" 🥊', first_image_url: files[0], images: files.slice(1), seconds: '8' };
    const body = jsonBody(value) as StreamedBody;
    assert.equal(typeof body, 'object');
    const sent = await collect(body);
    const expected = JSON.stringify({ ...value, first_image_url: await dataUriText(files[0]), images: await Promise.all(files.slice(1).map(dataUriText)) });
    assert.equal(body.length, sent.length, 'Content-Length is the number of bytes sent');
    assert.equal(sent.toString('utf8'), expected);
    for (const [i, file] of files.entries()) {
      const uri = await dataUriText(file);
      assert.ok((await readFile(file.path)).equals(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64')), `file ${i} decodes to its bytes`);
    }
    assert.deepEqual(await collect(body), sent, 'the stream can be opened again (a redirect that keeps POST)');
  });

  it('outside a request (logs, duplicate keys) a file is its type, size and name, never its data', async () => {
    const file = path.join(dir, 'photo.png');
    await writeFile(file, randomBytes(1000));
    const text = JSON.stringify({ first_image_url: new FileDataUri(file, 'image/png', 1000, 'media/photo.png') });
    assert.equal(text, '{"first_image_url":"data:image/png;base64,<1000 bytes of media/photo.png>"}');
  });

  describe('through the client', () => {
    let sim: Simulator;
    before(async () => (sim = await startSimulator({ queuedMs: 20, processingMs: 50 })));
    after(() => sim.close());
    beforeEach(() => sim.reset());

    it('the simulator receives exactly the data URI of the file, with a Content-Length and no chunked encoding', async () => {
      const png = path.join(FIXTURES_DIR, 'frame-640x360.png');
      const size = (await readFile(png)).length;
      const job = await clientFor(sim).createVideo({ model: 'omni-fast', prompt: 'Animate', first_image_url: new FileDataUri(png, 'image/png', size, 'frame.png') });
      assert.match(job.id, /^video_/);
      const post = sim.requests.find((r) => r.method === 'POST')!;
      assert.equal(post.headers['transfer-encoding'], undefined);
      assert.equal(Number(post.headers['content-length']), post.bodyBytes);
      assert.equal((post.body as { first_image_url: string }).first_image_url, await dataUriText(new FileDataUri(png, 'image/png', size, 'frame.png')));
    });

    it('a request cancelled while its body is sent stops reading the file, closes it, and creates no job', async () => {
      const file = path.join(dir, 'big.png');
      await writeFile(file, randomBytes(4 * 1024 * 1024));
      const controller = new AbortController();
      let pieces = 0;
      let closed = false;
      class Watched extends FileDataUri {
        override async *chunks() {
          try {
            for await (const chunk of super.chunks()) {
              if (++pieces === 3) controller.abort();
              yield chunk;
            }
          } finally {
            closed = true;
          }
        }
      }
      await assert.rejects(
        clientFor(sim).createVideo({ model: 'omni-fast', prompt: 'Animate', first_image_url: new Watched(file, 'image/png', 4 * 1024 * 1024, 'media/big.png') }, controller.signal),
        (error: unknown) => error instanceof OmniVideoError && error.kind === 'cancelled',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(closed, 'the body was ended');
      if (existsSync('/proc/self/fd')) {
        const open = (await readdir('/proc/self/fd')).map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } });
        assert.ok(!open.includes(file), 'no file descriptor is left open on the file');
      }
      assert.ok(pieces < 10, `reading stopped soon after the cancel (${pieces} pieces of 47)`);
      assert.equal(sim.jobs.size, 0, 'the server created nothing');
    });

    it('a file that changed since it was checked stops the request with a clear message, and no job is created', async () => {
      const file = path.join(dir, 'growing.png');
      await writeFile(file, await readFile(path.join(FIXTURES_DIR, 'frame-640x360.png')));
      const checked = new FileDataUri(file, 'image/png', (await readFile(file)).length, 'media/growing.png');
      await appendFile(file, randomBytes(10));
      await assert.rejects(
        clientFor(sim).createVideo({ model: 'omni-fast', prompt: 'Animate', first_image_url: checked }),
        (error: unknown) => error instanceof OmniVideoError && error.kind === 'filesystem' && /media\/growing\.png changed while it was being sent/.test(error.message),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(sim.jobs.size, 0, 'the server created nothing');
    });
  });
});
