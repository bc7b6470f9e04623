import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { formatMessage, resetTranslator, useTranslator } from '../../src/core/common/l10n';
import { assembleFilm, type FilmClip } from '../../src/core/media/filmAssembly';
import { assembleFilmInWorker, assembleFilmWith } from '../../src/core/media/filmInWorker';
import { LANDSCAPE_FIXTURE, PORTRAIT_FIXTURE } from '../simulator/server';
import { codecFixture, inspectFilm } from './films';
import { tempDir } from './helpers';

const zhCn = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const clipsOf = (file: string, count: number): FilmClip[] => Array.from({ length: count }, (_, i) => ({ path: file, title: `Shot ${i + 1}` }));
const mismatched: FilmClip[] = [{ path: LANDSCAPE_FIXTURE, title: 'Wide' }, { path: PORTRAIT_FIXTURE, title: 'Tall' }, { path: codecFixture('hevc-aac.mp4'), title: 'HEVC' }];
/** Worker threads alive in this process (each holds a MessagePort handle). */
const workerHandles = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;

/** The rejection of `promise`, which must be an OmniVideoError. */
async function failureOf(promise: Promise<unknown>): Promise<OmniVideoError> {
  const error = await promise.then(
    () => assert.fail('expected the film to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OmniVideoError, `expected an OmniVideoError, got ${String(error)}`);
  return error;
}

describe('Film assembly on a worker thread: the same film, errors and cancellation as in-process', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let handlesBefore: number;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    handlesBefore = workerHandles();
  });
  afterEach(async () => {
    resetTranslator();
    assert.ok(workerHandles() <= handlesBefore, 'no worker is left behind');
    await cleanup();
  });

  for (const [name, clip, count] of [
    ['two H.264 + AAC clips', LANDSCAPE_FIXTURE, 2],
    ['three clips without sound', codecFixture('h264-noaudio.mp4'), 3],
  ] as const) {
    it(`${name}: the same starts, duration, packets and chapters as assembleFilm in-process`, async () => {
      const clips = clipsOf(clip, count);
      const inProcess = await assembleFilm(clips, path.join(dir, 'in-process.mp4'));
      const inWorker = await assembleFilmInWorker(clips, path.join(dir, 'in-worker.mp4'));
      assert.deepEqual(inWorker, inProcess);
      assert.equal(inWorker.starts.length, count);
      const [a, b] = [await inspectFilm(path.join(dir, 'in-process.mp4')), await inspectFilm(path.join(dir, 'in-worker.mp4'))];
      assert.deepEqual(b, a);
      assert.ok(b.videoPackets > 0 && b.chapters.length === count);
      assert.deepEqual(readdirSync(dir).sort(), ['in-process.mp4', 'in-worker.mp4'], 'no temporary file is left');
    });
  }

  it('progress arrives as the film is written, each whole percent at most once, and ends at 1', async () => {
    const progress: number[] = [];
    await assembleFilmInWorker(clipsOf(LANDSCAPE_FIXTURE, 4), path.join(dir, 'film.mp4'), { onProgress: (done) => progress.push(done) });
    assert.ok(progress.length > 10, `${progress.length} progress reports`);
    assert.equal(progress.at(-1), 1);
    const percents = progress.map((done) => Math.floor(done * 100));
    percents.slice(1).forEach((p, i) => assert.ok(p > percents[i], `percent ${p} after ${percents[i]}`));
  });

  it('a progress callback that throws fails the film as in-process, and nothing is left', async () => {
    const onProgress = () => {
      throw new Error('the progress bar broke');
    };
    const expected = await failureOf(assembleFilm(clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4'), { onProgress }));
    const error = await failureOf(assembleFilmInWorker(clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4'), { onProgress }));
    assert.equal(error.kind, expected.kind);
    assert.equal(error.message, expected.message);
    assert.equal(error.message, 'The film could not be written: the progress bar broke');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('clips that differ: badRequest, with the very message assembleFilm gives, and nothing written', async () => {
    const expected = await failureOf(assembleFilm(mismatched, path.join(dir, 'film.mp4')));
    const error = await failureOf(assembleFilmInWorker(mismatched, path.join(dir, 'film.mp4')));
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.message, expected.message);
    assert.match(error.message, /clip 2 \(Tall\): 720×1280 instead of 1280×720/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('messages are translated in the worker with the bundle it is given (vscode.l10n.bundle), as in-process with the same bundle', async () => {
    const error = await failureOf(assembleFilmInWorker(mismatched, path.join(dir, 'film.mp4'), { translations: zhCn }));
    useTranslator((message, ...args) => formatMessage(zhCn[message] ?? message, args));
    const expected = await failureOf(assembleFilm(mismatched, path.join(dir, 'film.mp4')));
    resetTranslator();
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.message, expected.message);
    assert.match(error.message, /^这些片段与第一个片段不同.*片段 2（Tall）：720×1280/);
    // The translator was the worker's own: this thread's messages are still English.
    const english = await failureOf(assembleFilmInWorker(mismatched, path.join(dir, 'film.mp4')));
    assert.match(english.message, /^These clips cannot be joined/);
  });

  it('aborted mid-way: cancelled, at once, no temporary file, and the previous film stays as it was', async () => {
    const film = path.join(dir, 'film.mp4');
    writeFileSync(film, 'the previous film');
    const abort = new AbortController();
    const progress: number[] = [];
    const started = performance.now();
    const error = await failureOf(
      assembleFilmInWorker(clipsOf(LANDSCAPE_FIXTURE, 24), film, {
        signal: abort.signal,
        onProgress: (done) => {
          progress.push(done);
          if (done > 0.02) abort.abort();
        },
      }),
    );
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.message, 'The film was not assembled: cancelled.');
    assert.ok(progress.at(-1)! < 0.5, `stopped at ${progress.at(-1)}`);
    assert.ok(performance.now() - started < 4000, 'the worker stopped by itself, without being terminated');
    assert.deepEqual(readdirSync(dir), ['film.mp4']);
    assert.equal(readFileSync(film, 'utf8'), 'the previous film');
  });

  it('aborted before it starts: cancelled, and no worker is started', async () => {
    const abort = new AbortController();
    abort.abort();
    const error = await failureOf(assembleFilmInWorker(clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4'), { signal: abort.signal }));
    assert.equal(error.kind, 'cancelled');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a clip that does not exist, or a destination in a folder that does not exist: a filesystem error naming it, and nothing left', async () => {
    const missingClip = await failureOf(assembleFilmInWorker([{ path: LANDSCAPE_FIXTURE, title: 'A' }, { path: path.join(dir, 'gone.mp4'), title: 'B' }], path.join(dir, 'film.mp4')));
    assert.equal(missingClip.kind, 'filesystem');
    assert.match(missingClip.message, /^gone\.mp4 could not be read as a video: /);
    const missingFolder = await failureOf(assembleFilmInWorker(clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'no', 'such', 'folder', 'film.mp4')));
    assert.equal(missingFolder.kind, 'filesystem');
    assert.match(missingFolder.message, /^The film could not be written: .*ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });

  describe('a worker that cannot finish', () => {
    let scripts: string;
    let removeScripts: () => Promise<void>;
    beforeEach(async () => ({ dir: scripts, cleanup: removeScripts } = await tempDir('omni-video-worker-')));
    afterEach(() => removeScripts());

    /** A worker script that begins the film's temporary file, as assembleFilm does, then runs `then`. */
    const script = (name: string, then: string) => {
      const file = path.join(scripts, name);
      writeFileSync(
        file,
        `const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const d = workerData.destination;
fs.writeFileSync(path.join(path.dirname(d), '.' + path.basename(d) + '.' + process.pid + '-' + Date.now() + '.part'), 'half a film');
${then}
`,
      );
      return { file, execArgv: [] };
    };

    for (const [what, then, reason] of [
      ['it throws', `throw new Error('the worker broke');`, /^The film could not be written: the worker broke$/],
      ['it ends without a word', `process.exit(3);`, /^The film could not be written: the assembly stopped before it finished \(exit code 3\)$/],
      ['it says what is not understood', `parentPort.postMessage({ type: 'done', film: 'yes' });`, /^The film could not be written: the assembly sent a message that is not understood$/],
    ] as const) {
      it(`${what}: a filesystem error that says so, and its temporary file is removed`, async () => {
        writeFileSync(path.join(dir, 'keep.txt'), 'not ours');
        const error = await failureOf(assembleFilmWith(script('worker.js', then), clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4')));
        assert.equal(error.kind, 'filesystem');
        assert.match(error.message, reason);
        assert.deepEqual(readdirSync(dir), ['keep.txt']);
      });
    }

    it('its script does not exist: a filesystem error, and nothing left', async () => {
      const error = await failureOf(assembleFilmWith({ file: path.join(scripts, 'missing.js'), execArgv: [] }, clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4')));
      assert.equal(error.kind, 'filesystem');
      assert.match(error.message, /^The film could not be written: .*missing\.js/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('it ignores a cancel: terminated after 5 s, cancelled, and its temporary file is removed', async () => {
      const abort = new AbortController();
      const started = performance.now();
      const film = assembleFilmWith(script('stubborn.js', `setInterval(() => undefined, 1000); parentPort.postMessage({ type: 'progress', done: 0.1 });`), clipsOf(LANDSCAPE_FIXTURE, 2), path.join(dir, 'film.mp4'), {
        signal: abort.signal,
        onProgress: () => abort.abort(),
      });
      const error = await failureOf(film);
      const waited = performance.now() - started;
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.message, 'The film was not assembled: cancelled.');
      assert.ok(waited >= 4900 && waited < 8000, `settled after ${waited.toFixed(0)} ms`);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
