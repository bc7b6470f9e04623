import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_POSTER_PACKETS, POSTER_SECONDS, readPosterFrames } from '../../src/core/media/posterFrames';
import { PosterReader } from '../../src/core/media/posterReader';
import { workerEntry } from '../../src/core/media/workerEntry';
import { FIXTURES_DIR, LANDSCAPE_FIXTURE, PORTRAIT_FIXTURE } from '../simulator/server';
import { codecFixture } from './films';
import { tempDir } from './helpers';

/** Worker threads alive in this process (each holds a MessagePort handle). */
const workerHandles = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;

describe('Gallery posters: the packets of a frame half a second in, read without decoding', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('H.264 with B-frames: from the key frame to the frame at 0.5 s and the packets it needs after it, each in a buffer of its own', async () => {
    const poster = await readPosterFrames(LANDSCAPE_FIXTURE);
    assert.ok(poster);
    assert.match(poster.codec, /^avc1\./);
    assert.ok(poster.description && poster.description.byteLength > 0 && poster.description[0] === 1, 'the avcC record (version 1)');
    assert.deepEqual([poster.codedWidth, poster.codedHeight, poster.displayWidth, poster.displayHeight, poster.rotation, poster.flip], [1280, 720, 1280, 720, 0, false]);
    assert.equal(poster.target, POSTER_SECONDS * 1e6);
    assert.equal(poster.partial, false);
    assert.ok(poster.packets[0].key && poster.packets.slice(1).every((p) => !p.key), 'one key frame, first');
    const times = poster.packets.map((p) => p.timestamp);
    assert.ok(times.includes(poster.target), 'the frame shown is among them');
    assert.ok(times.some((t, i) => i > 0 && t < times[i - 1]), 'in decoding order, not presentation order');
    // With B-frames the frame at the target needs packets after it in the file, but not the next group.
    assert.ok(times.indexOf(poster.target) < times.length - 1 && poster.packets.length <= times.indexOf(poster.target) + 5);
    for (const packet of poster.packets) {
      assert.ok(packet.data.byteLength > 0 && packet.duration > 0);
      assert.equal(packet.data.byteOffset, 0);
      assert.equal(packet.data.buffer.byteLength, packet.data.byteLength, 'a buffer of its own: handed to the page whole');
    }
    // The key frame's bytes are the file's bytes.
    const file = readFileSync(LANDSCAPE_FIXTURE);
    assert.ok(file.indexOf(Buffer.from(poster.packets[0].data)) > 0);
  });

  it('a portrait video keeps its shape; VP8 in WebM, VP9, AV1 and HEVC are read too (a description where the codec needs one)', async () => {
    const portrait = await readPosterFrames(PORTRAIT_FIXTURE);
    assert.deepEqual([portrait?.displayWidth, portrait?.displayHeight], [720, 1280]);
    const expected: [string, RegExp, boolean][] = [
      ['vp8-vorbis.webm', /^vp8$/, false],
      ['vp9-opus.webm', /^vp09\./, false],
      ['av1-opus.mp4', /^av01\./, false],
      ['hevc-aac.mp4', /^(hev1|hvc1)\./, true],
      ['h264-aac.mov', /^avc1\./, true],
      ['h264-aac-moov-at-end.mp4', /^avc1\./, true],
    ];
    for (const [name, codec, described] of expected) {
      const poster = await readPosterFrames(codecFixture(name));
      assert.ok(poster, name);
      assert.match(poster.codec, codec, name);
      assert.equal(poster.description !== undefined, described, `${name}: description ${poster.codec}`);
      assert.ok(poster.packets[0].key && poster.target >= poster.packets[0].timestamp, name);
    }
  });

  it('the key frame alone, first: what a card shows unless it is blank; partial says the frame at 0.5 s needs more', async () => {
    const whole = await readPosterFrames(LANDSCAPE_FIXTURE);
    const key = await readPosterFrames(LANDSCAPE_FIXTURE, { keyOnly: true });
    assert.ok(whole && key);
    assert.equal(key.packets.length, 1);
    assert.deepEqual(key.packets[0], whole.packets[0]);
    assert.equal(key.target, whole.target);
    assert.equal(key.partial, true);
    const bytes = (p: typeof key) => p.packets.reduce((sum, packet) => sum + packet.data.byteLength, 0);
    assert.ok(bytes(key) < bytes(whole) / 3, `a fraction of the bytes: ${bytes(key)} of ${bytes(whole)}`);
    assert.deepEqual({ ...key, packets: [], partial: false }, { ...whole, packets: [] }, 'the same configuration and shape');
  });

  it('too many packets between the key frame and 0.5 s: the key frame alone is the poster', async () => {
    for (const limits of [{ maxPackets: 3 }, { maxBytes: 1000 }]) {
      const poster = await readPosterFrames(LANDSCAPE_FIXTURE, limits);
      assert.ok(poster);
      assert.equal(poster.packets.length, 1, JSON.stringify(limits));
      assert.ok(poster.packets[0].key);
      assert.equal(poster.target, poster.packets[0].timestamp);
      assert.equal(poster.partial, false, 'nothing more to ask for');
    }
    assert.ok(MAX_POSTER_PACKETS >= 60, 'two seconds of 30 fps fit');
  });

  it('no poster, and no error, for what has no video to show: an image, text, an empty, cut or missing file', async () => {
    const cut = path.join(dir, 'cut.mp4');
    writeFileSync(cut, readFileSync(LANDSCAPE_FIXTURE).subarray(0, 2000));
    const empty = path.join(dir, 'empty.mp4');
    writeFileSync(empty, '');
    const text = path.join(dir, 'notes.mp4');
    writeFileSync(text, 'not a video at all\n'.repeat(100));
    for (const file of [path.join(FIXTURES_DIR, 'tiny-64x48.gif'), path.join(FIXTURES_DIR, 'frame-640x360.png'), text, empty, cut, path.join(dir, 'missing.mp4')]) {
      assert.equal(await readPosterFrames(file), undefined, path.basename(file));
    }
  });

  describe('on a worker thread (PosterReader)', () => {
    let handlesBefore: number;
    beforeEach(() => (handlesBefore = workerHandles()));
    afterEach(() => assert.ok(workerHandles() <= handlesBefore, 'no worker is left behind'));

    it('the same posters as read in-process, several at once; the thread stops when idle and starts again on the next read', async () => {
      const reader = new PosterReader(workerEntry('posterWorker'), 200);
      try {
        const files = [LANDSCAPE_FIXTURE, PORTRAIT_FIXTURE, codecFixture('vp9-opus.webm'), path.join(FIXTURES_DIR, 'tiny-64x48.gif')];
        const [inWorker, inProcess] = await Promise.all([Promise.all(files.map((f) => reader.read(f))), Promise.all(files.map((f) => readPosterFrames(f)))]);
        assert.deepEqual(inWorker, inProcess);
        assert.deepEqual(await reader.read(LANDSCAPE_FIXTURE, { keyOnly: true }), await readPosterFrames(LANDSCAPE_FIXTURE, { keyOnly: true }));
        assert.equal(inWorker[3], undefined);
        assert.ok(reader.running);
        await new Promise((resolve) => setTimeout(resolve, 400));
        assert.equal(reader.running, false, 'stopped after the quiet spell');
        assert.ok(await reader.read(LANDSCAPE_FIXTURE), 'a new thread for the next read');
      } finally {
        await reader.dispose();
      }
      assert.equal(reader.running, false);
      assert.equal(await reader.read(LANDSCAPE_FIXTURE), undefined, 'closed: no more reads');
    });

    it('a worker that dies or answers nonsense gives no poster, and the next read gets a working thread', async () => {
      for (const script of ['process.exit(3)', "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage({ id: m.id, poster: { codec: 42 } }))"]) {
        const bad = path.join(dir, 'bad-worker.js');
        writeFileSync(bad, script);
        const reader = new PosterReader({ file: bad, execArgv: [] });
        try {
          assert.equal(await reader.read(LANDSCAPE_FIXTURE), undefined, script);
          assert.equal(reader.running, false, 'the thread is ended');
        } finally {
          await reader.dispose();
        }
      }
      const reader = new PosterReader();
      try {
        assert.ok(await reader.read(LANDSCAPE_FIXTURE));
      } finally {
        await reader.dispose();
      }
    });

    it('a read that gets no answer in time gives no poster, ends the thread, and the next read gets a new one', async () => {
      const silent = path.join(dir, 'silent-worker.js');
      writeFileSync(silent, "require('node:worker_threads').parentPort.on('message', () => undefined)");
      const stuck = new PosterReader({ file: silent, execArgv: [] }, 30_000, 300);
      try {
        const started = Date.now();
        assert.deepEqual(await Promise.all([stuck.read(LANDSCAPE_FIXTURE), stuck.read(PORTRAIT_FIXTURE)]), [undefined, undefined]);
        assert.ok(Date.now() - started < 5000, 'given up after the read timeout');
        assert.equal(stuck.running, false, 'the thread is ended');
      } finally {
        await stuck.dispose();
      }
      const reader = new PosterReader(workerEntry('posterWorker'), 30_000, 2500);
      try {
        // A worker that answers in time is not ended by the timers of its reads.
        assert.ok(await reader.read(LANDSCAPE_FIXTURE));
        await new Promise((resolve) => setTimeout(resolve, 2800));
        assert.ok(reader.running, 'still running after its reads were answered');
      } finally {
        await reader.dispose();
      }
    });
  });
});
